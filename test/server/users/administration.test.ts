import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { updateUser } from '../../../server/users/userChanges';
import type { Role } from '../../../shared/domain/roles';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../../support/testApp';
import { auditRows, codeAt, countRows, login, withToken } from '../auth/signIn';

/**
 * The Users panel's actions (docs/users.md): a first password of the administrator's or a
 * temporary one, roles, disable, unlock, a new enrolment, ending sessions; the guards that keep
 * an administrator from raising or removing themselves or the last administrator.
 */

/** An enrolled authenticator's secret (base32, 160 bits), for accounts set up by hand. */
const APP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

interface ListedUser {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  totpEnrolled: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
}

interface EventRow {
  type: string;
  payload: Record<string, unknown>;
}

describe.each(STORE_KINDS)('the Users panel actions on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;

  async function listed(username: string): Promise<ListedUser | undefined> {
    const res = await t.as(admin, 'GET', '/v1/users');
    expect(res.statusCode).toBe(200);
    return (res.json().users as ListedUser[]).find((u) => u.username === username);
  }

  async function eventsAfter(id: number): Promise<EventRow[]> {
    const res = await t.store.store.query<EventRow>(
      'select type, payload from events where id > $1 order by id',
      [id],
    );
    return res.rows;
  }

  async function lastEventId(): Promise<number> {
    const res = await t.store.store.query<{ id: string | null }>(
      'select max(id) as id from events',
    );
    return Number(res.rows[0]!.id ?? 0);
  }

  /** Every table a refused change must leave alone. */
  async function snapshot() {
    const users = await t.store.store.query('select * from users order by id');
    const sessions = await t.store.store.query('select id, revoked_at from sessions order by id');
    return {
      users: users.rows,
      sessions: sessions.rows,
      audit: await countRows(t, 'audit_log'),
      events: await countRows(t, 'events'),
    };
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin', 'adm.panel');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a user with a temporary password shown once, which signs in; the audit names the kind of password, never the password', async () => {
    const before = await lastEventId();
    const res = await t.as(admin, 'POST', '/v1/users', {
      username: 'ofc.temp',
      displayName: 'Ofc. Temp',
      role: 'officer',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { id: string; temporaryPassword: string; enrolmentCode: string };
    expect(body.temporaryPassword).toMatch(/^[0-9a-z]{5}(-[0-9a-z]{5}){3}$/);
    expect(body.enrolmentCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    const signedIn = await login(t, { username: 'ofc.temp', password: body.temporaryPassword });
    expect(signedIn.statusCode).toBe(200);
    // Not enrolled yet: the password opens the enrolment step only.
    expect(signedIn.json().stage).toBe('enrolment');

    const audit = (await auditRows(t, 'user.create')).find((a) => a.target_id === body.id);
    expect(audit).toMatchObject({ actor_id: admin.id, outcome: 'success' });
    expect(audit!.details.password).toBe('temporary');
    const trail = await t.store.store.query<{ details: unknown }>('select details from audit_log');
    expect(JSON.stringify(trail.rows)).not.toContain(body.temporaryPassword);
    expect(await eventsAfter(before)).toEqual([
      {
        type: 'user.created',
        payload: { userId: body.id, username: 'ofc.temp', role: 'officer' },
      },
    ]);
    // The list shows the new account as not enrolled and never signed in.
    expect(await listed('ofc.temp')).toMatchObject({
      totpEnrolled: false,
      disabled: false,
      lockedUntil: null,
      lastSignInAt: null,
    });
  });

  it('makes a temporary password be changed at first sign-in: after the code, only the change answers; then a complete sign-in', async () => {
    const res = await t.as(admin, 'POST', '/v1/users', { username: 'ofc.first', role: 'officer' });
    expect(res.statusCode).toBe(201);
    const made = res.json() as { id: string; temporaryPassword: string; enrolmentCode: string };
    const created = (await auditRows(t, 'user.create')).find((a) => a.target_id === made.id);
    expect(created!.details.mustChangeAtFirstSignIn).toBe(true);

    // Password, then the enrolment of an authenticator: the session that follows may only
    // change the password.
    const first = await login(t, { username: 'ofc.first', password: made.temporaryPassword });
    expect(first.json().stage).toBe('enrolment');
    const enrolToken = first.json().accessToken as string;
    const start = await withToken(t, enrolToken, 'POST', '/v1/auth/totp/enroll', {
      enrolmentCode: made.enrolmentCode,
    });
    expect(start.statusCode).toBe(200);
    const secret = start.json().secret as string;
    const confirmed = await withToken(t, enrolToken, 'POST', '/v1/auth/totp/confirm', {
      code: await codeAt(t, secret),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().stage).toBe('password_change');
    const limited = confirmed.json().accessToken as string;

    // Everything else is refused with its own code, and nothing is read.
    for (const [method, url] of [
      ['GET', '/v1/auth/me'],
      ['GET', '/v1/cameras'],
      ['GET', '/v1/users'],
    ] as const) {
      const refused = await withToken(t, limited, method, url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().code).toBe('password_change_required');
      expect(refused.json().message).toMatch(/new password/);
    }
    // The rules of every password apply; a refused change changes nothing.
    const weak = await withToken(t, limited, 'POST', '/v1/auth/password', {
      currentPassword: made.temporaryPassword,
      newPassword: 'password1234',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('weak_password');
    const same = await withToken(t, limited, 'POST', '/v1/auth/password', {
      currentPassword: made.temporaryPassword,
      newPassword: made.temporaryPassword,
    });
    expect(same.statusCode).toBe(400);
    const flag = async () =>
      (
        await t.store.store.query<{ password_must_change: boolean }>(
          'select password_must_change from users where id = $1',
          [made.id],
        )
      ).rows[0]!.password_must_change;
    expect(await flag()).toBe(true);
    expect((await listed('ofc.first'))?.lastSignInAt).toBeNull();

    const chosen = 'lantern meadow under seven pines';
    const changed = await withToken(t, limited, 'POST', '/v1/auth/password', {
      currentPassword: made.temporaryPassword,
      newPassword: chosen,
    });
    expect(changed.statusCode).toBe(200);
    const full = changed.json().signIn as { accessToken: string; stage: string; sessionId: string };
    expect(full.stage).toBe('complete');
    expect(await flag()).toBe(false);
    // The limited session is over; the complete one reaches what the role allows.
    expect((await withToken(t, limited, 'GET', '/v1/auth/me')).statusCode).toBe(401);
    expect((await withToken(t, full.accessToken, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    expect((await withToken(t, full.accessToken, 'GET', '/v1/cameras')).statusCode).toBe(200);
    expect((await listed('ofc.first'))?.lastSignInAt).not.toBeNull();

    const [audited] = (await auditRows(t, 'auth.password_change')).filter(
      (a) => a.target_id === made.id && a.outcome === 'success',
    );
    expect(audited!.details).toMatchObject({
      temporaryReplaced: true,
      completedSession: full.sessionId,
    });
    const trail = await t.store.store.query('select details from audit_log');
    expect(JSON.stringify(trail.rows)).not.toContain(chosen);

    // The next sign-in is a plain one with the chosen password.
    t.clock.advance(30_000);
    const next = await login(t, {
      username: 'ofc.first',
      password: chosen,
      totpCode: await codeAt(t, secret),
    });
    expect(next.statusCode).toBe(200);
    expect(next.json().stage).toBe('complete');
    expect(
      (await login(t, { username: 'ofc.first', password: made.temporaryPassword })).statusCode,
    ).toBe(401);
  });

  it('asks for the change right after the password when the account has its authenticator already', async () => {
    const res = await t.as(admin, 'POST', '/v1/users', { username: 'ofc.second', role: 'officer' });
    const made = res.json() as { id: string; temporaryPassword: string };
    await t.store.store.query('update users set totp_secret = $2 where id = $1', [
      made.id,
      APP_SECRET,
    ]);
    const signedIn = await login(t, {
      username: 'ofc.second',
      password: made.temporaryPassword,
      totpCode: await codeAt(t, APP_SECRET),
    });
    expect(signedIn.json().stage).toBe('password_change');
    const [loginAudit] = (await auditRows(t, 'auth.login'))
      .filter((a) => a.target_id === made.id)
      .reverse();
    expect(loginAudit!.details.stage).toBe('password_change');
    // Every route but the change itself, sign-out and the enrolment steps refuses it, even those
    // any signed-in user may use (machines' ingest routes take no session at all).
    const closed = t.app.routes.filter(
      (r) =>
        r.access !== 'public' &&
        r.access !== 'enrolment' &&
        !String(r.access).startsWith('ingest:') &&
        !r.url.endsWith('/stream') &&
        !(r.method === 'POST' && r.url === '/v1/auth/password'),
    );
    expect(closed.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const route of closed) {
      const url = route.url.replace(/:([A-Za-z]+)/g, 'x');
      const r = await withToken(t, signedIn.json().accessToken, route.method as 'GET', url);
      if (r.statusCode !== 403 || r.json().code !== 'password_change_required') {
        leaks.push(`${route.method} ${route.url}: ${r.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("creates a user with the administrator's password and no temporary one", async () => {
    const res = await t.as(admin, 'POST', '/v1/users', {
      username: 'ana.set',
      role: 'analyst',
      password: 'amber kite over the quiet harbour',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().temporaryPassword).toBeUndefined();
    const audit = (await auditRows(t, 'user.create')).find((a) => a.target_id === res.json().id);
    expect(audit!.details.password).toBe('set_by_administrator');
    expect(audit!.details.mustChangeAtFirstSignIn).toBe(false);
    // Not forced to change it: the administrator chose it to hand over.
    await t.store.store.query('update users set totp_secret = $2 where id = $1', [
      res.json().id,
      APP_SECRET,
    ]);
    const signedIn = await login(t, {
      username: 'ana.set',
      password: 'amber kite over the quiet harbour',
      totpCode: await codeAt(t, APP_SECRET),
    });
    expect(signedIn.json().stage).toBe('complete');
  });

  it('lists the last completed sign-in', async () => {
    const user = await t.user('analyst', 'ana.seen');
    expect((await listed('ana.seen'))?.lastSignInAt).toBe(new Date(t.clock.now()).toISOString());
    expect((await listed(user.username))?.role).toBe('analyst');
  });

  it('changes a role and disables and enables an account, each audited with an event', async () => {
    const target = await t.user('analyst', 'ana.roles');
    const before = await lastEventId();
    const promoted = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, { role: 'lieutenant' });
    expect(promoted.statusCode).toBe(200);
    const disabled = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, { disabled: true });
    expect(disabled.json()).toMatchObject({ disabled: true, role: 'lieutenant' });
    expect((await login(t, { username: 'ana.roles', password: TEST_PASSWORD })).statusCode).toBe(
      401,
    );
    const enabled = await t.as(admin, 'PATCH', `/v1/users/${target.id}`, { disabled: false });
    expect(enabled.json().disabled).toBe(false);
    expect(
      (await eventsAfter(before)).map((e) => [e.type, e.payload.role, e.payload.disabled]),
    ).toEqual([
      ['user.updated', 'lieutenant', false],
      ['user.updated', 'lieutenant', true],
      ['user.updated', 'lieutenant', false],
    ]);
    const audit = (await auditRows(t, 'user.update')).filter((a) => a.target_id === target.id);
    expect(audit.map((a) => a.details.changes)).toEqual([
      { role: { from: 'analyst', to: 'lieutenant' } },
      { disabled: { from: false, to: true } },
      { disabled: { from: true, to: false } },
    ]);
    expect(audit.every((a) => a.actor_id === admin.id)).toBe(true);
  });

  it('unlocks a locked-out account at once: the right password works again', async () => {
    const target = await t.user('officer', 'ofc.unlock');
    for (let i = 0; i < 5; i += 1)
      await login(t, { username: 'ofc.unlock', password: 'nope nope' });
    expect((await listed('ofc.unlock'))?.lockedUntil).not.toBeNull();
    expect(
      (await login(t, { username: 'ofc.unlock', password: TEST_PASSWORD })).statusCode,
    ).not.toBe(200);
    const before = await lastEventId();
    const res = await t.as(admin, 'POST', `/v1/users/${target.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect((await listed('ofc.unlock'))?.lockedUntil).toBeNull();
    expect((await login(t, { username: 'ofc.unlock', password: TEST_PASSWORD })).statusCode).toBe(
      200,
    );
    expect((await eventsAfter(before))[0]).toEqual({
      type: 'user.unlocked',
      payload: { userId: target.id, username: 'ofc.unlock' },
    });
    const audit = (await auditRows(t, 'user.unlock')).find((a) => a.target_id === target.id);
    expect(audit).toMatchObject({ actor_id: admin.id, outcome: 'success' });
    expect(audit!.details.failuresCleared).toBe(5);
  });

  it('resets the authenticator: a new enrolment code, and the next sign-in enrols again', async () => {
    const target = await t.user('analyst', 'ana.reset');
    await t.store.store.query("update users set totp_secret = 'JBSWY3DPEHPK3PXP' where id = $1", [
      target.id,
    ]);
    expect((await listed('ana.reset'))?.totpEnrolled).toBe(true);
    const before = await lastEventId();
    const res = await t.as(admin, 'POST', `/v1/users/${target.id}/reset-totp`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ totpEnrolled: false });
    expect(res.json().enrolmentCode).toMatch(/^[0-9A-Z-]{24}$/);
    expect((await listed('ana.reset'))?.totpEnrolled).toBe(false);
    const signedIn = await login(t, { username: 'ana.reset', password: TEST_PASSWORD });
    expect(signedIn.json().stage).toBe('enrolment');
    expect((await eventsAfter(before))[0]).toMatchObject({
      type: 'user.updated',
      payload: { userId: target.id, totpEnrolled: false },
    });
    const audit = (await auditRows(t, 'user.totp_reset')).find((a) => a.target_id === target.id);
    expect(audit).toMatchObject({ actor_id: admin.id, outcome: 'success' });
    expect(audit!.details.wasEnrolled).toBe(true);
  });

  it("ends all of a user's sessions: their tokens stop working, their consoles hear it, and it is audited", async () => {
    const target = await t.user('analyst', 'ana.ended');
    const second = await login(t, { username: 'ana.ended', password: TEST_PASSWORD });
    const bystander = await t.user('analyst', 'ana.bystander');
    const before = await lastEventId();
    const res = await t.as(admin, 'POST', `/v1/users/${target.id}/end-sessions`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userId: target.id, sessionsEnded: 2 });
    expect((await t.as(target, 'GET', '/v1/auth/me')).statusCode).toBe(401);
    expect((await withToken(t, second.json().accessToken, 'GET', '/v1/auth/me')).statusCode).toBe(
      401,
    );
    // Others are not touched, and the account itself still signs in.
    expect((await t.as(bystander, 'GET', '/v1/auth/me')).statusCode).toBe(200);
    expect((await login(t, { username: 'ana.ended', password: TEST_PASSWORD })).statusCode).toBe(
      200,
    );
    const events = await eventsAfter(before);
    expect(events.map((e) => e.type)).toEqual([
      'session.revoked',
      'session.revoked',
      'user.sessions_ended',
    ]);
    expect(events.slice(0, 2).map((e) => e.payload.sessionId)).toEqual([
      target.sessionId,
      second.json().sessionId,
    ]);
    expect(events[0]!.payload.reason).toBe('ended_by_admin');
    expect(events[2]!.payload).toEqual({
      userId: target.id,
      username: 'ana.ended',
      sessionsEnded: 2,
    });
    const audit = (await auditRows(t, 'user.sessions_end')).find((a) => a.target_id === target.id);
    expect(audit).toMatchObject({ actor_id: admin.id, outcome: 'success' });
    expect(audit!.details.sessionIds).toEqual([target.sessionId, second.json().sessionId]);

    const again = await t.as(admin, 'POST', `/v1/users/${target.id}/end-sessions`);
    expect(again.json().sessionsEnded).toBe(1);
    const missing = await t.as(admin, 'POST', '/v1/users/no-such-user/end-sessions');
    expect(missing.statusCode).toBe(404);
  });

  it('will not let an administrator change their own role or disable themselves: 409, nothing changed', async () => {
    const before = await snapshot();
    for (const body of [{ role: 'officer' }, { role: 'supervisor' }, { disabled: true }]) {
      const res = await t.as(admin, 'PATCH', `/v1/users/${admin.id}`, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(/your own role/);
    }
    expect(await snapshot()).toEqual(before);
    // Their own display name is theirs to change.
    const renamed = await t.as(admin, 'PATCH', `/v1/users/${admin.id}`, { displayName: 'Admin' });
    expect(renamed.statusCode).toBe(200);
  });

  it('will not demote or disable the last active administrator: 409, nothing changed', async () => {
    // Only one administrator is left who can sign in once the others are disabled.
    const other = await t.user('admin', 'adm.other');
    const spare = await t.user('admin', 'adm.spare');
    expect(
      (await t.as(admin, 'PATCH', `/v1/users/${spare.id}`, { disabled: true })).statusCode,
    ).toBe(200);
    const others = await t.store.store.query<{ id: string }>(
      "select id from users where role = 'admin' and not disabled and id not in ($1, $2)",
      [admin.id, other.id],
    );
    expect(others.rows).toEqual([]);
    // With two active administrators, one may demote the other...
    const demoted = await t.as(admin, 'PATCH', `/v1/users/${other.id}`, { role: 'analyst' });
    expect(demoted.statusCode).toBe(200);
    // ...and now the one left cannot be removed, whoever asks (here the command line's actor).
    const before = await snapshot();
    for (const patch of [{ role: 'analyst' as const }, { disabled: true }]) {
      await expect(updateUser(t.app.ctx, admin.id, patch, SYSTEM_ACTOR)).rejects.toMatchObject({
        statusCode: 409,
        message: expect.stringMatching(/adm\.panel is the last active administrator/),
      });
    }
    expect(await snapshot()).toEqual(before);
    // A disabled administrator is not one who can manage users; enabling them is allowed.
    const back = await t.as(admin, 'PATCH', `/v1/users/${spare.id}`, { disabled: false });
    expect(back.statusCode).toBe(200);
    await expect(
      updateUser(t.app.ctx, admin.id, { role: 'supervisor' }, SYSTEM_ACTOR),
    ).resolves.toMatchObject({ role: 'supervisor' });
  });

  it.each(['analyst', 'supervisor', 'lieutenant', 'officer'] as const)(
    'refuses the %s role every user action with 403, audited, nothing changed',
    async (role) => {
      const someone = await t.user(role);
      const target = await t.user('officer');
      const before = await snapshot();
      const attempts = [
        t.as(someone, 'GET', '/v1/users'),
        t.as(someone, 'POST', '/v1/users', { username: `${role}.sneaky`, role: 'admin' }),
        t.as(someone, 'PATCH', `/v1/users/${someone.id}`, { role: 'admin' }),
        t.as(someone, 'PATCH', `/v1/users/${target.id}`, { disabled: true }),
        t.as(someone, 'POST', `/v1/users/${target.id}/unlock`),
        t.as(someone, 'POST', `/v1/users/${target.id}/reset-totp`),
        t.as(someone, 'POST', `/v1/users/${target.id}/end-sessions`),
      ];
      const replies = [];
      for (const a of attempts) replies.push(await a);
      expect(replies.map((r) => r.statusCode)).toEqual([403, 403, 403, 403, 403, 403, 403]);
      const after = await snapshot();
      // Only the refusals were written: one audit row each, no event.
      expect(after.users).toEqual(before.users);
      expect(after.sessions).toEqual(before.sessions);
      expect(after.events).toBe(before.events);
      const denied = (await auditRows(t, 'permission.denied')).filter(
        (a) => a.actor_id === someone.id,
      );
      expect(denied).toHaveLength(7);
    },
  );
});
