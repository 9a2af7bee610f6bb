import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import type { Weekday } from '../../../shared/domain/sharingPolicy';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import type { SharingRefusal, StreamGrant } from '../../../shared/api/cameras';
import { GrantSweeper } from '../../../server/cameras/grantSweeper';
import { revokeAllGrantsOfCamera, revokeGrant } from '../../../server/cameras/grantRevocation';
import type { Queryable } from '../../../server/store/store';
import type { ServerContext } from '../../../server/context';
import { endGrant } from '../../../server/cameras/grantService';
import {
  agencyCamera,
  auditRows,
  countRows,
  createCamera,
  eventsOfType,
  freshen,
  integratedCamera,
  registeredCamera,
  SOURCE,
  useNewYorkTime,
} from './cameraFixtures';

/** Wednesday 4 March 2026, Eastern Standard Time (UTC-5): before the switch to daylight time. */
const WED_10_00 = Date.parse('2026-03-04T15:00:00Z');
const WED_17_55 = Date.parse('2026-03-04T22:55:00Z');
const WED_18_00 = Date.parse('2026-03-04T23:00:00Z');
const WED_19_00 = Date.parse('2026-03-05T00:00:00Z');
const THU_08_00 = Date.parse('2026-03-05T13:00:00Z');
const SAT_03_00 = Date.parse('2026-03-07T08:00:00Z');

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const OFFICE_HOURS = {
  mode: 'schedule' as const,
  windows: [{ days: WEEKDAYS, start: '08:00', end: '18:00' }],
};

const REASON = { code: 'active_incident', reference: 'INC-2026-0042' } as const;

describe.each(STORE_KINDS)('stream grants on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let camera: Camera;

  /** Moves the agency's clock and signs everyone in again at that time. */
  async function at(instant: number): Promise<void> {
    t.clock.set(instant);
    admin = await freshen(t, admin);
    analyst = await freshen(t, analyst);
  }

  const ask = (user: TestUser, cameraId: string, body: object = {}) =>
    t.as(user, 'POST', `/v1/cameras/${cameraId}/grants`, {
      reason: REASON,
      access: 'live',
      ...body,
    });

  beforeEach(async () => {
    t = await startTestApp(kind);
    t.clock.set(WED_10_00);
    await useNewYorkTime(t);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    camera = await createCamera(t, admin, integratedCamera(OFFICE_HOURS));
  });
  afterEach(async () => {
    await t.close();
  });

  it('grants inside the window, until the window closes, with relay paths and no credentials', async () => {
    await at(WED_17_55);
    const res = await ask(analyst, camera.id, { variant: 'sub' });
    expect(res.statusCode, res.body).toBe(200);
    const grant = res.json() as StreamGrant;
    expect(grant).toMatchObject({
      cameraId: camera.id,
      access: 'live',
      variant: 'sub',
      // Ten minutes would run past 18:00; the grant ends with the window.
      expiresAt: new Date(WED_18_00).toISOString(),
      // RTSP is remuxed by the relay; the camera's address and credentials stay in the server.
      source: { protocol: 'http-ts', codecHint: 'unknown', ptz: true },
    });
    expect(grant.source.path).toMatch(/^\/v1\/relay\/[A-Za-z0-9_-]{43}\/main$/);
    expect(grant.source.substreamPath).toBe(grant.source.path.replace(/main$/, 'sub'));
    for (const secret of [SOURCE.url, SOURCE.username, SOURCE.password, 'cam-7.example.test']) {
      expect(res.body).not.toContain(secret);
    }

    await at(WED_10_00);
    const morning = (await ask(analyst, camera.id)).json() as StreamGrant;
    expect(morning.expiresAt).toBe(new Date(WED_10_00 + 10 * 60_000).toISOString());

    const audits = await auditRows(t, 'stream.grant');
    expect(audits.map((a) => a.outcome)).toEqual(['success', 'success']);
    expect(audits[0]).toMatchObject({ target_id: camera.id, actor_id: analyst.id });
    expect(audits[0]!.details).toMatchObject({
      reason: REASON,
      access: 'live',
      grantId: grant.grantId,
    });
    const issued = await eventsOfType(t, 'grant.issued');
    expect(issued.map((e) => e.payload.grantId)).toEqual([grant.grantId, morning.grantId]);
    // Credentials never leave the server: not in events or the audit trail either, and the relay
    // token is kept only as its hash.
    const everything = JSON.stringify([
      (await t.store.store.query('select payload from events')).rows,
      (await t.store.store.query('select details from audit_log')).rows,
      (await t.store.store.query('select relay_token_sha256 from camera_grants')).rows,
    ]);
    expect(everything).not.toContain(SOURCE.password);
    expect(everything).not.toContain(SOURCE.username);
    expect(everything).not.toContain(SOURCE.url);
    expect(everything).not.toContain(grant.source.path.split('/')[3]);
  });

  it('refuses outside the window with 403, the policy sentence and when it opens, audited as denied', async () => {
    await at(WED_19_00);
    const res = await ask(analyst, camera.id);
    expect(res.statusCode).toBe(403);
    const refusal = res.json() as SharingRefusal;
    expect(refusal).toMatchObject({
      code: 'sharing_policy',
      denial: 'outside_window',
      nextOpen: new Date(THU_08_00).toISOString(),
    });
    expect(refusal.message).toMatch(/Mon–Fri 08:00–18:00/);
    expect(refusal.message).toMatch(/next opens Thu 08:00/);
    expect(JSON.stringify(refusal)).not.toContain(SOURCE.url);
    expect(await countRows(t, 'camera_grants')).toBe(0);
    const audits = await auditRows(t, 'stream.grant');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      outcome: 'denied',
      target_type: 'camera',
      target_id: camera.id,
    });
    expect(audits[0]!.details).toMatchObject({ denial: 'outside_window', reason: REASON });
    expect(await eventsOfType(t, 'grant.issued')).toEqual([]);
  });

  it('has no feed for registered cameras (409), none for retired ones, and always shares agency cameras', async () => {
    const registered = await createCamera(t, admin, registeredCamera());
    const res = await ask(analyst, registered.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/registered camera.*no feed/);

    const agency = await createCamera(t, admin, agencyCamera());
    await at(SAT_03_00);
    const night = await ask(analyst, agency.id);
    expect(night.statusCode, night.body).toBe(200);
    expect(night.body).not.toContain('city-pass-4');
    expect((night.json() as StreamGrant).source.path).toMatch(/^\/v1\/relay\//);

    await t.as(admin, 'POST', `/v1/cameras/${agency.id}/retire`);
    const retired = await ask(analyst, agency.id);
    expect(retired.statusCode).toBe(409);
    expect(retired.json().message).toMatch(/retired/);
    const missing = await ask(analyst, '00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
  });

  it('refuses to renew a grant whose access the holder’s role no longer has', async () => {
    expect(
      (await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, { sharing: { ptz: true } }))
        .statusCode,
    ).toBe(200);
    const granted = await ask(analyst, camera.id, { access: 'ptz' });
    expect(granted.statusCode, granted.body).toBe(200);
    const { grantId } = granted.json() as StreamGrant;
    // An officer watches and replays but does not steer: the analyst is made one.
    const changed = await t.as(admin, 'PATCH', `/v1/users/${analyst.id}`, { role: 'officer' });
    expect(changed.statusCode, changed.body).toBe(200);
    // The change ended the analyst's sessions; they sign in again, now as an officer.
    const sessionId = randomUUID();
    const at = new Date(t.clock.now()).toISOString();
    await t.store.store.query(
      `insert into sessions (id, user_id, created_at, last_seen_at, scope)
       values ($1, $2, $3, $3, 'full')`,
      [sessionId, analyst.id, at],
    );
    const { token } = await t.app.ctx.tokens.issue({
      userId: analyst.id,
      username: analyst.username,
      role: 'officer',
      sessionId,
    });
    const asOfficer = { ...analyst, role: 'officer' as const, sessionId, token };
    const renewed = await t.as(asOfficer, 'POST', `/v1/grants/${grantId}/renew`);
    expect(renewed.statusCode, renewed.body).toBe(403);
    expect(renewed.json().message).toBe('Your role (officer) no longer allows ptz access.');
  });

  it('answers 409 for a camera whose source is not on file, and grants nothing', async () => {
    const bare = await createCamera(t, admin, integratedCamera({}, { name: 'Sourceless' }));
    await t.store.store.query('delete from camera_sources where camera_id = $1', [bare.id]);
    const before = await countRows(t, 'camera_grants');
    const res = await ask(analyst, bare.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('"Sourceless" has no source on file.');
    expect(await countRows(t, 'camera_grants')).toBe(before);
  });

  it('checks PTZ and recordings against the role and the policy', async () => {
    const officer = await t.user('officer');
    const ptzByOfficer = await ask(officer, camera.id, { access: 'ptz' });
    expect(ptzByOfficer.statusCode).toBe(403);
    expect(ptzByOfficer.json().message).toMatch(/streams\.ptz/);
    expect((await auditRows(t, 'permission.denied')).at(-1)).toMatchObject({
      target_type: 'camera',
      target_id: camera.id,
      details: { permission: 'streams.ptz' },
    });
    // The owner shares live video only.
    for (const access of ['ptz', 'recordings']) {
      const res = await ask(analyst, camera.id, { access });
      expect(res.statusCode, access).toBe(403);
      expect(res.json()).toMatchObject({ code: 'sharing_policy', denial: 'not_shared' });
    }
    const sharing = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, {
      sharing: { ptz: true, recordings: true },
    });
    expect(sharing.statusCode, sharing.body).toBe(200);
    expect((await ask(analyst, camera.id, { access: 'ptz' })).statusCode).toBe(200);
    expect((await ask(officer, camera.id, { access: 'recordings' })).statusCode).toBe(200);

    // A fixed camera cannot be steered whatever its owner shares; it can still be watched.
    const fixed = await createCamera(
      t,
      admin,
      integratedCamera(
        { ptz: true },
        { name: 'Fixed', source: { ...SOURCE, codecHint: 'unknown', ptz: false } },
      ),
    );
    const steer = await ask(analyst, fixed.id, { access: 'ptz' });
    expect(steer.statusCode).toBe(409);
    expect(steer.json().message).toBe('"Fixed" cannot be steered: it has no PTZ.');
    expect((await ask(analyst, fixed.id, { access: 'live' })).statusCode).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await ask(analyst, unknown);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe(`No camera ${unknown}.`);
  });

  it('needs a structured reason, with a case number where the reason calls for one', async () => {
    const bodies = [
      { access: 'live' },
      { reason: { code: 'camera_pull' }, access: 'live' },
      { reason: { code: 'investigation', reference: 'C-1234' }, access: 'live' },
      {
        reason: { code: 'camera_pull', reference: "1'; drop table camera_grants; --" },
        access: 'live',
      },
      { reason: REASON, access: 'everything' },
      { reason: REASON, access: 'live', variant: 'tiny' },
      { reason: { ...REASON, note: 'n'.repeat(501) }, access: 'live' },
    ];
    for (const body of bodies) {
      const res = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/grants`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await countRows(t, 'camera_grants')).toBe(0);
    expect(await auditRows(t, 'stream.grant')).toEqual([]);
    const noCaseNeeded = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/grants`, {
      reason: { code: 'event_situational_awareness' },
      access: 'live',
    });
    expect(noCaseNeeded.statusCode).toBe(200);
    // The analyst's free-text note goes into the trail with the reason, word for word; a reason
    // without one records no empty note.
    const noted = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/grants`, {
      reason: { ...REASON, note: 'Suspect vehicle seen heading north' },
      access: 'live',
    });
    expect(noted.statusCode).toBe(200);
    expect((await auditRows(t, 'stream.grant')).map((a) => a.details.reason)).toEqual([
      { code: 'event_situational_awareness' },
      { ...REASON, note: 'Suspect vehicle seen heading north' },
    ]);
  });

  it('revokes when the window closes: the sweeper ends the grant and says why', async () => {
    await at(WED_17_55);
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    const sweeper = new GrantSweeper(t.app.ctx, t.clock);
    expect(await sweeper.tick()).toEqual([]);

    t.clock.set(WED_18_00 + 5_000);
    await sweeper.tick();
    // Whichever sweep got there (this one or the app's own), the grant ended once, with the reason.
    const revoked = (await eventsOfType(t, 'grant.revoked')).filter(
      (e) => e.payload.grantId === grant.grantId,
    );
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.payload).toMatchObject({
      cameraId: camera.id,
      userId: analyst.id,
      reason: expect.stringMatching(/Mon–Fri 08:00–18:00.*next opens Thu 08:00/),
    });
    const row = await t.store.store.query<{ revoked_at: unknown; revoke_reason: string }>(
      'select revoked_at, revoke_reason from camera_grants where id = $1',
      [grant.grantId],
    );
    expect(row.rows[0]!.revoked_at).not.toBeNull();
    expect(row.rows[0]!.revoke_reason).toBe(revoked[0]!.payload.reason);
    expect(await auditRows(t, 'stream.grant.revoke')).toHaveLength(1);
    expect(await sweeper.tick()).toEqual([]);
  });

  it('revokes at once when the owner withdraws consent', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    const other = (await ask(admin, camera.id)).json() as StreamGrant;
    const res = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, {
      sharing: { withdrawn: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sharing).toMatchObject({ withdrawn: true, mode: 'schedule' });

    const revoked = await eventsOfType(t, 'grant.revoked');
    expect(revoked.map((e) => e.payload.grantId).sort()).toEqual(
      [grant.grantId, other.grantId].sort(),
    );
    expect(revoked[0]!.payload.reason).toBe('Owner withdrew sharing.');
    // The revocations committed with the change: their events come before the change's own.
    const updated = await eventsOfType(t, 'camera.updated');
    expect(updated.at(-1)!.id).toBeGreaterThan(revoked.at(-1)!.id);
    expect((await auditRows(t, 'camera.update')).at(-1)!.details).toMatchObject({
      changed: ['sharing'],
      revokedGrants: expect.arrayContaining([grant.grantId, other.grantId]),
    });
    const open = await t.store.store.query<{ n: number }>(
      'select count(*)::int as n from camera_grants where revoked_at is null',
    );
    expect(Number(open.rows[0]!.n)).toBe(0);

    const renew = await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`);
    expect(renew.statusCode).toBe(409);
    expect(renew.json().message).toMatch(/withdrew/);
    const again = await ask(analyst, camera.id);
    expect(again.statusCode).toBe(403);
    // Withdrawn sharing never opens again by itself.
    expect(again.json()).toMatchObject({ error: 'Forbidden', denial: 'withdrawn', nextOpen: null });
  });

  it('keeps the grants a changed policy still allows', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    const res = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, {
      sharing: { windows: [{ days: WEEKDAYS, start: '07:00', end: '20:00' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await eventsOfType(t, 'grant.revoked')).toEqual([]);
    const open = await t.store.store.query<{ id: string }>(
      'select id from camera_grants where revoked_at is null',
    );
    expect(open.rows.map((r) => r.id)).toEqual([grant.grantId]);
    expect((await auditRows(t, 'camera.update')).at(-1)!.details).toMatchObject({
      changed: ['sharing'],
    });
  });

  it('announces only the grants it revoked itself when another change ended one first', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    const other = (await ask(admin, camera.id)).json() as StreamGrant;
    const store = t.store.store;
    const now = new Date(t.clock.now());
    // The sweeper ends `grant` after the retirement has read the open grants and before it
    // updates that one: the grant's viewer already had its event, and must not get a second.
    const racing: Queryable = {
      query: async <T>(sql: string, params?: readonly unknown[]) => {
        if (sql.includes('update camera_grants') && params?.[0] === grant.grantId) {
          await revokeGrant(store, now, grant.grantId, 'The sharing window closed.');
        }
        return store.query<T>(sql, params);
      },
      exec: (sql) => store.exec(sql),
    };
    const revoked = await revokeAllGrantsOfCamera(racing, now, camera.id, 'Camera retired.');
    expect(revoked).toEqual([
      { grantId: other.grantId, cameraId: camera.id, userId: admin.id, reason: 'Camera retired.' },
    ]);
    const reasons = await store.query<{ id: string; revoke_reason: string }>(
      'select id, revoke_reason from camera_grants order by id',
    );
    expect(new Map(reasons.rows.map((r) => [r.id, r.revoke_reason]))).toEqual(
      new Map([
        [grant.grantId, 'The sharing window closed.'],
        [other.grantId, 'Camera retired.'],
      ]),
    );
  });

  it('answers 409 and records nothing when another change ends the grant between the look and the end', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    const ctx = t.app.ctx;
    const now = new Date(t.clock.now());
    // The sweeper revokes the grant after the viewer's end has read it as open and before the
    // end is recorded: the end changes nothing and says so, and the sweeper's reason stays.
    const racing: ServerContext = {
      ...ctx,
      record: async (change) => {
        await revokeGrant(t.store.store, now, grant.grantId, 'The sharing window closed.');
        return ctx.record(change);
      },
    };
    const who = {
      userId: analyst.id,
      username: analyst.username,
      role: analyst.role,
      sessionId: analyst.sessionId,
    };
    await expect(endGrant(racing, who, grant.grantId)).rejects.toMatchObject({
      statusCode: 409,
      message: 'This grant has already ended.',
    });
    expect(await auditRows(t, 'stream.grant.end')).toEqual([]);
    expect(await eventsOfType(t, 'grant.ended')).toEqual([]);
    const row = await t.store.store.query<{ revoke_reason: string }>(
      'select revoke_reason from camera_grants where id = $1',
      [grant.grantId],
    );
    expect(row.rows[0]?.revoke_reason).toBe('The sharing window closed.');
  });

  it('revokes alarm-only grants as soon as the alarm is lowered', async () => {
    const alarmCam = await createCamera(
      t,
      admin,
      integratedCamera({ mode: 'alarm' }, { name: 'Shop' }),
    );
    expect((await ask(analyst, alarmCam.id)).json()).toMatchObject({ denial: 'no_alarm' });
    await t.as(admin, 'POST', `/v1/cameras/${alarmCam.id}/alarm`, { active: true });
    const grant = (await ask(analyst, alarmCam.id)).json() as StreamGrant;
    expect(grant.grantId).toBeDefined();
    await t.as(admin, 'POST', `/v1/cameras/${alarmCam.id}/alarm`, { active: false });
    const revoked = await eventsOfType(t, 'grant.revoked');
    expect(revoked.map((e) => e.payload)).toEqual([
      {
        grantId: grant.grantId,
        cameraId: alarmCam.id,
        userId: analyst.id,
        reason: 'Owner shares this camera only while their alarm is raised.',
      },
    ]);
  });

  it('renews and ends only its holder’s grants', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    await at(WED_10_00 + 8 * 60_000);
    const renewed = await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`);
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json().expiresAt).toBe(new Date(WED_10_00 + 18 * 60_000).toISOString());
    expect(renewed.json()).not.toHaveProperty('source');

    expect((await auditRows(t, 'stream.grant.renew')).at(-1)).toMatchObject({
      outcome: 'success',
      target_type: 'grant',
      target_id: grant.grantId,
      details: { cameraId: camera.id, expiresAt: renewed.json().expiresAt },
    });

    const byOther = await t.as(admin, 'POST', `/v1/grants/${grant.grantId}/renew`);
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json().message).toBe(
      'This grant was issued to someone else: only its holder may use it.',
    );
    const endByOther = await t.as(admin, 'DELETE', `/v1/grants/${grant.grantId}`);
    expect(endByOther.statusCode).toBe(403);

    const ended = await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json().endedAt).toBe(new Date(t.clock.now()).toISOString());
    const endedAgain = await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`);
    expect(endedAgain.json()).toEqual(ended.json());
    expect((await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`)).statusCode).toBe(409);
    expect(await eventsOfType(t, 'grant.ended')).toHaveLength(1);
    expect(await auditRows(t, 'stream.grant.end')).toEqual([
      expect.objectContaining({
        target_type: 'grant',
        target_id: grant.grantId,
        details: { cameraId: camera.id },
      }),
    ]);
    const reason = await t.store.store.query<{ revoke_reason: string }>(
      'select revoke_reason from camera_grants where id = $1',
      [grant.grantId],
    );
    expect(reason.rows[0]!.revoke_reason).toBe('Ended by the viewer.');
    expect((await t.as(analyst, 'POST', '/v1/grants/not-a-grant/renew')).statusCode).toBe(400);
    const unknown = await t.as(
      analyst,
      'POST',
      '/v1/grants/00000000-0000-4000-8000-000000000000/renew',
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('No grant 00000000-0000-4000-8000-000000000000.');
  });

  it('renews up to the window close, refuses what the policy no longer allows, and ends the grant', async () => {
    await at(WED_17_55);
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    await at(WED_18_00 - 1000);
    const early = await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`);
    expect(early.statusCode).toBe(200);
    expect(early.json().expiresAt).toBe(new Date(WED_18_00).toISOString());
    // At its expiry instant the grant has expired: nothing is left to renew or to end.
    await at(WED_18_00);
    const late = await t.as(analyst, 'POST', `/v1/grants/${grant.grantId}/renew`);
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('This grant has expired: ask for a new one.');
    const endedLate = await t.as(analyst, 'DELETE', `/v1/grants/${grant.grantId}`);
    expect(endedLate.json()).toEqual({
      grantId: grant.grantId,
      endedAt: new Date(WED_18_00).toISOString(),
    });
    expect(await auditRows(t, 'stream.grant.end')).toEqual([]);

    // The agency moves to another clock: 10:00 in New York is midnight in Tokyo.
    await at(WED_10_00);
    const morning = (await ask(analyst, camera.id)).json() as StreamGrant;
    await setAgency(
      t.store.store,
      { ...UNCONFIGURED_AGENCY, timeZone: 'Asia/Tokyo' },
      new Date(t.clock.now()),
    );
    const refused = await t.as(analyst, 'POST', `/v1/grants/${morning.grantId}/renew`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'sharing_policy', denial: 'outside_window' });
    const revoked = await eventsOfType(t, 'grant.revoked');
    expect(revoked.map((e) => e.payload.grantId)).toEqual([morning.grantId]);
    expect((await auditRows(t, 'stream.grant.renew')).map((a) => a.outcome)).toEqual([
      'success',
      'denied',
    ]);
    expect((await auditRows(t, 'stream.grant.renew')).at(-1)!.details).toEqual({
      cameraId: camera.id,
      denial: 'outside_window',
      policy: refused.json().message,
    });
  });

  it('ends every grant of a camera when it is retired', async () => {
    const grant = (await ask(analyst, camera.id)).json() as StreamGrant;
    await t.as(admin, 'POST', `/v1/cameras/${camera.id}/retire`);
    const revoked = await eventsOfType(t, 'grant.revoked');
    expect(revoked.map((e) => e.payload.grantId)).toEqual([grant.grantId]);
    expect(revoked[0]!.payload.reason).toMatch(/retired/);
  });
});
