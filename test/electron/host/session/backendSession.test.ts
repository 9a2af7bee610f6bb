import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BackendSession,
  MAX_UNLOCK_FAILURES,
} from '../../../../electron/host/session/backendSession';
import {
  EncryptedFileSecretStore,
  MemorySecretStore,
  type SecretCipher,
} from '../../../../electron/host/session/secretStore';
import { ServerHttp } from '../../../../electron/host/serverLink/serverHttp';
import { makeSelfSignedCert } from '../../../../electron/host/gateway/selfSignedCert';
import { HostCallError } from '../../../../electron/host/calls/hostCallError';
import { startLiveServer, type LiveServer } from '../support/liveServer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

// One server for the file (a PGlite start costs seconds); each test makes its own users.
let shared: LiveServer;
beforeAll(async () => {
  shared = await startLiveServer();
});
afterAll(async () => {
  await shared.close();
});

async function live(options?: Parameters<typeof startLiveServer>[0]): Promise<LiveServer> {
  if (!options) {
    await shared.start();
    return shared;
  }
  const server = await startLiveServer(options);
  cleanups.push(() => server.close());
  return server;
}

function sessionFor(
  server: LiveServer,
  extra: Partial<ConstructorParameters<typeof BackendSession>[0]> = {},
): BackendSession {
  const http = new ServerHttp({ baseUrl: server.url, timeoutMs: 3_000 });
  cleanups.push(() => http.close());
  return new BackendSession({
    server: http,
    store: new MemorySecretStore(),
    clock: server.clock,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    ...extra,
  });
}

/** A cipher standing in for Electron's safeStorage: AES-256-GCM under a key held in memory. */
function testCipher(): SecretCipher {
  const key = randomBytes(32);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('BackendSession sign-in', () => {
  it('asks for the authenticator code after a right password, then signs in with the code alone', async () => {
    const server = await live();
    const user = await server.user('analyst', { totp: true });
    const session = sessionFor(server);

    const first = await session.signIn({ username: user.username, password: user.password });
    expect(first.kind).toBe('totp_required');
    expect(session.state().status).toBe('signed_out');

    const wrong = await session.verifyTotp('000000');
    expect(wrong.kind).toBe('failed');
    const done = await session.verifyTotp(await server.code(user.totpSecret!));
    expect(done.kind).toBe('signed_in');
    const state = session.state();
    expect(state.status).toBe('active');
    if (state.status !== 'active') throw new Error('not active');
    expect(state.user.username).toBe(user.username);
    expect(state.user.permissions).toContain('streams.view');
    expect(state.idleLockMinutes).toBe(30);
  });

  it('reports a wrong password as a failed sign-in, not an error', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    const result = await session.signIn({ username: user.username, password: 'wrong password' });
    expect(result).toMatchObject({ kind: 'failed' });
    expect(session.state()).toEqual({ status: 'signed_out', message: null });
  });
});

describe('BackendSession first sign-in and password change', () => {
  it('a password alone leads to the enrolment step, which needs the code the administrator handed over', async () => {
    const server = await live();
    const user = await server.user('analyst', { totp: false });
    const session = sessionFor(server);

    const first = await session.signIn({ username: user.username, password: user.password });
    expect(first.kind).toBe('enrolment_required');
    // Nothing but enrolment: no console session, no requests.
    expect(session.state().status).toBe('signed_out');
    await expect(session.request('GET', '/v1/auth/me')).rejects.toBeInstanceOf(HostCallError);

    const wrong = await session.beginEnrolment('0000-0000-0000-0000-0000');
    expect(wrong).toMatchObject({ kind: 'failed', restart: false });
    if (wrong.kind === 'failed') expect(wrong.message).toMatch(/administrator/);

    // The enrolment-only token is renewed while the person fumbles with the phone.
    server.clock.advance(6 * 60_000);
    const start = await session.beginEnrolment(user.enrolmentCode);
    expect(start.kind).toBe('scan');
    if (start.kind !== 'scan') throw new Error('no secret to scan');
    expect(start.otpauthUri).toContain(`secret=${start.secret}`);

    expect((await session.confirmEnrolment('000000')).kind).toBe('failed');
    const done = await session.confirmEnrolment(await server.code(start.secret));
    expect(done.kind).toBe('signed_in');
    expect(session.state().status).toBe('active');
    expect((await session.request('GET', '/v1/auth/me')).status).toBe(200);
  });

  it('a temporary password is replaced after the enrolment, before the console opens, and unlocks it afterwards', async () => {
    const server = await live();
    const user = await server.user('analyst', { totp: false });
    // What a temporary password made by the server leaves on the account (docs/users.md).
    await server.store.store.query('update users set password_must_change = true where id = $1', [
      user.id,
    ]);
    const session = sessionFor(server);
    expect((await session.signIn({ username: user.username, password: user.password })).kind).toBe(
      'enrolment_required',
    );
    const start = await session.beginEnrolment(user.enrolmentCode);
    if (start.kind !== 'scan') throw new Error('no secret to scan');
    const enrolled = await session.confirmEnrolment(await server.code(start.secret));
    expect(enrolled.kind).toBe('password_change_required');
    if (enrolled.kind === 'password_change_required') {
      expect(enrolled.message).toMatch(/temporary/);
    }
    // Still nothing but this step.
    expect(session.state().status).toBe('signed_out');
    await expect(session.request('GET', '/v1/auth/me')).rejects.toBeInstanceOf(HostCallError);

    const weak = await session.chooseFirstPassword('qwerty123456');
    expect(weak.kind).toBe('failed');
    if (weak.kind === 'failed') expect(weak.message).toMatch(/common and breached/);
    const done = await session.chooseFirstPassword('copper kettle by the north gate');
    expect(done.kind).toBe('signed_in');
    expect(session.state().status).toBe('active');
    expect((await session.request('GET', '/v1/auth/me')).status).toBe(200);
    session.lock('manual');
    expect((await session.unlock(user.password)).kind).toBe('failed');
    expect((await session.unlock('copper kettle by the north gate')).kind).toBe('unlocked');
  });

  it('changes the password on the server, and unlocks with the new one afterwards', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    await session.signIn(await server.signInArgs(user));

    const wrong = await session.changePassword({
      currentPassword: 'not the password at all',
      newPassword: 'seven blue herons at dawn',
    });
    expect(wrong).toMatchObject({ kind: 'failed', field: 'currentPassword' });
    const weak = await session.changePassword({
      currentPassword: user.password,
      newPassword: 'qwerty123456',
    });
    expect(weak).toMatchObject({ kind: 'failed', field: 'newPassword' });
    if (weak.kind === 'failed') expect(weak.message).toMatch(/common and breached/);

    const ok = await session.changePassword({
      currentPassword: user.password,
      newPassword: 'seven blue herons at dawn',
    });
    expect(ok).toEqual({ kind: 'changed', otherSessionsEnded: 0 });
    session.lock('manual');
    expect((await session.unlock(user.password)).kind).toBe('failed');
    expect((await session.unlock('seven blue herons at dawn')).kind).toBe('unlocked');
  });
});

describe('BackendSession tokens', () => {
  it('refreshes the access token before it expires, and rotates the refresh token it keeps', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const store = new MemorySecretStore();
    const session = sessionFor(server, { store });
    await session.signIn(await server.signInArgs(user));
    const firstAccess = await session.bearer();
    const firstKept = await store.load();

    server.clock.advance(3 * 60_000);
    await session.tick();
    expect(await session.bearer()).toBe(firstAccess);

    // Access tokens live 5 minutes; the host refreshes a minute ahead.
    server.clock.advance(80_000);
    await session.tick();
    const secondAccess = await session.bearer();
    expect(secondAccess).not.toBe(firstAccess);
    expect(await store.load()).not.toBe(firstKept);

    // The new token works where the old one would now have expired.
    server.clock.advance(2 * 60_000);
    const me = await session.request('GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(session.state().status).toBe('active');
  });

  it('never reports a token in its state, and keeps only ciphertext on disk', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const dir = await mkdtemp(join(tmpdir(), 'wf-session-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'session.bin');
    const store = new EncryptedFileSecretStore(path, testCipher());
    const session = sessionFor(server, { store });
    await session.signIn(await server.signInArgs(user));
    const access = await session.bearer();
    const kept = JSON.parse((await store.load())!) as { refreshToken: string };

    const shown = JSON.stringify(session.state());
    expect(shown).not.toContain(access);
    expect(shown).not.toContain(kept.refreshToken);
    expect(shown).not.toContain(user.password);
    const onDisk = await readFile(path);
    expect(onDisk.includes(Buffer.from(kept.refreshToken))).toBe(false);
    expect(onDisk.includes(Buffer.from(user.password))).toBe(false);
  });

  it('after a restart needs only the unlock, with the refresh token kept encrypted', async () => {
    const server = await live();
    const user = await server.user('analyst', { totp: true });
    const dir = await mkdtemp(join(tmpdir(), 'wf-session-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const cipher = testCipher();
    const path = join(dir, 'session.bin');
    const before = sessionFor(server, { store: new EncryptedFileSecretStore(path, cipher) });
    await before.signIn({
      username: user.username,
      password: user.password,
      totpCode: await server.code(user.totpSecret!),
    });

    // The console process ends and starts again.
    const after = sessionFor(server, { store: new EncryptedFileSecretStore(path, cipher) });
    const restored = await after.restore();
    expect(restored).toMatchObject({ status: 'locked', reason: 'restart' });
    await expect(after.request('GET', '/v1/auth/me')).rejects.toMatchObject({ code: 'locked' });

    const wrong = await after.unlock('not the password');
    expect(wrong).toEqual({
      kind: 'failed',
      message: expect.any(String),
      attemptsLeft: MAX_UNLOCK_FAILURES - 1,
    });
    const unlocked = await after.unlock(user.password);
    expect(unlocked.kind).toBe('unlocked');
    expect(after.state().status).toBe('active');
    expect((await after.request('GET', '/v1/auth/me')).status).toBe(200);
  });

  it('signs out after too many wrong unlock passwords', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    await session.signIn(await server.signInArgs(user));
    session.lock('manual');
    for (let i = 1; i < MAX_UNLOCK_FAILURES; i++) {
      expect((await session.unlock('nope')).kind).toBe('failed');
    }
    const last = await session.unlock('nope');
    expect(last.kind).toBe('signed_out');
    expect(session.state().status).toBe('signed_out');
  });

  it('ends the session when the server says it is over', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    await session.signIn(await server.signInArgs(user));
    await server.store.store.query('update sessions set revoked_at = now() where user_id = $1', [
      user.id,
    ]);
    await expect(session.request('GET', '/v1/auth/me')).rejects.toMatchObject({
      code: 'signed_out',
    });
    expect(session.state().status).toBe('signed_out');
  });
});

describe('BackendSession idle lock', () => {
  it('locks after 30 minutes without activity, and activity pushes it back', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    await session.signIn(await server.signInArgs(user));
    // The shell ticks every second; a tick every minute is enough for what is tested here.
    const minutes = async (n: number) => {
      for (let i = 0; i < n; i++) {
        server.clock.advance(60_000);
        await session.tick();
      }
    };
    await minutes(20);
    session.activity();
    await minutes(20);
    expect(session.state().status).toBe('active');
    await minutes(11);
    expect(session.state()).toMatchObject({ status: 'locked', reason: 'idle' });
  });

  it('may lock sooner, never later than 30 minutes', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server, { idleLockMinutes: 45 });
    await session.signIn(await server.signInArgs(user));
    expect(session.state()).toMatchObject({ idleLockMinutes: 30 });
    session.setIdleLock(5);
    server.clock.advance(5 * 60_000);
    await session.tick();
    expect(session.state()).toMatchObject({ status: 'locked', idleLockMinutes: 5 });
  });
});

describe('BackendSession offline', () => {
  it('goes offline when the server is unreachable, retries with backoff, and comes back', async () => {
    const server = await live();
    const user = await server.user('analyst');
    const session = sessionFor(server);
    await session.signIn(await server.signInArgs(user));
    const states: string[] = [];
    session.onChange((s) => states.push(s.status));

    await server.stop();
    const failure = await session.request('GET', '/v1/auth/me').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostCallError);
    expect((failure as HostCallError).code).toBe('offline');
    const offline = session.state();
    expect(offline).toMatchObject({ status: 'offline', attempt: 0 });
    if (offline.status !== 'offline') throw new Error('not offline');
    expect(Date.parse(offline.retryAt!) - server.clock.now()).toBe(1_000);

    // Not due yet: nothing is tried.
    await session.tick();
    expect(session.state()).toMatchObject({ attempt: 0 });
    // Each failed retry doubles the wait.
    server.clock.advance(1_000);
    await session.tick();
    const second = session.state();
    expect(second).toMatchObject({ status: 'offline', attempt: 1 });
    if (second.status !== 'offline') throw new Error('not offline');
    expect(Date.parse(second.retryAt!) - server.clock.now()).toBe(2_000);
    server.clock.advance(2_000);
    await session.tick();
    expect(session.state()).toMatchObject({ status: 'offline', attempt: 2 });

    await server.start();
    server.clock.advance(4_000);
    await session.tick();
    expect(session.state().status).toBe('active');
    expect((await session.request('GET', '/v1/auth/me')).status).toBe(200);
    expect(states).toContain('offline');
    expect(states[states.length - 1]).toBe('active');
  });
});

describe('BackendSession certificate pinning', () => {
  it('talks to a pinned server and refuses one whose certificate does not match', async () => {
    const cert = makeSelfSignedCert();
    const server = await live({ https: { key: cert.keyPem, cert: cert.certPem } });
    const user = await server.user('analyst');

    const pinned = new ServerHttp({ baseUrl: server.url, certSha256: cert.fingerprint256 });
    cleanups.push(() => pinned.close());
    const good = new BackendSession({
      server: pinned,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    expect((await good.signIn(await server.signInArgs(user))).kind).toBe('signed_in');

    const other = makeSelfSignedCert();
    const wrongPin = new ServerHttp({ baseUrl: server.url, certSha256: other.fingerprint256 });
    cleanups.push(() => wrongPin.close());
    const refused = new BackendSession({
      server: wrongPin,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    const result = await refused.signIn(await server.signInArgs(user));
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') throw new Error('not refused');
    expect(result.message).toMatch(/pinned SHA-256/);

    // Without a pin, a self-signed certificate fails the usual CA check.
    const unpinned = new ServerHttp({ baseUrl: server.url });
    cleanups.push(() => unpinned.close());
    const plain = new BackendSession({
      server: unpinned,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    expect((await plain.signIn(await server.signInArgs(user))).kind).toBe('failed');
  });

  it('accepts a fingerprint with colons and refuses one that is not a SHA-256', () => {
    const cert = makeSelfSignedCert();
    const colons = cert.fingerprint256.match(/../g)!.join(':').toUpperCase();
    expect(
      () => new ServerHttp({ baseUrl: 'https://127.0.0.1:1', certSha256: colons }),
    ).not.toThrow();
    expect(() => new ServerHttp({ baseUrl: 'https://127.0.0.1:1', certSha256: 'abc' })).toThrow(
      /64 hex digits/,
    );
    expect(
      () => new ServerHttp({ baseUrl: 'http://127.0.0.1:1', certSha256: cert.fingerprint256 }),
    ).toThrow(/https/);
  });
});
