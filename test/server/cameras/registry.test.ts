import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import { CameraListQuerySchema, type CameraListItem } from '../../../shared/api/cameras';
import { listCameras } from '../../../server/cameras/cameraSearch';
import { distanceMeters } from '../../../shared/geo';
import {
  agencyCamera,
  auditRows,
  countRows,
  createCamera,
  eventsOfType,
  integratedCamera,
  OWNER,
  registeredCamera,
  SOURCE,
  sendRaw,
} from './cameraFixtures';

const SECRETS = [
  OWNER.name,
  OWNER.phone,
  OWNER.email,
  SOURCE.url,
  SOURCE.substreamUrl,
  SOURCE.username,
  SOURCE.password,
  'rtsp://',
  'city-pass-4',
];

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe.each(STORE_KINDS)('camera registry on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let officer: TestUser;

  beforeEach(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    officer = await t.user('officer');
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates, reads, changes and retires a camera, auditing each change with an event', async () => {
    const created = await createCamera(t, admin, registeredCamera());
    expect(created).toMatchObject({
      kind: 'registered',
      status: 'active',
      name: 'Corner store doorbell',
      hasOwnerContact: true,
      retentionDays: 14,
      sharing: null,
    });

    const read = await t.as(analyst, 'GET', `/v1/cameras/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);

    t.clock.advance(60_000);
    const patched = await t.as(admin, 'PATCH', `/v1/cameras/${created.id}`, {
      name: 'Corner store, front door',
      lat: 36.1002,
      lng: -80.244,
      notes: 'Faces the bus stop',
      retentionDays: 30,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const updated = patched.json() as Camera;
    expect(updated).toMatchObject({
      name: 'Corner store, front door',
      lat: 36.1002,
      lng: -80.244,
      notes: 'Faces the bus stop',
      retentionDays: 30,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

    const retired = await t.as(admin, 'POST', `/v1/cameras/${created.id}/retire`);
    expect(retired.statusCode).toBe(200);
    expect(retired.json()).toMatchObject({ status: 'retired' });
    const again = await t.as(admin, 'POST', `/v1/cameras/${created.id}/retire`);
    expect(again.statusCode).toBe(409);
    const editRetired = await t.as(admin, 'PATCH', `/v1/cameras/${created.id}`, { name: 'x' });
    expect(editRetired.statusCode).toBe(409);

    // Retired cameras leave the default list but can still be asked for.
    const active = await t.as(analyst, 'GET', '/v1/cameras');
    expect(active.json().items).toEqual([]);
    const retiredList = await t.as(analyst, 'GET', '/v1/cameras?status=retired');
    expect(retiredList.json().items.map((c: Camera) => c.id)).toEqual([created.id]);

    for (const [action, event] of [
      ['camera.create', 'camera.created'],
      ['camera.update', 'camera.updated'],
      ['camera.retire', 'camera.retired'],
    ] as const) {
      const audits = await auditRows(t, action);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        outcome: 'success',
        target_id: created.id,
        actor_id: admin.id,
      });
      const events = await eventsOfType(t, event);
      expect(events).toHaveLength(1);
      expect((events[0]!.payload.camera as Camera).id).toBe(created.id);
    }
    expect((await auditRows(t, 'camera.update'))[0]!.details).toMatchObject({
      changed: ['name', 'lat', 'lng', 'notes', 'retentionDays'],
    });
  });

  it('refuses writes to roles without the permission (403) and stores nothing', async () => {
    const denied = await t.as(officer, 'POST', '/v1/cameras', registeredCamera());
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/cameras\.write/);
    const byAnalyst = await t.as(analyst, 'POST', '/v1/cameras', registeredCamera());
    expect(byAnalyst.statusCode).toBe(403);
    expect(await countRows(t, 'cameras')).toBe(0);

    const camera = await createCamera(t, admin, registeredCamera());
    const patch = await t.as(officer, 'PATCH', `/v1/cameras/${camera.id}`, { name: 'Mine now' });
    expect(patch.statusCode).toBe(403);
    const retire = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/retire`);
    expect(retire.statusCode).toBe(403);
    const read = await t.as(officer, 'GET', `/v1/cameras/${camera.id}`);
    expect(read.json().name).toBe('Corner store doorbell');
    expect((await auditRows(t, 'permission.denied')).length).toBe(4);
  });

  it('never lets an owner contact or a source out through lists, reads, exports or events', async () => {
    const cams = [
      await createCamera(t, admin, registeredCamera()),
      await createCamera(t, admin, integratedCamera()),
      await createCamera(t, admin, agencyCamera()),
    ];
    await t.as(admin, 'PATCH', `/v1/cameras/${cams[1]!.id}`, {
      owner: { ...OWNER, phone: '336-555-0199' },
      source: { ...SOURCE, password: 'Hunter2-Very-Secret' },
    });
    const texts = [
      (await t.as(officer, 'GET', '/v1/cameras')).body,
      (await t.as(officer, 'GET', '/v1/cameras?limit=100000')).body,
      (await t.as(officer, 'GET', '/v1/cameras?near=36.0999,-80.2442&radius=5000')).body,
      (await t.as(officer, 'GET', '/v1/cameras/export.geojson')).body,
      ...(await Promise.all(
        cams.map(async (c) => (await t.as(officer, 'GET', `/v1/cameras/${c.id}`)).body),
      )),
      JSON.stringify(await eventsOfType(t, 'camera.created')),
      JSON.stringify(await eventsOfType(t, 'camera.updated')),
      JSON.stringify((await t.store.store.query('select details from audit_log')).rows),
    ];
    for (const text of texts) expectNoSecrets(text);
    // The list does carry what the map needs.
    const list = JSON.parse(texts[0]!) as { items: Camera[] };
    expect(list.items.map((c) => c.kind).sort()).toEqual(['agency', 'integrated', 'registered']);
    const integrated = list.items.find((c) => c.kind === 'integrated')!;
    expect(integrated).toMatchObject({ ptz: true, hasSubstream: true, hasOwnerContact: true });
    expect(integrated.sharing).toMatchObject({ mode: 'always', live: true });
  });

  it('lists each camera exactly as a single read shows it', async () => {
    const cams = [
      await createCamera(t, admin, registeredCamera({ notes: 'Line one\n"quoted" \\ back' })),
      await createCamera(
        t,
        admin,
        integratedCamera({
          mode: 'schedule',
          windows: [{ days: ['fri', 'sat'], start: '22:00', end: '06:00' }],
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
          recordings: true,
        }),
      ),
      await createCamera(
        t,
        admin,
        agencyCamera({ lat: -33.868_820_123_4, lng: 151.209_295_678_9 }),
      ),
    ];
    await t.as(admin, 'POST', `/v1/cameras/${cams[1]!.id}/alarm`, { active: true });
    const singles = await Promise.all(
      cams.map(async (c) => (await t.as(analyst, 'GET', `/v1/cameras/${c.id}`)).json() as Camera),
    );
    const list = (await t.as(analyst, 'GET', '/v1/cameras?limit=10')).json();
    expect(list.nextCursor).toBeNull();
    const byId = (items: Camera[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(list.items)).toEqual(byId(singles));
    // The objects the server uses inside agree with the JSON the database builds.
    const query = CameraListQuerySchema.parse({ limit: '10' });
    expect(byId((await listCameras(t.store.store, query)).items)).toEqual(byId(singles));

    const near = (await t.as(analyst, 'GET', '/v1/cameras?near=36.1,-80.244&radius=1000')).json();
    for (const item of near.items as CameraListItem[]) {
      const { distanceM, ...camera } = item;
      expect(camera).toEqual(singles.find((c) => c.id === item.id));
      expect(distanceM).toBeCloseTo(distanceMeters({ lat: 36.1, lng: -80.244 }, item), 1);
    }
    expect(near.items).toHaveLength(2);
  });

  it('filters by kind, status and text, and pages by id', async () => {
    await createCamera(
      t,
      admin,
      registeredCamera({ name: 'Bakery 50% off sign', address: '1 Elm St' }),
    );
    await createCamera(t, admin, registeredCamera({ name: 'Library steps', lat: 36.11 }));
    await createCamera(t, admin, integratedCamera());
    await createCamera(t, admin, agencyCamera());

    const names = async (url: string) =>
      ((await t.as(analyst, 'GET', url)).json().items as Camera[]).map((c) => c.name).sort();
    expect(await names('/v1/cameras?kind=registered')).toEqual([
      'Bakery 50% off sign',
      'Library steps',
    ]);
    expect(await names('/v1/cameras?kind=integrated,agency')).toEqual([
      'Pharmacy lot',
      'Traffic cam 4th & Main',
    ]);
    expect(await names('/v1/cameras?kind=integrated&kind=agency')).toHaveLength(2);
    expect(await names('/v1/cameras?q=LIBRARY')).toEqual(['Library steps']);
    expect(await names('/v1/cameras?q=elm%20st')).toEqual(['Bakery 50% off sign']);
    // LIKE wildcards are text, not patterns.
    expect(await names('/v1/cameras?q=50%25')).toEqual(['Bakery 50% off sign']);
    expect(await names('/v1/cameras?q=%25')).toEqual(['Bakery 50% off sign']);
    expect(await names('/v1/cameras?q=_')).toEqual([]);
    expect(await names('/v1/cameras?bbox=-80.25,36.09,-80.24,36.105')).toHaveLength(3);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await t.as(
        analyst,
        'GET',
        `/v1/cameras?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = res.json() as { items: Camera[]; nextCursor: string | null };
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect([...seen].sort()).toEqual(seen);
  });

  it('records an owner alarm on integrated cameras only', async () => {
    const integrated = await createCamera(t, admin, integratedCamera({ mode: 'alarm' }));
    const raised = await t.as(admin, 'POST', `/v1/cameras/${integrated.id}/alarm`, {
      active: true,
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json().alarmActive).toBe(true);
    const events = await eventsOfType(t, 'camera.alarm');
    expect(events.map((e) => e.payload.active)).toEqual([true]);
    expect((await auditRows(t, 'camera.alarm'))[0]!.details).toMatchObject({ active: true });

    const agency = await createCamera(t, admin, agencyCamera());
    const refused = await t.as(admin, 'POST', `/v1/cameras/${agency.id}/alarm`, { active: true });
    expect(refused.statusCode).toBe(409);
    const byOfficer = await t.as(officer, 'POST', `/v1/cameras/${integrated.id}/alarm`, {
      active: false,
    });
    expect(byOfficer.statusCode).toBe(403);
  });

  it('refuses a second copy of the same camera and edits that do not fit the kind', async () => {
    const camera = await createCamera(t, admin, registeredCamera());
    const dup = await t.as(admin, 'POST', '/v1/cameras', registeredCamera({ lat: 36.100_104 }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toMatch(/duplicate/);
    // Same name 50 m away is another camera.
    const other = await t.as(admin, 'POST', '/v1/cameras', registeredCamera({ lat: 36.1005 }));
    expect(other.statusCode).toBe(201);

    for (const body of [{ sharing: { withdrawn: true } }, { source: SOURCE }, { owner: null }]) {
      const res = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const agency = await createCamera(t, admin, agencyCamera());
    const ownerOnAgency = await t.as(admin, 'PATCH', `/v1/cameras/${agency.id}`, { owner: OWNER });
    expect(ownerOnAgency.statusCode).toBe(400);
  });

  it('answers bad input with 400 and a message, and stores nothing', async () => {
    const camera = await createCamera(t, admin, registeredCamera());
    const before = {
      cameras: await countRows(t, 'cameras'),
      events: await countRows(t, 'events'),
      owners: await countRows(t, 'camera_owner_contacts'),
    };
    const badBodies: unknown[] = [
      { ...registeredCamera(), lat: 'north' },
      { ...registeredCamera(), lat: 91 },
      { ...registeredCamera(), lng: -181 },
      { ...registeredCamera(), name: 'x'.repeat(10_000) },
      { ...registeredCamera(), name: '   ' },
      { ...registeredCamera(), kind: 'drone' },
      { ...registeredCamera(), kind: "registered'; drop table cameras; --" },
      { ...registeredCamera(), owner: { name: 'Ann', email: 'not-an-email' } },
      { ...registeredCamera(), owner: undefined },
      { ...integratedCamera(), source: { ...SOURCE, url: 'file:///etc/passwd' } },
      {
        ...integratedCamera(),
        sharing: { mode: 'schedule', windows: [{ days: ['mon'], start: '25:00', end: '06:00' }] },
      },
      { ...agencyCamera(), source: undefined },
      [registeredCamera()],
      null,
    ];
    for (const body of badBodies) {
      const res = await t.as(admin, 'POST', '/v1/cameras', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.json().message.length).toBeGreaterThan(0);
    }
    const stringBody = await sendRaw(
      t,
      admin,
      'POST',
      '/v1/cameras',
      '"registered"',
      'application/json',
    );
    expect(stringBody.statusCode).toBe(400);
    const badQueries = [
      'near=36.1',
      'near=abc,def',
      'near=91,0',
      'near=36.1,-80.2,5&radius=100',
      "near=36.1,-80.2' or 1=1 --&radius=100",
      'near=36.1,-80.2',
      'radius=100',
      'near=36.1,-80.2&radius=50001',
      'near=36.1,-80.2&radius=-5',
      'near=36.1,-80.2&radius=1e309',
      'kind=drone',
      "kind=registered' or '1'='1",
      'status=deleted',
      `q=${'a'.repeat(201)}`,
      'limit=0',
      'limit=100001',
      'limit=ten',
      'cursor=1%20or%201=1',
      `near=36.1,-80.2&radius=100&cursor=${camera.id}`,
      'bbox=1,2,3',
      'bbox=-80,36,-81,37',
    ];
    for (const q of badQueries) {
      const res = await t.as(analyst, 'GET', `/v1/cameras?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().message, q).toMatch(/querystring/);
    }
    const badPatches: unknown[] = [
      { lat: 36.2 },
      {},
      { name: 42 },
      { retentionDays: -1 },
      { unknownField: true },
      { address: 'y'.repeat(301) },
    ];
    for (const body of badPatches) {
      const res = await t.as(admin, 'PATCH', `/v1/cameras/${camera.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await t.as(analyst, 'GET', "/v1/cameras/1' or '1'='1")).statusCode).toBe(400);
    expect(
      (await t.as(analyst, 'GET', '/v1/cameras/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect({
      cameras: await countRows(t, 'cameras'),
      events: await countRows(t, 'events'),
      owners: await countRows(t, 'camera_owner_contacts'),
    }).toEqual(before);
    expect((await t.as(analyst, 'GET', `/v1/cameras/${camera.id}`)).json()).toEqual(camera);
  });

  it('stores a name that looks like SQL as plain text', async () => {
    const name = "Robert'); drop table cameras; --";
    const camera = await createCamera(t, admin, registeredCamera({ name }));
    expect(camera.name).toBe(name);
    const found = await t.as(analyst, 'GET', `/v1/cameras?q=${encodeURIComponent("'); drop")}`);
    expect(found.json().items.map((c: Camera) => c.name)).toEqual([name]);
    expect(await countRows(t, 'cameras')).toBe(1);
  });
});
