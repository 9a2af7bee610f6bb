import { afterEach, describe, expect, it } from 'vitest';
import { getAgency, setAgency } from '../../../server/agency/agencyRepository';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import {
  agencyCamera,
  auditRows,
  createCamera,
  freshen,
  integratedCamera,
  registeredCamera,
} from '../cameras/cameraFixtures';
import { cadIncident, configureCity, integrationKey, post } from '../incidents/incidentFixtures';
import type { DockRule } from '../../../shared/domain/docking';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Wednesday 25 November 2026, noon in the city (America/New_York). */
const WEDNESDAY_NOON = Date.parse('2026-11-25T17:00:00Z');

const P1_RULE: DockRule = {
  name: 'Priority 1 calls',
  target: 'incident',
  priorities: [1],
  callTypes: [],
  workedOnly: true,
  preset: 'fit',
};

/** Metres north (+) or east of the incident's position (36.1, -80.25). */
const at = (north: number, east: number) => ({
  lat: 36.1 + north / 111_320,
  lng: -80.25 + east / (111_320 * Math.cos((36.1 * Math.PI) / 180)),
});

async function setup(kind: (typeof STORE_KINDS)[number]) {
  t = await startTestApp(kind);
  t.clock.set(WEDNESDAY_NOON);
  await configureCity(t);
  const agency = await getAgency(t.store.store);
  await setAgency(
    t.store.store,
    { ...agency, docking: { ...agency.docking, rules: [P1_RULE] } },
    new Date(WEDNESDAY_NOON),
  );
  const admin = await freshen(t, await t.user('admin'));
  const analyst = await freshen(t, await t.user('analyst'));
  const cad = await integrationKey(t, 'cad');
  const cam = (name: string, north: number, east: number) =>
    createCamera(t!, admin, agencyCamera({ name, ...at(north, east) }));
  // Five agency cameras; the farthest looks straight at the point and ranks first.
  const looking = await createCamera(
    t,
    admin,
    agencyCamera({ name: 'Looks at it', ...at(0, -70), bearingDeg: 90, fovDeg: 40 }),
  );
  const a = await cam('A 10 m', 10, 0);
  const b = await cam('B 20 m', 0, 20);
  const c = await cam('C 30 m', -30, 0);
  await cam('D 40 m', 0, -40);
  const alarmOnly = await createCamera(
    t,
    admin,
    integratedCamera({ mode: 'alarm' }, { name: 'Alarm only', ...at(5, 0) }),
  );
  const weekends = await createCamera(
    t,
    admin,
    integratedCamera(
      { mode: 'schedule', windows: [{ days: ['sat', 'sun'], start: '10:00', end: '14:00' }] },
      { name: 'Weekends', ...at(6, 0) },
    ),
  );
  const doorbell = await createCamera(
    t,
    admin,
    registeredCamera({ name: 'Doorbell', ...at(3, 0) }),
  );
  await createCamera(t, admin, agencyCamera({ name: 'Too far', ...at(400, 0) }));
  return { t, admin, analyst, cad, looking, a, b, c, alarmOnly, weekends, doorbell };
}

async function openP1(t: TestApp, key: string, number = '26-004242') {
  const res = await post(t, 'POST', '/v1/ingest/cad/incidents', key, cadIncident(number));
  expect(res.statusCode, res.body).toBe(200);
  return res.json().incidents[0].id as string;
}

async function dockingEvents(t: TestApp) {
  const res = await t.store.store.query<{ payload: unknown }>(
    "select payload from events where type = 'docking.requested' order by id",
  );
  return res.rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

const ids = (list: { camera: { id: string } }[]) => list.map((c) => c.camera.id);

describe.each(STORE_KINDS)('docking the nearest cameras on %s', (kind) => {
  it('lists the nearest cameras the analyst may view now, why the others are not docked, and owners to contact', async () => {
    const s = await setup(kind);
    const id = await openP1(s.t, s.cad.key);
    const res = await s.t.as(s.analyst, 'GET', `/v1/docking/incident/${id}/nearest`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json();
    expect(list.reach).toEqual({ count: 4, radiusM: 300 });
    expect(list.target).toMatchObject({ kind: 'incident', id, reference: '26-004242' });
    expect(ids(list.docked)).toEqual([s.looking.id, s.a.id, s.b.id, s.c.id]);
    expect(list.docked[0].seesPoint).toBe(true);
    expect(list.notDocked).toEqual([
      expect.objectContaining({
        camera: expect.objectContaining({ id: s.alarmOnly.id }),
        reason: 'Owner shares this camera only while their alarm is raised.',
      }),
      expect.objectContaining({
        camera: expect.objectContaining({ id: s.weekends.id }),
        reason: expect.stringMatching(/next opens Sat/),
        nextOpen: '2026-11-28T15:00:00.000Z',
      }),
    ]);
    expect(ids(list.ownersToContact)).toEqual([s.doorbell.id]);
  });

  it('docks: a grant per camera audited as an active incident with its number, nobody asked', async () => {
    const s = await setup(kind);
    const id = await openP1(s.t, s.cad.key);
    const res = await s.t.as(s.analyst, 'POST', `/v1/docking/incident/${id}/dock`, { max: 3 });
    expect(res.statusCode, res.body).toBe(200);
    const docked = res.json();
    expect(docked.grants.map((g: { cameraId: string }) => g.cameraId)).toEqual([
      s.looking.id,
      s.a.id,
      s.b.id,
    ]);
    expect(docked.grants.every((g: object) => 'grant' in g)).toBe(true);
    expect(docked.reason).toMatchObject({ code: 'active_incident', reference: '26-004242' });
    const audit = await auditRows(s.t, 'stream.grant');
    expect(audit).toHaveLength(3);
    for (const row of audit) {
      expect(row).toMatchObject({ outcome: 'success', actor_id: s.analyst.id });
      expect(row.details.reason).toMatchObject({ code: 'active_incident', reference: '26-004242' });
    }
    expect(audit.map((r) => r.target_id)).not.toContain(s.alarmOnly.id);
  });

  it('a camera whose owner raises the alarm is docked from then on', async () => {
    const s = await setup(kind);
    const id = await openP1(s.t, s.cad.key);
    const raised = await s.t.as(s.admin, 'POST', `/v1/cameras/${s.alarmOnly.id}/alarm`, {
      active: true,
    });
    expect(raised.statusCode, raised.body).toBeLessThan(300);
    const list = (await s.t.as(s.analyst, 'GET', `/v1/docking/incident/${id}/nearest`)).json();
    expect(ids(list.docked)[0]).toBe(s.looking.id);
    expect(ids(list.docked)).toContain(s.alarmOnly.id);
    expect(ids(list.notDocked)).toEqual([s.weekends.id]);
  });

  it('automation: a P1 call asks the consoles of analysts following the queue to dock it', async () => {
    const s = await setup(kind);
    await freshen(s.t, await s.t.user('officer'));
    await freshen(s.t, await s.t.user('supervisor'));
    const lieutenant = await freshen(s.t, await s.t.user('lieutenant'));
    const id = await openP1(s.t, s.cad.key);
    const events = await dockingEvents(s.t);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      target: { kind: 'incident', id, reference: '26-004242' },
      rule: 'Priority 1 calls',
      preset: 'fit',
    });
    expect([...events[0].userIds].sort()).toEqual([s.analyst.id, lieutenant.id].sort());

    // A P3 call, or the same P1 again, docks nothing more.
    await post(
      s.t,
      'POST',
      '/v1/ingest/cad/incidents',
      s.cad.key,
      cadIncident('26-004243', { priority: 3 }),
    );
    await openP1(s.t, s.cad.key);
    expect(await dockingEvents(s.t)).toHaveLength(1);
  });

  it('an alert docks the same way: a gunshot rule asks the queue, and the grants give the alert as the reason', async () => {
    const s = await setup(kind);
    const agency = await getAgency(s.t.store.store);
    const gunshots: DockRule = {
      name: 'Every gunshot',
      target: 'alert',
      alertKinds: ['gunshot'],
      tags: [],
      preset: 'fit',
    };
    await setAgency(
      s.t.store.store,
      { ...agency, docking: { ...agency.docking, rules: [P1_RULE, gunshots] } },
      new Date(WEDNESDAY_NOON),
    );
    const key = await integrationKey(s.t, 'gunshot');
    const shot = {
      id: 'SS-26-004411',
      time: new Date(WEDNESDAY_NOON - 30_000).toISOString(),
      position: { lat: 36.1, lon: -80.25 },
      type: 'multiple',
      rounds: 4,
    };
    const res = await post(s.t, 'POST', '/v1/ingest/gunshots', key.key, shot);
    expect(res.statusCode, res.body).toBe(200);
    const alertId = res.json().alerts[0].id as string;
    const events = await dockingEvents(s.t);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      target: { kind: 'alert', id: alertId, reference: 'SS-26-004411' },
      rule: 'Every gunshot',
      userIds: [s.analyst.id],
    });
    // The same detection again docks nothing more.
    await post(s.t, 'POST', '/v1/ingest/gunshots', key.key, shot);
    expect(await dockingEvents(s.t)).toHaveLength(1);

    const docked = await s.t.as(s.analyst, 'POST', `/v1/docking/alert/${alertId}/dock`, { max: 2 });
    expect(docked.statusCode, docked.body).toBe(200);
    expect(docked.json().reason).toMatchObject({ code: 'sensor_alert', reference: 'SS-26-004411' });
    const audit = await auditRows(s.t, 'stream.grant');
    expect(audit.map((r) => r.details.reason)).toEqual([
      expect.objectContaining({ code: 'sensor_alert', reference: 'SS-26-004411' }),
      expect.objectContaining({ code: 'sensor_alert', reference: 'SS-26-004411' }),
    ]);
  });

  it('automation: nobody signed in, nothing docked; an idle analyst does not follow the queue', async () => {
    const s = await setup(kind);
    s.t.clock.advance(31 * 60_000);
    await openP1(s.t, s.cad.key);
    expect(await dockingEvents(s.t)).toEqual([]);
  });

  it('refuses what it cannot dock with a clear 4xx', async () => {
    const s = await setup(kind);
    const missing = await s.t.as(s.analyst, 'GET', '/v1/docking/incident/no-such-id/nearest');
    expect(missing.statusCode).toBe(404);
    const res = await post(s.t, 'POST', '/v1/ingest/cad/incidents', s.cad.key, {
      ...cadIncident('26-000009'),
      location: { address: '1 Unknown Rd' },
    });
    const placeless = res.json().incidents[0].id;
    const unplaced = await s.t.as(s.analyst, 'POST', `/v1/docking/incident/${placeless}/dock`, {});
    expect(unplaced.statusCode).toBe(409);
    expect(unplaced.json().message).toMatch(/no position yet/);
    const tooMany = await s.t.as(s.analyst, 'POST', `/v1/docking/incident/${placeless}/dock`, {
      max: 17,
    });
    expect(tooMany.statusCode).toBe(400);
    const officer = await freshen(s.t, await s.t.user('officer'));
    const id = await openP1(s.t, s.cad.key, '26-000010');
    const asOfficer = await s.t.as(officer, 'GET', `/v1/docking/incident/${id}/nearest`);
    expect(asOfficer.statusCode).toBe(403);
    expect(await auditRows(s.t, 'stream.grant')).toEqual([]);
  });
});
