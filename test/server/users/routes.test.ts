import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../../support/testApp';
import { auditRows, countRows, login, withToken } from '../auth/signIn';

describe.each(STORE_KINDS)('user administration on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin', 'adm.users');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists users without hashes or secrets', async () => {
    const enrolled = await t.user('analyst', 'ana.listed');
    await t.as(enrolled, 'POST', '/v1/auth/totp/enroll');
    const res = await t.as(admin, 'GET', '/v1/users');
    expect(res.statusCode).toBe(200);
    const users = res.json().users as Array<Record<string, unknown>>;
    expect(users.map((u) => u.username)).toEqual(
      expect.arrayContaining(['adm.users', 'ana.listed']),
    );
    expect(Object.keys(users[0]!).sort()).toEqual([
      'createdAt',
      'disabled',
      'displayName',
      'id',
      'lastSignInAt',
      'lockedUntil',
      'role',
      'totpEnrolled',
      'username',
    ]);
    expect(res.body).not.toMatch(/argon2|hash|secret|failed/i);
  });

  it('shows a lockout in the list', async () => {
    await t.user('officer', 'ofc.locked');
    for (let i = 0; i < 5; i += 1)
      await login(t, { username: 'ofc.locked', password: 'nope nope' });
    const res = await t.as(admin, 'GET', '/v1/users');
    const row = (res.json().users as Array<{ username: string; lockedUntil: string | null }>).find(
      (u) => u.username === 'ofc.locked',
    );
    expect(row?.lockedUntil).toBe(new Date(t.clock.now() + 10 * 60_000).toISOString());
  });

  it('creates a user who can then sign in; the creation names the administrator', async () => {
    const res = await t.as(admin, 'POST', '/v1/users', {
      username: 'lt.new',
      displayName: 'Lt. New',
      role: 'lieutenant',
      password: 'a long enough password',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'lt.new', role: 'lieutenant', disabled: false });
    expect(res.body).not.toContain('password');
    const signedIn = await login(t, { username: 'lt.new', password: 'a long enough password' });
    expect(signedIn.statusCode).toBe(200);
    const audit = (await auditRows(t, 'user.create')).filter((a) => a.target_id === res.json().id);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, outcome: 'success' });

    const taken = await t.as(admin, 'POST', '/v1/users', {
      username: 'lt.new',
      role: 'analyst',
      password: 'another long password',
    });
    expect(taken.statusCode).toBe(409);
  });

  it('changes role and name; disabling ends the sessions', async () => {
    const target = await t.user('analyst', 'ana.patch');
    const res = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, {
      displayName: 'Analyst Patch',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Analyst Patch', role: 'analyst' });
    // A name change leaves the session alone.
    expect((await t.as(target, 'GET', '/v1/auth/me')).statusCode).toBe(200);

    const signedIn = await login(t, { username: 'ana.patch', password: TEST_PASSWORD });
    const disabled = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await t.as(target, 'GET', '/v1/auth/me')).statusCode).toBe(401);
    expect((await withToken(t, signedIn.json().accessToken, 'GET', '/v1/auth/me')).statusCode).toBe(
      401,
    );
    expect((await login(t, { username: 'ana.patch', password: TEST_PASSWORD })).statusCode).toBe(
      401,
    );

    const enabled = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, {
      disabled: false,
      role: 'supervisor',
    });
    expect(enabled.json()).toMatchObject({ disabled: false, role: 'supervisor' });
    const back = await login(t, { username: 'ana.patch', password: TEST_PASSWORD });
    expect(back.json().user.role).toBe('supervisor');

    const audit = (await auditRows(t, 'user.update')).filter((a) => a.target_id === target.id);
    expect(audit.map((a) => a.details.changes)).toEqual([
      { displayName: { from: 'ana.patch', to: 'Analyst Patch' } },
      { disabled: { from: false, to: true } },
      { disabled: { from: true, to: false }, role: { from: 'analyst', to: 'supervisor' } },
    ]);
    expect(audit[1]!.details.sessionsRevoked).toBe(2);
  });

  it('ends the sessions of a user whose role changes', async () => {
    const target = await t.user('admin', 'adm.demoted');
    const res = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, { role: 'officer' });
    expect(res.statusCode).toBe(200);
    // The old token still says admin; it must not keep admin rights until it expires.
    expect((await t.as(target, 'GET', '/v1/users')).statusCode).toBe(401);
  });

  it('will not let an administrator disable or demote themselves', async () => {
    for (const body of [{ disabled: true }, { role: 'analyst' }]) {
      const res = await t.as(admin, 'PATCH', `/v1/users/${admin.id}`, body);
      expect(res.statusCode).toBe(409);
    }
    expect((await t.as(admin, 'GET', '/v1/auth/me')).json().user.role).toBe('admin');
  });

  it('refuses other roles with 403, and audits the refusal', async () => {
    const analyst = await t.user('analyst', 'ana.nosy');
    const supervisor = await t.user('supervisor', 'sup.nosy');
    const before = await countRows(t, 'users');
    const attempts = [
      await t.as(analyst, 'GET', '/v1/users'),
      await t.as(analyst, 'POST', '/v1/users', {
        username: 'ana.sneaky',
        role: 'admin',
        password: 'a long enough password',
      }),
      await t.as(analyst, 'PATCH', `/v1/users/${analyst.id}`, { role: 'admin' }),
      await t.as(supervisor, 'GET', '/v1/users'),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
    expect(attempts[0]!.json().message).toMatch(/users\.manage/);
    expect(await countRows(t, 'users')).toBe(before);
    const denied = (await auditRows(t, 'permission.denied')).filter(
      (a) => a.actor_id === analyst.id,
    );
    expect(denied.map((a) => a.target_id)).toEqual([
      'GET /v1/users',
      'POST /v1/users',
      'PATCH /v1/users/:id',
    ]);
    expect((await t.app.api.inject({ method: 'GET', url: '/v1/users' })).statusCode).toBe(401);
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const target = await t.user('officer', 'ofc.input');
    const tables = ['users', 'sessions', 'audit_log', 'events'];
    const counts = await Promise.all(tables.map((n) => countRows(t, n)));
    const creates: unknown[] = [
      {},
      { username: 'x.user', role: 'analyst', password: '' },
      { username: 'x.user', role: 'chief', password: 'a long enough password' },
      { username: 'X User', role: 'analyst', password: 'a long enough password' },
      { username: 'x.user', role: 'analyst', password: 'short' },
      { username: 'x'.repeat(65), role: 'analyst', password: 'a long enough password' },
      { username: 'x.user', role: 'analyst', password: 'p'.repeat(257) },
      {
        username: 'x.user',
        displayName: 'd'.repeat(121),
        role: 'analyst',
        password: 'a long enough password',
      },
      { username: ['x.user'], role: 'analyst', password: 'a long enough password' },
    ];
    for (const body of creates) {
      const res = await t.as(admin, 'POST', '/v1/users', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const patches: unknown[] = [
      {},
      { role: 'chief' },
      { disabled: 'yes' },
      { displayName: '' },
      { displayName: 'd'.repeat(121) },
      { password: 'a new long password' },
      { role: 'analyst', totp_secret: null },
    ];
    for (const body of patches) {
      const res = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const longId = await t.as(admin, 'PATCH', `/v1/users/${'i'.repeat(150)}`, { disabled: true });
    expect(longId.statusCode).toBe(400);
    expect(await Promise.all(tables.map((n) => countRows(t, n)))).toEqual(counts);
    const missing = await t.as(admin, 'PATCH', '/v1/users/no-such-user', { disabled: true });
    expect(missing.statusCode).toBe(404);
  });

  it('describes every auth and user route in the OpenAPI document', async () => {
    const doc = (await t.app.api.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    const paths = doc.paths as Record<
      string,
      Record<string, { summary?: string; tags?: string[] }>
    >;
    const expected: Array<[string, string]> = [
      ['/v1/auth/login', 'post'],
      ['/v1/auth/refresh', 'post'],
      ['/v1/auth/logout', 'post'],
      ['/v1/auth/me', 'get'],
      ['/v1/auth/totp/enroll', 'post'],
      ['/v1/auth/totp/confirm', 'post'],
      ['/v1/users', 'get'],
      ['/v1/users', 'post'],
      ['/v1/users/{id}', 'patch'],
      ['/v1/users/{id}/reset-totp', 'post'],
      ['/v1/users/{id}/unlock', 'post'],
      ['/v1/users/{id}/end-sessions', 'post'],
    ];
    for (const [path, method] of expected) {
      const op = paths[path]?.[method];
      expect(op?.summary, `${method} ${path}`).toBeTruthy();
      expect(op?.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
    }
  });
});
