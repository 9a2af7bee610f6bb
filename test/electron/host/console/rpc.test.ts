import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, type CallName } from '../../../../shared/api/watchfloorApi';
import { startLiveServer, until, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

/** How long webConsole.ts keeps a browser's session after its last tab closes. */
const RELOAD_GRACE_MS = 2 * 60_000;

let server: LiveServer;
let harness: WebConsoleHarness;
let adminToken: string;

const CAMERA_PASSWORD = 'cam-secret-pw-7731';
const CAMERA_USER = 'camuser-5521';

beforeAll(async () => {
  server = await startLiveServer();
  harness = await startWebConsoleHarness(server);
  const admin = await server.user('admin');
  const login = await server.app().api.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: await server.signInArgs(admin),
  });
  adminToken = login.json().accessToken;
});

afterAll(async () => {
  await harness.close();
  await server.close();
});

async function createCamera(body: Record<string, unknown>): Promise<string> {
  const res = await server.app().api.inject({
    method: 'POST',
    url: '/v1/cameras',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: body,
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(res.body);
  return res.json().id;
}

const integrated = (name: string, sharing: Record<string, unknown>) => ({
  kind: 'integrated',
  name,
  lat: 36.0999,
  lng: -80.2442,
  // Nothing listens on port 9: the gateway tries, and the tile says it is reconnecting.
  source: {
    protocol: 'http-ts',
    url: 'http://127.0.0.1:9/live.ts',
    username: CAMERA_USER,
    password: CAMERA_PASSWORD,
  },
  sharing,
});

async function signedInClient(): Promise<{ client: RpcTestClient; password: string }> {
  const user = await server.user('analyst');
  const client = await RpcTestClient.connect(harness.web);
  const result = await client.value<{ kind: string }>(
    'session.signIn',
    await server.signInArgs(user),
  );
  expect(result.kind).toBe('signed_in');
  return { client, password: user.password };
}

describe('RPC argument validation', () => {
  it('refuses bad arguments to every call with a clear error, and keeps serving', async () => {
    const { client } = await signedInClient();
    const hostile: readonly unknown[] = [
      'a string',
      42,
      null,
      [],
      { unexpected: true },
      { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } },
      { cameraId: "'; drop table cameras; --", viewId: '../../etc/passwd', name: '<script>' },
    ];
    for (const name of CALL_NAMES) {
      for (const args of hostile) {
        const outcome = await client.call(name, args);
        expect(outcome.ok, `${name} accepted ${JSON.stringify(args)}`).toBe(false);
        if (outcome.ok) continue;
        expect(outcome.error.code, name).toBe('invalid_args');
        expect(outcome.error.message).toContain(name);
        expect(outcome.error.issues?.length).toBeGreaterThan(0);
      }
    }
    // Specific limits written in the contract.
    const specific: readonly [CallName, unknown][] = [
      ['cameras.list', { limit: 0 }],
      ['cameras.list', { near: { lat: 91, lng: 0, radiusM: 100 } }],
      ['cameras.list', { bbox: { minLng: 1, minLat: 1, maxLng: 0, maxLat: 0 } }],
      ['session.setIdleLock', { minutes: 31 }],
      ['session.signIn', { username: '', password: 'x' }],
      ['session.verifyTotp', { totpCode: '12345a' }],
      [
        'views.open',
        {
          cameraId: '00000000-0000-4000-8000-000000000000',
          reason: { code: 'camera_pull' },
          variant: 'sub',
        },
      ],
      ['views.replay', { viewId: 'abcdefgh12', seconds: 100_000 }],
      ['layouts.save', { name: 'x'.repeat(61), layout: { grid: '2x2', tiles: [] } }],
      ['layouts.save', { name: 'ok', layout: { grid: '2x2', tiles: ['a', 'b', 'c', 'd', 'e'] } }],
      ['events.since', { after: -1 }],
    ];
    for (const [name, args] of specific) {
      const outcome = await client.call(name, args);
      expect(outcome.ok, `${name} accepted ${JSON.stringify(args)}`).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe('invalid_args');
    }
    // Still alive and still signed in.
    const state = await client.value<{ status: string }>('session.state', {});
    expect(state.status).toBe('active');
    client.close();
  });

  it('answers unknown calls, broken JSON and malformed envelopes without closing', async () => {
    const client = await RpcTestClient.connect(harness.web);
    const unknown = await client.call('cameras.deleteEverything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    const proto = await client.call('__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    client.socket.send('{not json');
    expect(await client.nextNullReply()).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    const envelope = await client.sendRaw({ id: 7, call: 42, extra: 'x' }, 7);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    const state = await client.value<{ status: string }>('session.state', {});
    expect(state.status).toBe('signed_out');
    client.close();
  });

  it('refuses calls that need a session until one signs in', async () => {
    const client = await RpcTestClient.connect(harness.web);
    const outcome = await client.call('cameras.list', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'signed_out' } });
    client.close();
  });

  it('drops an oversized message and still serves other tabs', async () => {
    const client = await RpcTestClient.connect(harness.web);
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
    client.socket.send(
      JSON.stringify({ id: 1, call: 'session.state', args: { x: 'y'.repeat(300_000) } }),
    );
    expect(await closed).toBe(1009);
    const other = await RpcTestClient.connect(harness.web);
    expect((await other.value<{ status: string }>('session.state', {})).status).toBe('signed_out');
    other.close();
  });
});

describe('RPC sessions', () => {
  it('gives each browser connection its own session', async () => {
    const { client: a } = await signedInClient();
    const b = await RpcTestClient.connect(harness.web);
    expect((await b.value<{ status: string }>('session.state', {})).status).toBe('signed_out');
    expect((await b.call('cameras.list', {})).ok).toBe(false);
    expect((await a.call('cameras.list', {})).ok).toBe(true);
    const me = await a.value<{ user: { id: string } }>('session.state', {});
    const open = harness.web.connections();
    b.close();
    // Closing the last tab ends its server session once the reload grace has passed (a reload
    // would have found it; docs/console.md, "A reload keeps the console").
    a.close();
    await until(
      async () => harness.web.connections() <= open - 2,
      'the host to see both tabs close',
    );
    server.clock.advance(RELOAD_GRACE_MS + 1_000);
    await harness.web.tick();
    await until(async () => {
      const open = await server.store.store.query(
        'select id from sessions where user_id = $1 and revoked_at is null',
        [me.user.id],
      );
      return open.rows.length === 0;
    }, 'the session to end on the server');
  });

  it('pushes session state, locks and unlocks, and refuses calls while locked', async () => {
    const { client, password } = await signedInClient();
    await until(
      () =>
        client.pushes.some(
          (p) =>
            p.subscription === 'session' && (p.payload as { status: string }).status === 'active',
        ),
      'an active session push',
    );
    const locked = await client.value<{ status: string }>('session.lock', {});
    expect(locked.status).toBe('locked');
    expect(await client.call('cameras.list', {})).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const unlocked = await client.value<{ kind: string }>('session.unlock', { password });
    expect(unlocked.kind).toBe('unlocked');
    expect((await client.call('cameras.list', {})).ok).toBe(true);
    client.close();
  });
});

describe('RPC replies carry no secret', () => {
  it('no reply or push contains a token, a password or a camera source credential', async () => {
    const open = await createCamera(integrated('Open camera', { mode: 'always' }));
    const withdrawn = await createCamera(
      integrated('Withdrawn camera', { mode: 'always', withdrawn: true }),
    );
    const registered = await createCamera({
      kind: 'registered',
      name: 'Corner store',
      lat: 36.1,
      lng: -80.25,
      owner: { name: 'Owner Person', phone: '336-555-0100' },
    });
    const { client, password } = await signedInClient();
    const reason = { code: 'camera_pull', reference: 'RTCC-2026-0042' };

    const info = await client.value<{ shell: string; canOpenWallWindows: boolean }>(
      'console.info',
      {},
    );
    expect(info).toMatchObject({ shell: 'web', canOpenWallWindows: false });
    await client.value('agency.get', {});
    const list = await client.value<{ items: { id: string }[] }>('cameras.list', {
      near: { lat: 36.1, lng: -80.244, radiusM: 5_000 },
    });
    expect(list.items.map((c) => c.id)).toEqual(
      expect.arrayContaining([open, withdrawn, registered]),
    );
    const contact = await client.value<{ owner: { name: string } }>('cameras.ownerContact', {
      cameraId: registered,
      reason,
    });
    expect(contact.owner.name).toBe('Owner Person');

    const opened = await client.value<{
      kind: string;
      view: { viewId: string; playlistUrl: string };
    }>('views.open', { cameraId: open, reason, variant: 'sub' });
    expect(opened.kind).toBe('opened');
    expect(opened.view.playlistUrl).toMatch(/^\/media\/[\w-]+\/[\w-]+\/live\.m3u8$/);
    const refused = await client.value<{ kind: string; denial: string; message: string }>(
      'views.open',
      { cameraId: withdrawn, reason, variant: 'sub' },
    );
    expect(refused).toMatchObject({ kind: 'refused', denial: 'withdrawn' });
    expect(refused.message.length).toBeGreaterThan(5);

    await client.value('views.setVariant', { viewId: opened.view.viewId, variant: 'main' });
    await client.value('views.list', {});
    await client.value('layouts.save', {
      name: 'North side',
      layout: { grid: '2x2', tiles: [open, null, null, null] },
    });
    const layouts = await client.value<{ layouts: { name: string }[] }>('layouts.list', {});
    expect(layouts.layouts.map((l) => l.name)).toContain('North side');
    await client.value('layouts.delete', { name: 'North side' });
    await client.value('events.since', { after: 0, limit: 1000 });
    await client.value('session.activity', {});
    await client.value('session.lock', {});
    await client.value('session.unlock', { password });
    await client.value('views.close', { viewId: opened.view.viewId });
    await until(() => client.pushes.some((p) => p.subscription === 'views'), 'a tile push');

    const everything = client.raw.join('\n');
    // Access tokens are JWTs.
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    // Refresh tokens are 43 base64url characters; none that was ever issued appears.
    const issued = await server.store.store.query<{ token_hash: string }>(
      'select token_hash from refresh_tokens',
    );
    const hashes = new Set(issued.rows.map((r) => r.token_hash));
    expect(hashes.size).toBeGreaterThan(0);
    for (const candidate of everything.match(/[A-Za-z0-9_-]{43}/g) ?? []) {
      expect(hashes.has(createHash('sha256').update(candidate).digest('hex'))).toBe(false);
    }
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(CAMERA_PASSWORD);
    expect(everything).not.toContain(CAMERA_USER);
    expect(everything).not.toContain('127.0.0.1:9');

    const signedOut = await client.value<{ status: string }>('session.signOut', {});
    expect(signedOut.status).toBe('signed_out');
    client.close();
  });
});
