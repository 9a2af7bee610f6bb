import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateFull } from '../../../server/http/guard';
import { findUserByUsername } from '../../../server/users/userRepository';
import { createUser, unlockUser } from '../../../server/users/userChanges';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../support/testApp';
import { auditRows, codeAt, countRows, withToken } from './signIn';

const MINUTE = 60_000;

function loginFrom(t: TestApp, address: string, body: Record<string, unknown>) {
  return t.app.api.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: body,
    remoteAddress: address,
  });
}

describe.each(STORE_KINDS)('sign-in hardening on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // The default policy (second factor required), a small per-address budget, a 1-minute idle.
    t = await startTestApp(kind, { config: { signInFailuresPerAddress: 10 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a password alone reaches only the enrolment step, and nothing else', async () => {
    const u = await t.user('admin', 'adm.half');
    const res = await loginFrom(t, '10.1.0.1', { username: 'adm.half', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const half = res.json();
    expect(half.stage).toBe('enrolment');
    expect(half.user.totpEnrolled).toBe(false);
    expect(Date.parse(half.refreshTokenExpiresAt) - t.clock.now()).toBe(15 * MINUTE);

    // Every route but the enrolment steps refuses it, even those any signed-in user may use
    // (machines' ingest routes take no session at all: the permission walk covers them).
    const closed = t.app.routes.filter(
      (r) =>
        r.access !== 'public' &&
        r.access !== 'enrolment' &&
        !String(r.access).startsWith('ingest:') &&
        !r.url.endsWith('/stream'),
    );
    expect(closed.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const route of closed) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'x');
      const r = await withToken(t, half.accessToken, route.method as 'GET', url);
      if (r.statusCode !== 403 || r.json().code !== 'enrolment_required') {
        leaks.push(`${route.method} ${route.url}: ${r.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
    // A refresh keeps it what it was.
    const refreshed = await t.app.api.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: half.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    const me = await withToken(t, refreshed.json().accessToken, 'GET', '/v1/auth/me');
    expect(me.statusCode).toBe(403);

    // Enrolling with the code the administrator handed over makes it a full sign-in.
    const enrol = await withToken(t, refreshed.json().accessToken, 'POST', '/v1/auth/totp/enroll', {
      enrolmentCode: u.enrolmentCode,
    });
    expect(enrol.statusCode).toBe(200);
    const done = await withToken(t, refreshed.json().accessToken, 'POST', '/v1/auth/totp/confirm', {
      code: await codeAt(t, enrol.json().secret),
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().stage).toBe('complete');
    expect((await withToken(t, done.json().accessToken, 'GET', '/v1/users')).statusCode).toBe(200);
    // The half session is over.
    expect(
      (await withToken(t, refreshed.json().accessToken, 'GET', '/v1/auth/me')).statusCode,
    ).toBe(401);
  });

  it('refuses short, common, repeated and self-naming passwords with a clear message', async () => {
    const admin = await t.user('admin', 'adm.pw');
    const before = await countRows(t, 'users');
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ['short pass', /at least 12 characters/],
      ['aaaaaaaaaaaa', /repeated or sequential/],
      ['abcabcabcabc', /repeated or sequential/],
      ['345678901234', /repeated or sequential/],
      ['qwerty123456', /common and breached/],
      ['Password1234!', /common and breached/],
      ['iloveyou2024!!', /common and breached/],
      ['ana.newbie rocks hard', /username/],
      ['my watchfloor password', /name of this system/],
    ];
    for (const [password, message] of cases) {
      const res = await t.as(admin, 'POST', '/v1/users', {
        username: 'ana.newbie',
        role: 'analyst',
        password,
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().message, password).toMatch(message);
      expect(res.json().issues[0].path).toBe('body.password');
    }
    expect(await countRows(t, 'users')).toBe(before);
    // The command line goes through the same check and gets the same 400.
    await expect(
      createUser(t.app.ctx, { username: 'ana.cli', role: 'analyst', password: 'aaaaaaaaaaaa' }),
    ).rejects.toMatchObject({ statusCode: 400, issues: [{ path: 'body.password' }] });
    // No composition rules: a long phrase of lower-case words is fine.
    const ok = await t.as(admin, 'POST', '/v1/users', {
      username: 'ana.newbie',
      role: 'analyst',
      password: 'purple tractor on the old bridge',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().enrolmentCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const stored = await t.store.store.query<{ code_hash: string }>(
      'select code_hash from enrolment_codes where user_id = $1',
      [ok.json().id],
    );
    expect(stored.rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]!.code_hash).not.toContain(ok.json().enrolmentCode);
  });

  it('changes a password: current one required, audited, other sessions ended', async () => {
    const u = await t.user('analyst', 'ana.change');
    const other = await t.user('analyst', 'ana.bystander');
    // A second session of the same user (another console).
    const second = await t.app.ctx.tokens.issue({
      userId: u.id,
      username: u.username,
      role: u.role,
      sessionId: 'second-console',
    });
    await t.store.store.query(
      `insert into sessions (id, user_id, created_at, last_seen_at, scope)
       values ('second-console', $1, $2, $2, 'full')`,
      [u.id, new Date(t.clock.now()).toISOString()],
    );
    const change = (body: Record<string, unknown>) => t.as(u, 'POST', '/v1/auth/password', body);

    const wrong = await change({
      currentPassword: 'not my password!',
      newPassword: 'river stone lantern',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'bad_password', message: /current password/ });
    const weak = await change({ currentPassword: TEST_PASSWORD, newPassword: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/common and breached/);
    const same = await change({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.statusCode).toBe(400);
    expect((await withToken(t, second.token, 'GET', '/v1/auth/me')).statusCode).toBe(200);

    const ok = await change({ currentPassword: TEST_PASSWORD, newPassword: 'river stone lantern' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().otherSessionsEnded).toBe(1);
    expect((await t.as(u, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    expect((await withToken(t, second.token, 'GET', '/v1/auth/me')).statusCode).toBe(401);
    expect((await t.as(other, 'GET', '/v1/auth/me')).statusCode).toBe(200);

    const address = '10.1.0.2';
    expect(
      (await loginFrom(t, address, { username: 'ana.change', password: TEST_PASSWORD })).statusCode,
    ).toBe(401);
    const fresh = await loginFrom(t, address, {
      username: 'ana.change',
      password: 'river stone lantern',
    });
    expect(fresh.statusCode).toBe(200);

    const audit = (await auditRows(t, 'auth.password_change')).filter((a) => a.actor_id === u.id);
    expect(audit.map((a) => a.outcome)).toEqual(['failure', 'success']);
    expect(audit[1]!.details).toMatchObject({ otherSessionsEnded: 1 });
    for (const a of audit) expect(JSON.stringify(a.details)).not.toMatch(/river|correct horse/);
  });

  it('throttles failures per address with 429 and Retry-After, without slowing anyone else', async () => {
    const victim = await t.user('analyst', 'ana.target');
    const bystander = await t.user('analyst', 'ana.elsewhere');
    const attacker = '10.9.9.9';
    for (let i = 0; i < 10; i += 1) {
      const res = await loginFrom(t, attacker, {
        username: `guess.${i}`,
        password: 'wrong password!',
      });
      expect(res.statusCode).toBe(401);
    }
    const auditBefore = await countRows(t, 'audit_log');
    const refused = [];
    for (let i = 0; i < 40; i += 1) {
      refused.push(
        await loginFrom(t, attacker, { username: 'ana.target', password: TEST_PASSWORD }),
      );
    }
    for (const res of refused) {
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
      expect(res.json()).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'too_many_attempts',
        message: expect.stringMatching(/from this address: try again in \d+ minutes?/),
      });
    }
    // Nothing was tried: no password check, no failure counted, no audit row per attempt.
    expect(await countRows(t, 'audit_log')).toBe(auditBefore);
    const row = await findUserByUsername(t.store.store, 'ana.target');
    expect(row!.failed_attempts).toBe(0);

    // Everyone else goes on: another address signs in, open sessions keep working.
    const elsewhere = await loginFrom(t, '10.1.0.3', {
      username: 'ana.elsewhere',
      password: TEST_PASSWORD,
    });
    expect(elsewhere.statusCode).toBe(200);
    expect((await t.as(bystander, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    expect((await t.as(victim, 'GET', '/v1/auth/me')).statusCode).toBe(200);

    // The refused attempts become one audit row with their count when the window ends.
    await t.app.signInThrottle.flush();
    expect(await auditRows(t, 'auth.login_throttled')).toEqual([]);
    t.clock.advance(10 * MINUTE);
    await t.app.signInThrottle.flush();
    const throttled = await auditRows(t, 'auth.login_throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({
      outcome: 'denied',
      target_id: attacker,
      details: { address: attacker, refused: 40 },
    });
    // And the address may try again.
    const later = await loginFrom(t, attacker, { username: 'ana.target', password: TEST_PASSWORD });
    expect(later.statusCode).toBe(200);
  });

  it('throttles an account from any address; an administrator can unlock it, audited', async () => {
    const admin = await t.user('admin', 'adm.unlock');
    const u = await t.user('analyst', 'ana.locked');
    for (let i = 0; i < 5; i += 1) {
      const res = await loginFrom(t, `10.2.0.${i}`, {
        username: 'ana.locked',
        password: 'nope nope nope',
      });
      expect(res.statusCode).toBe(401);
    }
    const fromAnywhere = await loginFrom(t, '10.2.1.1', {
      username: 'ana.locked',
      password: TEST_PASSWORD,
    });
    expect(fromAnywhere.statusCode).toBe(429);
    expect(fromAnywhere.json().message).toMatch(/for this account/);
    // An unknown name is answered the same way: the throttle tells nobody who exists.
    for (let i = 0; i < 5; i += 1) {
      await loginFrom(t, `10.3.0.${i}`, { username: 'ana.nobody', password: 'nope nope nope' });
    }
    const unknown = await loginFrom(t, '10.3.1.1', { username: 'ana.nobody', password: 'x' });
    expect(unknown.statusCode).toBe(429);
    expect(unknown.json()).toMatchObject({
      code: 'too_many_attempts',
      message: /for this account/,
    });

    const analyst = await t.user('analyst', 'ana.notadmin2');
    expect((await t.as(analyst, 'POST', `/v1/users/${u.id}/unlock`)).statusCode).toBe(403);
    const unlocked = await t.as(admin, 'POST', `/v1/users/${u.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect((await t.as(admin, 'POST', '/v1/users/no-such-user/unlock')).statusCode).toBe(404);
    const again = await loginFrom(t, '10.2.1.1', {
      username: 'ana.locked',
      password: TEST_PASSWORD,
    });
    expect(again.statusCode).toBe(200);
    const audit = (await auditRows(t, 'user.unlock')).filter((a) => a.target_id === u.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: admin.id,
      details: { username: 'ana.locked', failuresCleared: 5 },
    });
    expect(audit[0]!.details.wasLockedUntil).toEqual(expect.any(String));

    // Unlocking from another process (`wf user unlock`) only changes the database: the
    // server's throttle honours it at the next attempt.
    t.clock.advance(1_000);
    for (let i = 0; i < 5; i += 1) {
      await loginFrom(t, `10.4.0.${i}`, { username: 'ana.locked', password: 'nope nope nope' });
    }
    expect(
      (await loginFrom(t, '10.4.1.1', { username: 'ana.locked', password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(429);
    t.clock.advance(1_000);
    await unlockUser(t.app.ctx, u.id, { id: null, name: 'cli:test' });
    expect(
      (await loginFrom(t, '10.4.1.1', { username: 'ana.locked', password: TEST_PASSWORD }))
        .statusCode,
    ).toBe(200);
  });

  it('an event stream recheck is not activity: an unattended console idles out', async () => {
    const idle = await startTestApp(kind, { config: { sessionIdleMinutes: 1 } });
    try {
      const u = await idle.user('analyst', 'ana.idle');
      idle.clock.advance(50_000);
      // What the stream's periodic recheck does, with nobody at the console.
      expect('principal' in (await authenticateFull(idle.app.ctx, u.token, 'check'))).toBe(true);
      idle.clock.advance(20_000);
      const later = await authenticateFull(idle.app.ctx, u.token, 'check');
      expect(later).toEqual({ reason: expect.stringMatching(/inactivity/) });
      // A request the person makes is activity, and keeps another session alive.
      const v = await idle.user('analyst', 'ana.busy');
      idle.clock.advance(50_000);
      expect((await idle.as(v, 'GET', '/v1/auth/me')).statusCode).toBe(200);
      idle.clock.advance(20_000);
      expect((await idle.as(v, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    } finally {
      await idle.close();
    }
  });
});
