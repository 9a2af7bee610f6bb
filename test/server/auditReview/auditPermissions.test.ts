import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { agencyCamera, createCamera, registeredCamera } from '../cameras/cameraFixtures';

/**
 * An auditor reads the audit trail and its review and nothing else: no video, no cases, no
 * tips, no owners' contacts. The permission walk (test/server/http/permissions.test.ts) covers
 * every route for every role; this names the refusals the audit review promises.
 */
describe('the auditor role', () => {
  let t: TestApp;
  let admin: TestUser;
  let auditor: TestUser;
  let analyst: TestUser;
  let camera: { id: string };
  let registered: { id: string };
  const reason = { code: 'investigation_follow_up', reference: '2026-000123' };

  beforeAll(async () => {
    t = await startTestApp('pglite');
    admin = await t.user('admin');
    auditor = await t.user('auditor');
    analyst = await t.user('analyst');
    camera = await createCamera(t, admin, agencyCamera());
    registered = await createCamera(t, admin, registeredCamera());
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('reads the audit view, its counts, flags, export and health, and the raw trail', async () => {
    for (const url of [
      '/v1/audit/review/entries',
      '/v1/audit/review/counts',
      '/v1/audit/review/flags',
      '/v1/audit/review/export',
      '/v1/audit/review/health',
      '/v1/audit?limit=5',
      '/v1/audit/verify',
    ]) {
      const res = await t.as(auditor, 'GET', url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
    }
  });

  it('is refused video, cases, tips, incidents, pulls, alerts and owners, by name', async () => {
    const refusals: [string, 'GET' | 'POST', string, unknown?][] = [
      ['streams.view', 'POST', `/v1/cameras/${camera.id}/grants`, { reason, access: 'live' }],
      ['cameras.owner_contact', 'POST', `/v1/cameras/${registered.id}/owner-contact`, { reason }],
      ['cases.read', 'GET', '/v1/cases'],
      ['tips.read', 'GET', '/v1/tips'],
      ['incidents.read', 'GET', '/v1/incidents'],
      ['pulls.read', 'GET', '/v1/pulls'],
      ['alerts.read', 'GET', '/v1/alerts'],
      ['users.manage', 'GET', '/v1/users'],
    ];
    for (const [permission, method, url, body] of refusals) {
      const res = await t.as(auditor, method, url, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().message).toBe(
        `Your role (auditor) does not allow this: it needs ${permission}.`,
      );
    }
    // The grant refused is in the trail as a refusal, and no grant was issued.
    const grants = await t.store.store.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'stream.grant'",
    );
    expect(Number(grants.rows[0]!.n)).toBe(0);
  });

  it('keeps the audit view from the floor: an analyst is refused it', async () => {
    const res = await t.as(analyst, 'GET', '/v1/audit/review/entries');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      'Your role (analyst) does not allow this: it needs audit.review.',
    );
  });
});
