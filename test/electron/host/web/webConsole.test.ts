import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import WebSocket from 'ws';
import {
  MEDIA_SOCKET_PATH,
  decodeMediaAnswer,
  type MediaSocketAnswer,
} from '../../../../shared/api/mediaSocket';
import { startTestSimulator } from '../fixtures/harness';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

/** How long webConsole.ts keeps a closed tab's views for a reload to take back. */
const RELOAD_GRACE_MS = 2 * 60_000;

let server: LiveServer;
let harness: WebConsoleHarness;
let h2: ClientHttp2Session;

beforeAll(async () => {
  server = await startLiveServer();
  harness = await startWebConsoleHarness(server);
  h2 = connect(harness.web.origin, { ca: harness.certPem });
});

afterAll(async () => {
  h2.close();
  await harness.close();
  await server.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(path: string, session: ClientHttp2Session = h2): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path });
    let headers: Answer['headers'] = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => (headers = h as Answer['headers']));
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () =>
      resolve({
        status: Number(headers[':status']),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
    req.on('error', reject);
    req.end();
  });
}

describe('web console: the renderer', () => {
  it('serves the built renderer over HTTP/2 with a strict CSP and no framing', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-cache');
    // Served over TLS, so browsers are told to keep to it.
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await get('/no-such-file.js')).headers['strict-transport-security']).toBe(
      'max-age=31536000',
    );

    const script = await get('/assets/app-1a2b.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toContain('immutable');
    // A client-side route gets the page.
    expect((await get('/wall/2')).body).toContain('<div id="root">');
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/assets/%00.js',
      '/..%5coutside.txt',
    ]) {
      const answer = await get(path);
      expect(answer.body, path).not.toContain('not to be served');
      expect(answer.status, path).toBe(404);
    }
  });

  it('refuses writes to the renderer', async () => {
    const req = h2.request({ ':path': '/', ':method': 'POST' });
    const status = await new Promise<number>((resolve) =>
      req.on('response', (h) => resolve(Number(h[':status']))),
    );
    req.close();
    expect(status).toBe(405);
  });
});

describe('web console: the RPC socket', () => {
  it('accepts its own origin and refuses any other (no cross-site WebSocket)', async () => {
    const own = await RpcTestClient.connect(harness.web);
    own.close();
    await expect(RpcTestClient.connect(harness.web, 'https://evil.example')).rejects.toThrow(/403/);
    await expect(RpcTestClient.connect(harness.web, 'null')).rejects.toThrow(/403/);
  });
});

describe('web console: media', () => {
  let simDir: string;
  let simulator: CameraSimulator;

  beforeAll(async () => {
    simDir = await mkdtemp(join(tmpdir(), 'wf-web-sim-'));
    simulator = await startTestSimulator(simDir);
  });

  afterAll(async () => {
    await simulator.stop();
    await rm(simDir, { recursive: true, force: true });
  });

  it("serves a tab's own media, and nothing to another tab or an unknown key", async () => {
    const cameraId = await createCamera('Traffic camera 5th and Main', simulator);

    const analyst = await server.user('analyst');
    const tab = await RpcTestClient.connect(harness.web);
    await tab.value('session.signIn', await server.signInArgs(analyst));
    const opened = await tab.value<{ kind: string; view: { playlistUrl: string } }>('views.open', {
      cameraId,
      reason: { code: 'active_incident', reference: 'INC-2026-118' },
      variant: 'sub',
    });
    expect(opened.kind).toBe('opened');
    const playlistUrl = opened.view.playlistUrl;

    const playlist = await get(playlistUrl);
    expect(playlist.status).toBe(200);
    expect(playlist.body).toContain('#EXTM3U');
    expect(playlist.body).toContain('#EXT-X-PART');
    expect(playlist.headers['content-security-policy']).toBeDefined();

    // Another tab with media of its own: each key reads its own tab's media and nothing of the
    // other's; a made-up key or media id reaches nothing either.
    const [, , key, mediaId, name] = playlistUrl.split('/');
    const otherCamera = await createCamera('Traffic camera 6th and Main', simulator);
    const other = await RpcTestClient.connect(harness.web);
    await other.value('session.signIn', await server.signInArgs(await server.user('analyst')));
    const otherOpened = await other.value<{ kind: string; view: { playlistUrl: string } }>(
      'views.open',
      {
        cameraId: otherCamera,
        reason: { code: 'active_incident', reference: 'INC-2026-119' },
        variant: 'sub',
      },
    );
    expect(otherOpened.kind).toBe('opened');
    const [, , otherKey, otherMediaId] = otherOpened.view.playlistUrl.split('/');
    expect(otherKey).not.toBe(key);
    expect(otherMediaId).not.toBe(mediaId);
    expect((await get(otherOpened.view.playlistUrl)).status).toBe(200);
    const refused = [
      `/media/${otherKey}/${mediaId}/${name}`,
      `/media/${key}/${otherMediaId}/${name}`,
      `/media/not-a-key/${mediaId}/${name}`,
      `/media/${key}/AAAAAAAAAAAAAAAAAAAAAA/${name}`,
    ];
    for (const path of refused) {
      const answer = await get(path);
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: 404,
        body: 'no such media\n',
      });
    }

    // A wall holds a blocking request per tile; over HTTP/2 they share one connection and do
    // not hold up anything else on it (HTTP/1.1 would allow six).
    const msn = nextMsn((await get(playlistUrl)).body);
    const order: string[] = [];
    const held = Array.from({ length: 12 }, (_, i) =>
      get(`${playlistUrl}?_HLS_msn=${msn + 1}&_HLS_part=0`).then((a) => {
        order.push(`held-${i}`);
        return a;
      }),
    );
    const quick = get('/assets/app-1a2b.js').then((a) => {
      order.push('quick');
      return a;
    });
    const answers = await Promise.all([...held, quick]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(order[0]).toBe('quick');
    expect(answers.slice(0, 12).every((a) => a.body.includes('#EXTM3U'))).toBe(true);

    // Closing the tab ends its media once the reload grace has passed (a reload would have
    // taken it back; docs/console.md, "A reload keeps the console"): the URL stops working.
    const open = harness.web.connections();
    tab.close();
    await waitFor(async () => harness.web.connections() < open);
    server.clock.advance(RELOAD_GRACE_MS + 1_000);
    await harness.web.tick();
    await waitFor(async () => (await get(playlistUrl)).status === 404);
    other.close();
  });
  it('answers the same media as the HTTP route, only to its own origin and only what the tab opened', async () => {
    const cameraId = await createCamera('Alley camera Liberty St', simulator);
    const analyst = await server.user('analyst');
    const tab = await RpcTestClient.connect(harness.web);
    await tab.value('session.signIn', await server.signInArgs(analyst));
    const opened = await tab.value<{ kind: string; view: { playlistUrl: string } }>('views.open', {
      cameraId,
      reason: { code: 'active_incident', reference: 'INC-2026-231' },
      variant: 'sub',
    });
    const playlistUrl = opened.view.playlistUrl;
    const path = playlistUrl.slice('/media/'.length);
    const [key, mediaId] = path.split('/');

    await expect(
      MediaSocketTestClient.connect(harness.web, 'https://evil.example'),
    ).rejects.toThrow(/403/);
    const media = await MediaSocketTestClient.connect(harness.web);
    try {
      const first = await media.request(path);
      expect(first.status).toBe(200);
      expect(first.contentType).toBe('application/vnd.apple.mpegurl');
      const text = Buffer.from(first.body).toString('utf8');
      expect(text).toContain('#EXT-X-PART-INF');

      // A held request answers once the asked-for part exists; parts are bytes of fMP4.
      const msn = nextMsn(text);
      const held = await media.request(path, `_HLS_msn=${msn}&_HLS_part=1`);
      expect(held.status).toBe(200);
      const after = Buffer.from(held.body).toString('utf8');
      const part = /URI="(part-\d+\.m4s)"/.exec(after)?.[1];
      expect(part).toBeDefined();
      const bytes = await media.request(`${key}/${mediaId}/${part}`);
      expect(bytes.status).toBe(200);
      expect(bytes.contentType).toBe('video/mp4');
      expect(Buffer.from(bytes.body).subarray(4, 8).toString('latin1')).toMatch(/moof|styp/);

      // A cancelled held request gets no answer; the socket goes on serving. The same request,
      // sent after it and not cancelled, is answered when the part appears: by then the first
      // would have been answered (it waits on the same part and was asked first) had the cancel
      // not stopped it.
      const ahead = `_HLS_msn=${msn + 2}&_HLS_part=0`;
      media.send({ id: 900, path, query: ahead });
      media.send({ cancel: 900 });
      media.send({ id: 901, path, query: ahead });
      expect((await media.request(path)).status).toBe(200);
      const witness = await media.answerFor(901);
      expect(witness.status).toBe(200);
      expect(Buffer.from(witness.body).toString('utf8')).toContain('#EXTM3U');
      expect(media.answered(900)).toBe(false);

      // What the tab did not open reaches nothing; under its own key and media id, paths that are
      // not media paths reach the gateway, which refuses them for what they are.
      const answerText = (a: MediaSocketAnswer) => ({
        status: a.status,
        body: Buffer.from(a.body).toString('utf8'),
      });
      for (const unowned of [
        `not-a-key/${mediaId}/live.m3u8`,
        `${key}/AAAAAAAAAAAAAAAAAAAAAA/live.m3u8`,
      ]) {
        expect(answerText(await media.request(unowned)), unowned).toEqual({
          status: 404,
          body: 'no such media\n',
        });
      }
      for (const bad of [
        `${key}/${mediaId}/../../etc/passwd`,
        `${key}/${mediaId}/%2e%2e%2fsecret`,
        `${key}/${mediaId}/live.m3u8\u0000`,
        `${key}/${mediaId}/part-99999999999999999999.m4s`,
      ]) {
        expect(answerText(await media.request(bad)), bad).toEqual({
          status: 400,
          body: 'not a media path this gateway serves\n',
        });
      }
      expect((await media.request(path, '_HLS_part=1')).status).toBe(400);
    } finally {
      media.close();
      tab.close();
    }
  });

  it('answers malformed messages with a 4xx and goes on serving', async () => {
    const media = await MediaSocketTestClient.connect(harness.web);
    try {
      media.sendRaw('not json');
      expect((await media.answerFor(0)).status).toBe(400);
      media.sendRaw(Buffer.from([1, 2, 3]));
      expect((await media.answerFor(0)).status).toBe(400);
      media.send({ id: 5, path: 42 });
      const typed = await media.answerFor(5);
      expect(typed.status).toBe(400);
      expect(Buffer.from(typed.body).toString()).toMatch(/a media request is/);
      media.send({ id: 0, path: 'a/b/live.m3u8' });
      expect((await media.answerFor(0)).status).toBe(400);
      media.send({ id: 6, path: 'a/b/live.m3u8', extra: true });
      expect((await media.answerFor(6)).status).toBe(400);
      media.send({ id: 7, path: 'x'.repeat(500) });
      expect((await media.answerFor(7)).status).toBe(400);
      expect(
        (await media.request('AAAAAAAAAAAAAAAAAAAAAAAA/BBBBBBBBBBBBBBBBBBBBBB/live.m3u8')).status,
      ).toBe(404);
    } finally {
      media.close();
    }
    // An oversized message ends the socket (the limit is checked before parsing).
    const big = await MediaSocketTestClient.connect(harness.web);
    const code = await new Promise<number>((resolve) => {
      big.socket.once('close', (c) => resolve(c));
      big.sendRaw('x'.repeat(64 * 1024));
    });
    expect(code).toBe(1009);
  });
});

describe('web console without TLS', () => {
  it('still serves over plain HTTP/1.1 when TLS is turned off', async () => {
    const plain = await startWebConsoleHarness(server, { tls: false });
    try {
      expect(plain.web.transport).toBe('h1');
      const reply = await new Promise<{ status: number; hsts: unknown }>((resolve, reject) => {
        const req = httpRequest(`${plain.web.origin}/healthz`, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] });
        });
        req.on('error', reject);
        req.end();
      });
      expect(reply.status).toBe(200);
      // Meaningless, and ignored, over plain HTTP.
      expect(reply.hsts).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

async function createCamera(name: string, simulator: CameraSimulator): Promise<string> {
  const admin = await server.user('admin');
  const login = await server.app().api.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: await server.signInArgs(admin),
  });
  const created = await server.app().api.inject({
    method: 'POST',
    url: '/v1/cameras',
    headers: { authorization: `Bearer ${login.json().accessToken}` },
    payload: {
      kind: 'agency',
      name,
      lat: 36.0991,
      lng: -80.2449,
      source: {
        protocol: 'http-ts',
        url: simulator.urlFor(name, 'main'),
        substreamUrl: simulator.urlFor(name, 'sub'),
        codecHint: 'h264',
      },
    },
  });
  expect(created.statusCode).toBeLessThan(300);
  return created.json().id as string;
}

/** A page's side of /media-socket, as the renderer's media loader speaks it. */
class MediaSocketTestClient {
  private readonly answers = new Map<number, MediaSocketAnswer[]>();
  private nextId = 1;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const answer = decodeMediaAnswer(new Uint8Array(data));
      if (!answer) throw new Error('an unreadable answer');
      const list = this.answers.get(answer.id) ?? [];
      list.push({ ...answer, body: answer.body.slice() });
      this.answers.set(answer.id, list);
    });
  }

  static async connect(
    web: { origin: string },
    origin = web.origin,
  ): Promise<MediaSocketTestClient> {
    const socket = new WebSocket(`${web.origin.replace(/^http/, 'ws')}${MEDIA_SOCKET_PATH}`, {
      origin,
      rejectUnauthorized: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`refused with ${res.statusCode}`)),
      );
    });
    return new MediaSocketTestClient(socket);
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  answered(id: number): boolean {
    return (this.answers.get(id)?.length ?? 0) > 0;
  }

  async answerFor(id: number, timeoutMs = 15_000): Promise<MediaSocketAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.answers.get(id)?.shift();
      if (next) return next;
      if (Date.now() > deadline) throw new Error(`no answer to ${id}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  request(path: string, query = ''): Promise<MediaSocketAnswer> {
    const id = this.nextId++;
    this.send({ id, path, query });
    return this.answerFor(id);
  }

  close(): void {
    this.socket.close();
  }
}

/** The media sequence number the next segment will have. */
function nextMsn(playlist: string): number {
  const base = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0);
  const segments = (playlist.match(/#EXTINF:/g) ?? []).length;
  return base + segments;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
