import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import {
  agencyCamera,
  auditRows,
  createCamera,
  integratedCamera,
  OWNER,
  registeredCamera,
} from './cameraFixtures';

describe.each(STORE_KINDS)('owner contact reveal on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let camera: Camera;

  beforeEach(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    camera = await createCamera(t, admin, registeredCamera());
  });
  afterEach(async () => {
    await t.close();
  });

  const reveal = (user: TestUser, id: string, body: unknown) =>
    t.as(user, 'POST', `/v1/cameras/${id}/owner-contact`, body);

  it('reveals the contact for a stated reason and audits the reveal with it', async () => {
    const reason = { code: 'camera_pull', reference: 'CP-2026-0117', note: 'Burglary on 4th St' };
    const res = await reveal(analyst, camera.id, { reason });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ cameraId: camera.id, owner: OWNER });

    const audits = await auditRows(t, 'camera.owner_contact.reveal');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      outcome: 'success',
      target_id: camera.id,
      actor_id: analyst.id,
      details: { reason },
    });
    // The audit row names the reason, never the contact itself.
    expect(JSON.stringify(audits)).not.toContain(OWNER.email);

    const integrated = await createCamera(t, admin, integratedCamera());
    const fromIntegrated = await reveal(analyst, integrated.id, {
      reason: { code: 'event_situational_awareness' },
    });
    expect(fromIntegrated.statusCode).toBe(200);
    expect(fromIntegrated.json().owner.name).toBe(OWNER.name);
  });

  it('needs a reason, with a case number for reasons that need one (400, nothing audited)', async () => {
    const bodies: unknown[] = [
      {},
      { reason: 'investigation' },
      { reason: { code: 'camera_pull' } },
      { reason: { code: 'active_incident', reference: 'x' } },
      { reason: { code: 'active_incident', reference: "INC-1' OR '1'='1" } },
      { reason: { code: 'curiosity', reference: 'INC-1' } },
      { reason: { code: 'active_incident', reference: 'INC-1' }, extra: true },
    ];
    for (const body of bodies) {
      const res = await reveal(analyst, camera.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body).not.toContain(OWNER.email);
    }
    const missingCase = await reveal(analyst, camera.id, { reason: { code: 'camera_pull' } });
    expect(missingCase.json().message).toMatch(/case or incident number/);
    expect(await auditRows(t, 'camera.owner_contact.reveal')).toEqual([]);
  });

  it('is refused to officers (403) and answers 404 where there is no contact', async () => {
    const officer = await t.user('officer');
    const denied = await reveal(officer, camera.id, {
      reason: { code: 'camera_pull', reference: 'CP-1' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.body).not.toContain(OWNER.email);
    expect((await auditRows(t, 'permission.denied')).at(-1)).toMatchObject({
      outcome: 'denied',
      actor_id: officer.id,
    });

    const agency = await createCamera(t, admin, agencyCamera());
    const none = await reveal(analyst, agency.id, {
      reason: { code: 'camera_pull', reference: 'CP-1' },
    });
    expect(none.statusCode).toBe(404);
    const unknown = await reveal(analyst, '00000000-0000-4000-8000-000000000000', {
      reason: { code: 'camera_pull', reference: 'CP-1' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(await auditRows(t, 'camera.owner_contact.reveal')).toEqual([]);
  });
});
