import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamGrant } from '../../../shared/api/cameras';
import { relayOf } from '../../../server/relay/relayRoutes';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { createCamera, integratedCamera } from '../cameras/cameraFixtures';

/**
 * The server's camera relay (docs/decisions/0016-camera-credentials-stay-in-the-server.md): a
 * grant's holder pulls the camera through the server; the camera's credentials never leave it,
 * and a grant that ends stops the bytes at the server.
 */

const USERNAME = 'relay-viewer';
const PASSWORD = 'S3cret-Relay-Pass!';
const REASON = { code: 'active_incident', reference: 'INC-2026-0042' } as const;

interface FakeCamera {
  readonly origin: string;
  /** Authorization headers the camera received, in order. */
  readonly auth: string[];
  /** Paths requested, in order. */
  readonly paths: string[];
  close(): Promise<void>;
}

/**
 * An HTTP camera that wants Basic credentials: `/live.ts` streams MPEG-TS-sized chunks until the
 * client leaves; `/hls/index.m3u8` is a playlist whose entries point at the camera, another host,
 * a file and the RTCC server itself; `/hls/seg-1.ts` is one segment.
 */
async function startCamera(elsewhere: string, rtccOrigin: () => string): Promise<FakeCamera> {
  const auth: string[] = [];
  const paths: string[] = [];
  const expected = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server: Server = createServer((req, res) => {
    auth.push(req.headers.authorization ?? '');
    paths.push(req.url ?? '');
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' }).end();
      return;
    }
    if (req.url === '/live.ts') {
      res.writeHead(200, { 'content-type': 'video/mp2t' });
      const timer = setInterval(() => res.write(Buffer.alloc(188 * 7, 0x47)), 10);
      timers.add(timer);
      res.once('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    if (req.url === '/hls/index.m3u8') {
      res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      res.end(
        [
          '#EXTM3U',
          '#EXT-X-VERSION:3',
          '#EXT-X-TARGETDURATION:1',
          '#EXT-X-MAP:URI="init.mp4"',
          '#EXTINF:1.0,',
          'seg-1.ts',
          '#EXTINF:1.0,',
          `${elsewhere}/stolen.ts`,
          '#EXTINF:1.0,',
          'file:///etc/passwd',
          '#EXTINF:1.0,',
          `${rtccOrigin()}/v1/cameras`,
          '',
        ].join('\n'),
      );
      return;
    }
    if (req.url === '/hls/seg-1.ts') {
      res.writeHead(200, { 'content-type': 'video/mp2t' }).end(Buffer.alloc(188 * 3, 0x47));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    auth,
    paths,
    async close() {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A response that is open and has sent bytes, and a promise for its end. */
async function pull(url: string): Promise<{ res: IncomingMessage; ended: Promise<void> }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, resolve).once('error', reject),
  );
  const ended = new Promise<void>((resolve) => res.once('close', () => resolve()));
  res.on('error', () => undefined);
  if (res.statusCode === 200) await new Promise((resolve) => res.once('data', resolve));
  return { res, ended };
}

async function body(url: string): Promise<{ status: number; text: string }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, resolve).once('error', reject),
  );
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') };
}

describe.each(STORE_KINDS)('the camera relay on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let camera: FakeCamera;
  let other: FakeCamera;
  let rtcc = '';
  const logLines: string[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await startTestApp(kind, { logger: pino({ level: 'debug' }, sink) });
    await t.app.api.listen({ host: '127.0.0.1', port: 0 });
    rtcc = `http://127.0.0.1:${(t.app.api.server.address() as AddressInfo).port}`;
    other = await startCamera('http://127.0.0.1:9', () => rtcc);
    camera = await startCamera(other.origin, () => rtcc);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
  });
  afterEach(async () => {
    await t.close();
    await camera.close();
    await other.close();
  });

  let cameras = 0;
  async function grantFor(
    protocol: 'http-ts' | 'hls',
  ): Promise<{ id: string; grant: StreamGrant }> {
    cameras += 1;
    const url = protocol === 'hls' ? `${camera.origin}/hls/index.m3u8` : `${camera.origin}/live.ts`;
    const cam = await createCamera(
      t,
      admin,
      integratedCamera({}, {
        name: `Relay camera ${cameras}`,
        source: { protocol, url, username: USERNAME, password: PASSWORD, ptz: false },
      } as never),
    );
    const res = await t.as(analyst, 'POST', `/v1/cameras/${cam.id}/grants`, {
      reason: REASON,
      access: 'live',
    });
    expect(res.statusCode, res.body).toBe(200);
    return { id: cam.id, grant: res.json() as StreamGrant };
  }

  it('pulls the camera with the credentials on file, and a revoked grant stops the bytes at the server', async () => {
    const { id, grant } = await grantFor('http-ts');
    // The credentials are sealed at rest (docs/cameras-admin.md): the relay opens them per grant.
    const stored = await t.store.store.query<{ descriptor: unknown; sealed: string | null }>(
      'select descriptor, sealed from camera_sources where camera_id = $1',
      [id],
    );
    expect(stored.rows[0]!.sealed).toMatch(/^v1\./);
    expect(JSON.stringify(stored.rows)).not.toContain(PASSWORD);
    const stream = await pull(rtcc + grant.source.path);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('video/mp2t');
    expect(camera.auth.at(-1)).toBe(
      `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`,
    );

    // The owner withdraws consent: the change revokes the grant and the relay cuts the stream.
    const withdrawn = await t.as(admin, 'PATCH', `/v1/cameras/${id}`, {
      sharing: { withdrawn: true },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await stream.ended;
    expect(relayOf.get(t.app.ctx)!.openStreams).toBe(0);

    const again = await body(rtcc + grant.source.path);
    expect(again.status).toBe(410);
    expect(JSON.parse(again.text)).toMatchObject({ statusCode: 410, error: 'Gone' });
    expect(JSON.parse(again.text).message).toMatch(/can no longer be pulled/);

    // Nothing the server said or logged holds the camera's credentials or its address.
    const renewals = await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`);
    const events = await t.store.store.query('select type, payload from events');
    const said = [JSON.stringify(grant), renewals.body, JSON.stringify(events.rows), ...logLines];
    for (const text of said) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(USERNAME);
      expect(text).not.toContain(camera.origin);
    }
    // The relay token opens the feed: it is in the grant reply and nowhere else.
    for (const text of said.slice(1)) expect(text).not.toContain(grant.source.path.split('/')[3]);
    expect(logLines.join('')).toMatch(/relay streams cut/);
  });

  it('cuts a stream whose grant lapsed, and one whose holder ended it', async () => {
    const first = await grantFor('http-ts');
    const second = await grantFor('http-ts');
    const lapsing = await pull(rtcc + first.grant.source.path);
    const ending = await pull(rtcc + second.grant.source.path);
    const relay = relayOf.get(t.app.ctx)!;
    expect(relay.openStreams).toBe(2);

    const ended = await t.as(analyst, 'DELETE', `/v1/grants/${second.grant.grantId}`);
    expect(ended.statusCode).toBe(200);
    await ending.ended;

    // Expiry commits nothing: the relay's own check finds it.
    // (The app's one-second check may get there first; either way the stream ends.)
    t.clock.set(Date.parse(first.grant.expiresAt) + 1);
    await relay.recheck();
    await lapsing.ended;
    expect(relay.openStreams).toBe(0);
    expect((await body(rtcc + first.grant.source.path)).status).toBe(410);
  });

  it('refuses tokens nobody was given, and malformed ones, with the standard error shape', async () => {
    const unknown = await body(`${rtcc}/v1/relay/${'A'.repeat(43)}/main`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    for (const path of ['/v1/relay/short/main', `/v1/relay/${'A'.repeat(43)}/big`]) {
      const bad = await body(rtcc + path);
      expect(bad.status, path).toBe(400);
      expect(JSON.parse(bad.text)).toMatchObject({ statusCode: 400 });
    }
    const { grant } = await grantFor('http-ts');
    const noSub = await body(rtcc + grant.source.path.replace(/main$/, 'sub'));
    expect(noSub.status).toBe(404);
    const badRef = await body(`${rtcc}${grant.source.path}/u/${'%2F'.repeat(3)}`);
    expect(badRef.status).toBeGreaterThanOrEqual(400);
    expect(badRef.status).toBeLessThan(500);
  });

  it("serves an HLS camera's playlist with every entry on the relay, and fetches nothing off the camera", async () => {
    const { grant } = await grantFor('hls');
    expect(grant.source.protocol).toBe('hls');
    const playlist = await body(rtcc + grant.source.path);
    expect(playlist.status).toBe(200);
    const uris = playlist.text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .concat([...playlist.text.matchAll(/URI="([^"]*)"/g)].map((m) => m[1]!));
    expect(uris).toHaveLength(5);
    for (const uri of uris) expect(uri.startsWith(`${grant.source.path}/`)).toBe(true);
    const refused = uris.filter((u) => u.endsWith('/refused'));
    expect(refused).toHaveLength(3);
    expect(playlist.text).not.toContain(camera.origin);
    expect(playlist.text).not.toContain(other.origin);

    const segment = uris.find((u) => !u.endsWith('/refused') && !u.includes('init'))!;
    const seg = await body(rtcc + segment);
    expect(seg.status).toBe(200);
    expect(seg.text.length).toBe(188 * 3);
    const off = await body(rtcc + refused[0]!);
    expect(off.status).toBe(403);
    // A path the playlist did not name is not fetched, credentials or not: a grant opens the
    // camera's video, not its settings pages.
    const forged = `${grant.source.path}/u/${Buffer.from('/admin/users').toString('base64url')}`;
    expect((await body(rtcc + forged)).status).toBe(404);
    // The other host and the server's own routes were never asked for anything.
    expect(other.paths).toEqual([]);
    expect(camera.paths).toEqual(['/hls/index.m3u8', '/hls/seg-1.ts']);
  });
});
