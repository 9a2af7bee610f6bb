import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetTotp } from '../../../server/auth/totpEnrollment';
import { HttpError } from '../../../server/http/errorHandler';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../../support/testApp';
import { auditRows, codeAt, login } from './signIn';

const STEP = 30_000;

describe.each(STORE_KINDS)('second factor on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  async function enrolled(username: string): Promise<{ user: TestUser; secret: string }> {
    const user = await t.user('analyst', username);
    const res = await t.as(user, 'POST', '/v1/auth/totp/enroll', {
      enrolmentCode: user.enrolmentCode,
    });
    expect(res.statusCode).toBe(200);
    const { secret } = res.json();
    const ok = await t.as(user, 'POST', '/v1/auth/totp/confirm', { code: await codeAt(t, secret) });
    expect(ok.statusCode).toBe(200);
    // The confirming code's step is used up; later tests sign in on a fresh step.
    t.clock.advance(STEP);
    return { user, secret };
  }

  async function userRow(id: string) {
    const res = await t.store.store.query<{
      totp_secret: string | null;
      totp_pending_secret: string | null;
      failed_attempts: number;
    }>('select totp_secret, totp_pending_secret, failed_attempts from users where id = $1', [id]);
    return res.rows[0]!;
  }

  it('enrols in two steps with the handed-over code, and confirming completes the sign-in', async () => {
    const u = await t.user('analyst', 'ana.enrol');
    // The password (here: the session it opened) is not enough without the enrolment code.
    // One character off: the last one changed (to Y when it is already Z).
    const oneOff = u.enrolmentCode.replace(/.$/, (c) => (c === 'Z' ? 'Y' : 'Z'));
    for (const enrolmentCode of ['0000-0000-0000-0000-0000', oneOff]) {
      const refused = await t.as(u, 'POST', '/v1/auth/totp/enroll', { enrolmentCode });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'bad_enrolment_code' });
      expect(refused.json().message).toMatch(/does not match.*administrator/);
    }
    expect((await t.as(u, 'POST', '/v1/auth/totp/enroll', {})).statusCode).toBe(400);
    expect(await userRow(u.id)).toMatchObject({ totp_pending_secret: null, failed_attempts: 2 });

    // Case, spaces and dashes do not matter in a code copied by hand.
    const typed = ` ${u.enrolmentCode.toLowerCase().replace(/-/g, ' ')} `;
    const res = await t.as(u, 'POST', '/v1/auth/totp/enroll', { enrolmentCode: typed });
    expect(res.statusCode).toBe(200);
    const { secret, otpauthUri } = res.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Watchfloor:ana\.enrol\?/);
    expect(await userRow(u.id)).toMatchObject({ totp_secret: null, totp_pending_secret: secret });

    const wrong = await t.as(u, 'POST', '/v1/auth/totp/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('bad_totp');
    expect((await userRow(u.id)).totp_secret).toBeNull();

    const ok = await t.as(u, 'POST', '/v1/auth/totp/confirm', { code: await codeAt(t, secret) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'complete', user: { totpEnrolled: true } });
    expect(await userRow(u.id)).toMatchObject({ totp_secret: secret, totp_pending_secret: null });
    // The session that enrolled is replaced by the full one the reply carries.
    expect((await t.as(u, 'GET', '/v1/auth/me')).statusCode).toBe(401);
    const me = await t.app.api.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${ok.json().accessToken}` },
    });
    expect(me.json().user.totpEnrolled).toBe(true);

    // The code is used up, and a second enrolment would let a stolen token replace the factor.
    const codes = await t.store.store.query('select 1 from enrolment_codes where user_id = $1', [
      u.id,
    ]);
    expect(codes.rowCount).toBe(0);
    const again = await t.app.api.inject({
      method: 'POST',
      url: '/v1/auth/totp/enroll',
      headers: { authorization: `Bearer ${ok.json().accessToken}` },
      payload: { enrolmentCode: u.enrolmentCode },
    });
    expect(again.statusCode).toBe(409);

    const audit = [
      ...(await auditRows(t, 'auth.totp_enroll')),
      ...(await auditRows(t, 'auth.totp_confirm')),
    ].filter((a) => a.target_id === u.id);
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['auth.totp_enroll', 'failure'],
      ['auth.totp_enroll', 'failure'],
      ['auth.totp_enroll', 'success'],
      ['auth.totp_confirm', 'failure'],
      ['auth.totp_confirm', 'success'],
    ]);
    for (const a of audit) {
      expect(JSON.stringify(a.details)).not.toContain(secret);
      expect(JSON.stringify(a.details)).not.toContain(u.enrolmentCode);
    }
  });

  it('refuses an expired enrolment code, and a wrong one counts towards the lockout', async () => {
    const u = await t.user('analyst', 'ana.expired');
    const expiry = await t.store.store.query<{ created_at: Date; expires_at: Date }>(
      'select created_at, expires_at from enrolment_codes where user_id = $1',
      [u.id],
    );
    const { created_at: issued, expires_at: expires } = expiry.rows[0]!;
    expect(new Date(expires).getTime() - new Date(issued).getTime()).toBe(72 * 3_600_000);
    await t.store.store.query('update enrolment_codes set expires_at = $2 where user_id = $1', [
      u.id,
      new Date(t.clock.now() - 1),
    ]);
    const expired = await t.as(u, 'POST', '/v1/auth/totp/enroll', {
      enrolmentCode: u.enrolmentCode,
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().message).toMatch(/expired/);
    const fresh = await t.user('analyst', 'ana.guesser');
    for (let i = 0; i < 5; i += 1) {
      await t.as(fresh, 'POST', '/v1/auth/totp/enroll', { enrolmentCode: `${i}`.repeat(20) });
    }
    // Five wrong codes lock the account and end its sessions.
    expect((await userRow(fresh.id)).failed_attempts).toBe(5);
    const after = await t.as(fresh, 'POST', '/v1/auth/totp/enroll', {
      enrolmentCode: fresh.enrolmentCode,
    });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a confirmation with nothing pending', async () => {
    const u = await t.user('analyst', 'ana.nopending');
    const res = await t.as(u, 'POST', '/v1/auth/totp/confirm', { code: '123456' });
    expect(res.statusCode).toBe(409);
  });

  it('asks for the code after a correct password, and counts a wrong code as a failure', async () => {
    const { user, secret } = await enrolled('ana.twofactor');
    const generic = await login(t, { username: 'nobody.at.all', password: TEST_PASSWORD });

    const noCode = await login(t, { username: 'ana.twofactor', password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('totp_required');
    expect((await userRow(user.id)).failed_attempts).toBe(0);

    // Without the right password nothing says a code would be needed.
    const badPassword = await login(t, { username: 'ana.twofactor', password: 'wrong password' });
    expect(badPassword.body).toBe(generic.body);

    const badCode = await login(t, {
      username: 'ana.twofactor',
      password: TEST_PASSWORD,
      totpCode: (await codeAt(t, secret)) === '000000' ? '111111' : '000000',
    });
    expect(badCode.body).toBe(generic.body);
    expect((await userRow(user.id)).failed_attempts).toBe(2);

    const code = await codeAt(t, secret);
    const ok = await login(t, {
      username: 'ana.twofactor',
      password: TEST_PASSWORD,
      totpCode: code,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnrolled).toBe(true);
    expect((await userRow(user.id)).failed_attempts).toBe(0);

    const reasons = (await auditRows(t, 'auth.login'))
      .filter((a) => a.target_id === user.id)
      .map((a) => a.details.reason ?? 'success');
    expect(reasons).toEqual(['totp_required', 'bad_password', 'bad_totp', 'success']);
  });

  it('accepts a code only once, and one step either side of now', async () => {
    const { secret } = await enrolled('ana.replay');
    const code = await codeAt(t, secret);
    const creds = { username: 'ana.replay', password: TEST_PASSWORD };
    expect((await login(t, { ...creds, totpCode: code })).statusCode).toBe(200);
    const replay = await login(t, { ...creds, totpCode: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('sign_in_failed');
    const last = (await auditRows(t, 'auth.login')).at(-1)!;
    expect(last.details.reason).toBe('bad_totp');

    t.clock.advance(3 * STEP);
    // The previous step's code (a phone a little behind) is still good...
    expect(
      (await login(t, { ...creds, totpCode: await codeAt(t, secret, -STEP) })).statusCode,
    ).toBe(200);
    t.clock.advance(3 * STEP);
    // ...two steps back is not.
    const stale = await codeAt(t, secret, -2 * STEP);
    const near = [
      await codeAt(t, secret, -STEP),
      await codeAt(t, secret),
      await codeAt(t, secret, STEP),
    ];
    if (!near.includes(stale)) {
      expect((await login(t, { ...creds, totpCode: stale })).statusCode).toBe(401);
    }
    expect((await login(t, { ...creds, totpCode: await codeAt(t, secret, STEP) })).statusCode).toBe(
      200,
    );
  });

  it('lets an administrator reset the factor, by route and by function', async () => {
    const admin = await t.user('admin', 'adm.totp');
    const { user } = await enrolled('ana.lostphone');
    const res = await t.as(admin, 'POST', `/v1/users/${user.id}/reset-totp`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, totpEnrolled: false });
    // A new enrolment code, shown once, is what the user needs to enrol the new phone.
    expect(res.json().enrolmentCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await userRow(user.id)).toMatchObject({ totp_secret: null, totp_pending_secret: null });
    const next = await login(t, { username: 'ana.lostphone', password: TEST_PASSWORD });
    expect(next.statusCode).toBe(200);
    expect(next.json().stage).toBe('enrolment');
    const byRoute = (await auditRows(t, 'user.totp_reset')).filter((a) => a.target_id === user.id);
    expect(byRoute).toHaveLength(1);
    expect(byRoute[0]).toMatchObject({ actor_id: admin.id, details: { wasEnrolled: true } });

    const other = await enrolled('ana.cli');
    const summary = await resetTotp(t.app.ctx, 'ana.cli', SYSTEM_ACTOR);
    expect(summary).toMatchObject({ id: other.user.id, totpEnrolled: false });
    expect(summary.enrolment.code).not.toBe(res.json().enrolmentCode);
    expect((await userRow(other.user.id)).totp_secret).toBeNull();

    const missing = await resetTotp(t.app.ctx, 'no.such.user', SYSTEM_ACTOR).catch((e) => e);
    expect(missing).toBeInstanceOf(HttpError);
    expect((missing as HttpError).statusCode).toBe(404);
    expect((await t.as(admin, 'POST', '/v1/users/no-such-id/reset-totp')).statusCode).toBe(404);

    // An analyst may not reset anybody's factor.
    const analyst = await t.user('analyst', 'ana.notadmin');
    expect((await t.as(analyst, 'POST', `/v1/users/${user.id}/reset-totp`)).statusCode).toBe(403);
  });

  it('rejects malformed codes with 400', async () => {
    const u = await t.user('analyst', 'ana.badcode');
    await t.as(u, 'POST', '/v1/auth/totp/enroll', { enrolmentCode: u.enrolmentCode });
    for (const code of [undefined, 123456, '12345', '1234567', 'abcdef', '1'.repeat(5000)]) {
      const res = await t.as(u, 'POST', '/v1/auth/totp/confirm', { code });
      expect(res.statusCode, String(code)).toBe(400);
    }
    expect((await userRow(u.id)).totp_secret).toBeNull();
  });
});
