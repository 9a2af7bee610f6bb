import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../support/testApp';
import { auditRows, countRows, login, refresh, withToken } from './signIn';

const MINUTE = 60_000;

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly sessionId: string;
}

describe.each(STORE_KINDS)('sessions and refresh on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Session mechanics; the second factor is secondFactor.test.ts.
    t = await startTestApp(kind, { config: { secondFactor: 'optional' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function signedIn(username: string): Promise<Tokens> {
    await t.user('analyst', username);
    const res = await login(t, { username, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function sessionRow(id: string) {
    const res = await t.store.store.query<{
      revoked_at: Date | null;
      revoke_reason: string | null;
    }>('select revoked_at, revoke_reason from sessions where id = $1', [id]);
    return res.rows[0]!;
  }

  const me = (token: string) => withToken(t, token, 'GET', '/v1/auth/me');

  it('rotates: each refresh returns a new pair in the same session', async () => {
    const first = await signedIn('ana.rotate');
    const r1 = await refresh(t, first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second: Tokens = r1.json();
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.accessToken)).statusCode).toBe(200);

    const r2 = await refresh(t, second.refreshToken);
    expect(r2.statusCode).toBe(200);
    expect(r2.json().sessionId).toBe(first.sessionId);
    expect(await countRows(t, 'refresh_tokens')).toBeGreaterThanOrEqual(3);
    const audit = (await auditRows(t, 'auth.refresh')).filter(
      (a) => a.target_id === first.sessionId,
    );
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'success']);
  });

  it('ends the whole family when a rotated token is presented again', async () => {
    const first = await signedIn('ana.reuse');
    const second: Tokens = (await refresh(t, first.refreshToken)).json();

    const replay = await refresh(t, first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toMatch(/already used/);

    // The legitimate holder's newer token and access token die with the family.
    expect((await refresh(t, second.refreshToken)).statusCode).toBe(401);
    expect((await me(second.accessToken)).statusCode).toBe(401);
    expect((await me(first.accessToken)).statusCode).toBe(401);
    expect(await sessionRow(first.sessionId)).toMatchObject({ revoke_reason: 'refresh_reuse' });

    const reuse = (await auditRows(t, 'auth.refresh_reuse')).filter(
      (a) => a.target_id === first.sessionId,
    );
    expect(reuse).toHaveLength(1);
    expect(reuse[0]).toMatchObject({ outcome: 'failure', details: { sessionRevoked: true } });
  });

  it('expires after 30 idle minutes, and a refresh is not activity', async () => {
    const a = await signedIn('ana.idle');
    t.clock.advance(31 * MINUTE);
    expect((await me(a.accessToken)).statusCode).toBe(401);
    const r = await refresh(t, a.refreshToken);
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toMatch(/inactivity/);
    expect(await sessionRow(a.sessionId)).toMatchObject({ revoke_reason: 'idle' });

    // Background refreshes alone do not keep a session alive.
    const b = await signedIn('ana.idle2');
    t.clock.advance(20 * MINUTE);
    const b2: Tokens = (await refresh(t, b.refreshToken)).json();
    expect(b2.accessToken).toBeTruthy();
    t.clock.advance(11 * MINUTE);
    expect((await refresh(t, b2.refreshToken)).statusCode).toBe(401);

    // A request with the access token does.
    const c = await signedIn('ana.idle3');
    t.clock.advance(4 * MINUTE);
    expect((await me(c.accessToken)).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await refresh(t, c.refreshToken)).statusCode).toBe(200);
  });

  it('ends at the end of the shift (12 hours) however active the user is', async () => {
    let tokens = await signedIn('ana.shift');
    const start = t.clock.now();
    let refused = 0;
    // Active every 25 minutes; bounded at 13 hours.
    for (let i = 0; i < 32; i += 1) {
      t.clock.advance(25 * MINUTE);
      const r = await refresh(t, tokens.refreshToken);
      if (r.statusCode !== 200) {
        refused = t.clock.now() - start;
        expect(r.json().message).toMatch(/end of its shift/);
        break;
      }
      tokens = r.json();
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
    }
    expect(refused).toBeGreaterThanOrEqual(12 * 60 * MINUTE);
    expect(refused).toBeLessThan(12 * 60 * MINUTE + 25 * MINUTE);
    expect(await sessionRow(tokens.sessionId)).toMatchObject({ revoke_reason: 'expired' });
  });

  it('signs out: the access token and the refresh token stop working', async () => {
    const a = await signedIn('ana.logout');
    const out = await withToken(t, a.accessToken, 'POST', '/v1/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.json().sessionId).toBe(a.sessionId);
    expect((await me(a.accessToken)).statusCode).toBe(401);
    expect((await refresh(t, a.refreshToken)).statusCode).toBe(401);
    expect(await sessionRow(a.sessionId)).toMatchObject({ revoke_reason: 'logout' });
    const audit = (await auditRows(t, 'auth.logout')).filter((r) => r.target_id === a.sessionId);
    expect(audit).toHaveLength(1);
    expect((await t.app.api.inject({ method: 'POST', url: '/v1/auth/logout' })).statusCode).toBe(
      401,
    );
  });

  it('ends the session of a user who was disabled', async () => {
    const a = await signedIn('ana.refresh.disabled');
    await t.store.store.query('update users set disabled = true where username = $1', [
      'ana.refresh.disabled',
    ]);
    expect((await refresh(t, a.refreshToken)).statusCode).toBe(401);
    expect(await sessionRow(a.sessionId)).toMatchObject({ revoke_reason: 'disabled' });
  });

  it('answers malformed refresh requests with 400 and unknown tokens with 401', async () => {
    const before = await countRows(t, 'refresh_tokens');
    for (const token of [undefined, 42, null, '', 'short', 'x'.repeat(44), 'a'.repeat(42) + '!']) {
      const res = await refresh(t, token);
      expect(res.statusCode, String(token)).toBe(400);
    }
    const unknown = await refresh(t, 'A'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(await countRows(t, 'refresh_tokens')).toBe(before);
  });
});
