import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../support/testApp';
import { auditRows, countRows, login, withToken } from './signIn';

const MINUTE = 60_000;

/**
 * The password, lockout and session mechanics, under the policy that lets a password alone sign
 * in; the mandatory second factor and the throttle per address are secondFactor.test.ts and
 * signInThrottle.test.ts.
 */
describe.each(STORE_KINDS)('sign-in on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: { secondFactor: 'optional', signInFailuresPerAddress: 1000 },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in, and the access token works for the session it names', async () => {
    const u = await t.user('analyst', 'ana.login');
    const res = await login(t, { username: 'ana.login', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      id: u.id,
      username: 'ana.login',
      displayName: 'ana.login',
      role: 'analyst',
      totpEnrolled: false,
    });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(body.accessTokenExpiresAt)).toBeGreaterThan(t.clock.now());
    expect(Date.parse(body.refreshTokenExpiresAt) - t.clock.now()).toBe(12 * 60 * MINUTE);

    const me = await withToken(t, body.accessToken, 'GET', '/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(u.id);
    expect(me.json().session.id).toBe(body.sessionId);
    expect(me.json().session.idleMinutes).toBe(30);
    expect(me.body).not.toContain(body.refreshToken);
    expect(me.body).not.toMatch(/hash|secret|argon/i);

    // Only the digest of the refresh token is stored.
    const stored = await t.store.store.query<{ token_hash: string }>(
      'select token_hash from refresh_tokens where session_id = $1',
      [body.sessionId],
    );
    const digest = createHash('sha256').update(body.refreshToken).digest('hex');
    expect(stored.rows.map((r) => r.token_hash)).toEqual([digest]);

    const audit = await auditRows(t, 'auth.login');
    const mine = audit.filter((a) => a.target_id === u.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ outcome: 'success', actor_id: u.id });
    expect(mine[0]!.details).toMatchObject({ sessionId: body.sessionId });
  });

  it('accepts the username in any case and with spaces around it', async () => {
    await t.user('officer', 'ofc.case');
    const res = await login(t, { username: '  OFC.Case ', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('ofc.case');
  });

  it('locks after 5 failures for exactly 10 minutes, with one reply for every failure, then throttles', async () => {
    const u = await t.user('analyst', 'ana.lock');
    const before = (await auditRows(t, 'auth.login')).length;
    const start = t.clock.now();

    const unknown = await login(t, { username: 'nobody.here', password: TEST_PASSWORD });
    const wrong: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await login(t, { username: 'ana.lock', password: 'not the password' });
      expect(res.statusCode).toBe(401);
      wrong.push(res.body);
    }
    const row = await t.store.store.query<{ failed_attempts: number; locked_until: Date }>(
      'select failed_attempts, locked_until from users where id = $1',
      [u.id],
    );
    expect(row.rows[0]!.failed_attempts).toBe(5);
    expect(new Date(row.rows[0]!.locked_until).getTime()).toBe(start + 10 * MINUTE);

    // Past the failures the lockout allows, the account is throttled: nothing is tried.
    t.clock.advance(9 * MINUTE + 59_000);
    const locked = await login(t, { username: 'ana.lock', password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toMatchObject({ code: 'too_many_attempts', statusCode: 429 });

    // The same words whatever went wrong: nothing tells a guesser who exists or who is locked.
    expect(unknown.statusCode).toBe(401);
    for (const body of wrong) expect(body).toBe(unknown.body);
    expect(unknown.json()).toMatchObject({ code: 'sign_in_failed' });
    expect(unknown.json().message).toMatch(/locked for 10 minutes/);

    t.clock.advance(1_000);
    const unlocked = await login(t, { username: 'ana.lock', password: TEST_PASSWORD });
    expect(unlocked.statusCode).toBe(200);

    const audit = (await auditRows(t, 'auth.login')).slice(before);
    expect(audit.map((a) => [a.outcome, a.details.reason])).toEqual([
      ['failure', 'unknown_user'],
      ['failure', 'bad_password'],
      ['failure', 'bad_password'],
      ['failure', 'bad_password'],
      ['failure', 'bad_password'],
      ['failure', 'bad_password'],
      ['success', undefined],
    ]);
    expect(audit[0]).toMatchObject({ actor_id: null, details: { username: 'nobody.here' } });
    expect(audit.slice(1, 6).map((a) => a.details.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(audit[5]!.details.lockedUntil).toBe(new Date(start + 10 * MINUTE).toISOString());
    for (const a of audit) {
      expect(JSON.stringify(a.details)).not.toContain(TEST_PASSWORD);
      expect(JSON.stringify(a.details)).not.toContain('not the password');
    }

    const lockouts = (await auditRows(t, 'auth.lockout')).filter((a) => a.target_id === u.id);
    expect(lockouts).toHaveLength(1);
    const event = await t.store.store.query<{ payload: { userId: string } }>(
      "select payload from events where type = 'user.locked'",
    );
    expect(event.rows.map((r) => r.payload.userId)).toContain(u.id);
  });

  it('resets the count after a success, and after a lock has run out', async () => {
    const u = await t.user('analyst', 'ana.reset');
    const fail = () => login(t, { username: 'ana.reset', password: 'wrong password!' });
    const ok = () => login(t, { username: 'ana.reset', password: TEST_PASSWORD });
    for (let i = 0; i < 4; i += 1) expect((await fail()).statusCode).toBe(401);
    expect((await ok()).statusCode).toBe(200);
    const failures = async () =>
      (
        await t.store.store.query<{ failed_attempts: number }>(
          'select failed_attempts from users where id = $1',
          [u.id],
        )
      ).rows[0]!.failed_attempts;
    expect(await failures()).toBe(0);
    // Four more would make nine in a row had the success not reset the count.
    for (let i = 0; i < 4; i += 1) expect((await fail()).statusCode).toBe(401);
    expect((await ok()).statusCode).toBe(200);

    for (let i = 0; i < 5; i += 1) await fail();
    expect((await ok()).statusCode).toBe(429);
    t.clock.advance(10 * MINUTE);
    // The first mistake after the wait is mistake one, not six.
    expect((await fail()).statusCode).toBe(401);
    expect(await failures()).toBe(1);
    expect((await ok()).statusCode).toBe(200);
  });

  it('counts guesses sent all at once one by one, and tries no more of them than the lockout allows', async () => {
    const u = await t.user('analyst', 'ana.burst');
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        login(t, { username: 'ana.burst', password: `guess number ${i}` }),
      ),
    );
    // Each is counted before it is tried, so arriving together lets none slip past the limit.
    expect(burst.map((r) => r.statusCode).sort()).toEqual([
      ...Array(5).fill(401),
      ...Array(3).fill(429),
    ]);
    const reasons = (await auditRows(t, 'auth.login'))
      .filter((a) => a.target_id === u.id)
      .map((a) => a.details.reason);
    expect(reasons).toEqual(Array(5).fill('bad_password'));
    expect((await login(t, { username: 'ana.burst', password: TEST_PASSWORD })).statusCode).toBe(
      429,
    );
  });

  it('refuses a disabled account with the same reply, and audits why', async () => {
    const u = await t.user('officer', 'ofc.disabled');
    await t.store.store.query('update users set disabled = true where id = $1', [u.id]);
    const res = await login(t, { username: 'ofc.disabled', password: TEST_PASSWORD });
    const unknown = await login(t, { username: 'ofc.nobody', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe(unknown.body);
    const audit = (await auditRows(t, 'auth.login')).filter((a) => a.target_id === u.id);
    expect(audit.map((a) => a.details.reason)).toEqual(['disabled']);
  });

  it('answers bad input with 400 and stores nothing', async () => {
    await t.user('analyst', 'ana.input');
    const tables = ['users', 'sessions', 'refresh_tokens', 'audit_log'];
    const counts = await Promise.all(tables.map((n) => countRows(t, n)));
    const bodies: unknown[] = [
      {},
      { username: 'ana.input' },
      { password: TEST_PASSWORD },
      { username: 42, password: TEST_PASSWORD },
      { username: 'ana.input', password: ['x'] },
      { username: 'ana.input', password: null },
      { username: '', password: TEST_PASSWORD },
      { username: 'a'.repeat(65), password: TEST_PASSWORD },
      { username: 'ana.input', password: 'p'.repeat(257) },
      { username: 'ana.input', password: TEST_PASSWORD, totpCode: '12345' },
      { username: 'ana.input', password: TEST_PASSWORD, totpCode: 123456 },
      { username: "ana' or 1=1 --", password: TEST_PASSWORD, totpCode: 'abcdef' },
    ];
    for (const body of bodies) {
      const res = await login(t, body as Record<string, unknown>);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toMatch(/^Invalid body/);
    }
    const notJson = await t.app.api.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "ana.input", ',
    });
    expect(notJson.statusCode).toBe(400);
    const huge = await t.app.api.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username: 'ana.input', password: 'x'.repeat(20_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(await Promise.all(tables.map((n) => countRows(t, n)))).toEqual(counts);
  });
});
