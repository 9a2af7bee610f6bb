import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, openTestStore } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { loadMigrations, migrate } from '../../../server/store/migrate';
import { createServerContext } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { ManualClock } from '../../../shared/time/clock';
import { findRecordingsSource, findSource } from '../../../server/cameras/cameraRepository';
import { cameraSecretsOf } from '../../../server/cameras/cameraSecrets';
import { countPlainCredentials } from '../../../server/cameras/sealCredentials';
import type { Camera } from '../../../shared/domain/cameras';
import type { CameraAdminDetail, MergeResult } from '../../../shared/api/cameraAdmin';
import {
  auditRows,
  createCamera,
  integratedCamera,
  OWNER,
  registeredCamera,
  SOURCE,
} from './cameraFixtures';

const RECORDINGS = {
  urlTemplate:
    'https://nvr.example.test/api/clip.mp4?start={start_unix}&end={end_unix}&token=Nvr-Token-991',
  username: 'nvr-reader',
  password: 'Nvr-Pass-5521',
};
/** Every credential the tests hand the server: none may come back, nor reach the trail. */
const CREDENTIALS = [
  SOURCE.username,
  SOURCE.password,
  RECORDINGS.username,
  RECORDINGS.password,
  'Nvr-Token-991',
  'Url-Pass-77',
];

function expectNoCredential(text: string): void {
  for (const c of CREDENTIALS) expect(text).not.toContain(c);
}

async function everything(t: TestApp): Promise<string> {
  const audit = await t.store.store.query('select details from audit_log');
  const events = await t.store.store.query('select payload from events');
  return JSON.stringify([audit.rows, events.rows]);
}

describe.each(STORE_KINDS)('camera administration on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  const replies: string[] = [];

  async function call(
    user: TestUser,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
  ) {
    const res = await t.as(user, method, url, body);
    replies.push(res.body);
    return res;
  }

  beforeEach(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    replies.length = 0;
  });
  afterEach(async () => {
    await t.close();
  });

  it('seals credentials at rest, shows only "set", keeps them on an address change, and never answers or audits one', async () => {
    const cam = await createCamera(
      t,
      admin,
      integratedCamera({}, { recordings: RECORDINGS } as never),
    );
    // At rest: the plain descriptor has no credential; the sealed text opens to the whole source.
    const rows = await t.store.store.query<{ descriptor: unknown; sealed: string | null }>(
      `select descriptor, sealed from camera_sources union all
       select descriptor, sealed from camera_recording_sources`,
    );
    expectNoCredential(JSON.stringify(rows.rows));
    expect(rows.rows.every((r) => r.sealed?.startsWith('v1.'))).toBe(true);
    const secrets = cameraSecretsOf(t.app.ctx.config);
    expect(await findSource(t.store.store, secrets, cam.id)).toMatchObject({
      username: SOURCE.username,
      password: SOURCE.password,
    });

    const detail = (
      await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)
    ).json() as CameraAdminDetail;
    expect(detail.source).toMatchObject({ url: SOURCE.url, credentials: 'set', ptz: true });
    expect(detail.recordings).toEqual({
      urlTemplate: RECORDINGS.urlTemplate.replace('Nvr-Token-991', 'REDACTED'),
      credentials: 'set',
    });
    expect(detail.owner).toEqual(OWNER);
    expect(detail.policyKeeper).toBe('agency');

    // A new address, credentials kept: the relay still gets them.
    const moved = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      source: { protocol: 'rtsp', url: 'rtsp://cam-7b.example.test/live', keepCredentials: true },
      recordings: { urlTemplate: detail.recordings!.urlTemplate, keepCredentials: true },
      bearingDeg: 90,
      fovDeg: 70,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await findSource(t.store.store, secrets, cam.id)).toMatchObject({
      url: 'rtsp://cam-7b.example.test/live',
      username: SOURCE.username,
      password: SOURCE.password,
    });
    expect(await findRecordingsSource(t.store.store, secrets, cam.id)).toEqual(RECORDINGS);

    // Credentials in the URL are taken out too.
    await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      source: { protocol: 'rtsp', url: 'rtsp://u9:Url-Pass-77@cam-7c.example.test/live' },
    });
    const after = (
      await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)
    ).json() as CameraAdminDetail;
    expect(after.source).toMatchObject({
      url: 'rtsp://cam-7c.example.test/live',
      credentials: 'set',
    });

    // A PTZ control address with a token in its query: shown without it, kept on a change.
    await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      source: {
        protocol: 'rtsp',
        url: 'rtsp://cam-7c.example.test/live',
        ptz: true,
        ptzUrl: 'https://cam-7c.example.test/ptz?token=Ptz-Secret-41',
        ptzProtocol: 'onvif',
        keepCredentials: true,
      },
    });
    const steered = (
      await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)
    ).json() as CameraAdminDetail;
    expect(steered.source!.ptz).toBe(true);
    expect(steered.source!.ptzProtocol).toBe('onvif');
    expect(steered.source!.ptzUrl).not.toContain('Ptz-Secret-41');
    expect(steered.source!.ptzUrl).toMatch(/^https:\/\/cam-7c\.example\.test\/ptz/);
    expect(
      (
        await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
          source: { ...steered.source!, substreamUrl: undefined, keepCredentials: true },
          fovDeg: 60,
        })
      ).statusCode,
    ).toBe(200);
    expect((await findSource(t.store.store, secrets, cam.id))!.ptzUrl).toBe(
      'https://cam-7c.example.test/ptz?token=Ptz-Secret-41',
    );

    await call(admin, 'GET', `/v1/cameras/${cam.id}`);
    await call(admin, 'GET', '/v1/cameras?status=all');
    await call(admin, 'GET', '/v1/cameras/export.geojson');

    for (const reply of replies) expectNoCredential(reply);
    expectNoCredential(await everything(t));
    const update = (await auditRows(t, 'camera.update'))[0]!.details as {
      diff: Record<string, unknown>;
    };
    expect(update.diff).toMatchObject({
      bearingDeg: { before: null, after: 90 },
      fovDeg: { before: null, after: 70 },
      source: { before: { credentials: 'set' }, after: { credentials: 'set' } },
    });
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const cam = await createCamera(t, admin, integratedCamera());
    const before = (await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)).body;
    const bad: [Record<string, unknown>, string][] = [
      [{ bearingDeg: 400 }, 'bearingDeg'],
      [{ bearingDeg: -1 }, 'bearingDeg'],
      [{ fovDeg: 0 }, 'fovDeg'],
      [{ fovDeg: 361 }, 'fovDeg'],
      [{ lat: 91, lng: 0 }, 'lat'],
      [{ lat: 36.1, lng: -181 }, 'lng'],
      [{ source: { protocol: 'rtsp', url: 'ftp://cam.example.test/x' } }, 'source.url'],
      [{ source: { protocol: 'rtsp', url: 'not a url' } }, 'source.url'],
      [{ recordings: { urlTemplate: 'rtsp://nvr/{start}/{end}' } }, 'recordings.urlTemplate'],
      [
        { source: { protocol: 'rtsp', url: 'rtsp://a/b', password: 'x', keepCredentials: true } },
        'source.keepCredentials',
      ],
      [{ name: '' }, 'name'],
    ];
    for (const [body, field] of bad) {
      const res = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(400);
      expect(res.body, JSON.stringify(body)).toContain(field);
    }
    expect((await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)).body).toBe(before);
    const created = await call(admin, 'POST', '/v1/cameras', {
      ...registeredCamera(),
      bearingDeg: 500,
    });
    expect(created.statusCode).toBe(400);
    expect(created.body).toContain('bearingDeg');
  });

  it("edits an agency-kept policy's weekly windows and dates; a bad window or date is a 400 naming it, and nothing changes", async () => {
    const cam = await createCamera(t, admin, integratedCamera());
    expect(
      (await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, { policyKeeper: 'agency' })).statusCode,
    ).toBe(200);
    const before = (await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)).body;
    const bad: [Record<string, unknown>, string][] = [
      [{ windows: [{ days: [], start: '08:00', end: '17:00' }] }, 'sharing.windows.0.days'],
      [{ windows: [{ days: ['mon'], start: '24:00', end: '17:00' }] }, 'sharing.windows.0.start'],
      [{ windows: [{ days: ['someday'], start: '08:00', end: '17:00' }] }, 'sharing.windows'],
      [{ windows: [{ days: ['mon'], start: '08:00' }] }, 'sharing.windows.0.end'],
      [{ validFrom: '2026-02-30' }, 'sharing.validFrom'],
      [{ validUntil: '12/31/2026' }, 'sharing.validUntil'],
    ];
    for (const [sharing, field] of bad) {
      const res = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, { sharing });
      expect(res.statusCode, `${JSON.stringify(sharing)} ${res.body}`).toBe(400);
      expect(res.body, JSON.stringify(sharing)).toContain(field);
    }
    expect((await call(admin, 'GET', `/v1/cameras/${cam.id}/admin`)).body).toBe(before);

    const windows = [
      { days: ['fri', 'sat'], start: '22:00', end: '06:00' },
      { days: ['sun'], start: '09:00', end: '17:00' },
    ];
    const ok = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      sharing: { mode: 'schedule', windows, validFrom: '2026-01-01', validUntil: '2026-12-31' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const stored = ((await call(admin, 'GET', `/v1/cameras/${cam.id}`)).json() as Camera).sharing;
    expect(stored).toMatchObject({
      mode: 'schedule',
      windows,
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
    });
    const update = (await auditRows(t, 'camera.update'))
      .reverse()
      .find((a) => a.target_id === cam.id)!.details as { diff: Record<string, unknown> };
    expect(update.diff.sharing).toMatchObject({ after: { windows, validFrom: '2026-01-01' } });

    // A date emptied in the form is removed; the windows stay as they were.
    const cleared = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      sharing: { validFrom: null },
    });
    expect(cleared.statusCode).toBe(200);
    const after = ((await call(admin, 'GET', `/v1/cameras/${cam.id}`)).json() as Camera).sharing;
    expect(after?.validFrom).toBeUndefined();
    expect(after?.windows).toEqual(windows);
  });

  it('answers 403 to everyone but an admin', async () => {
    const cam = await createCamera(t, admin, integratedCamera());
    const other = await createCamera(
      t,
      admin,
      integratedCamera({}, { name: 'Other lot' } as never),
    );
    for (const user of [
      analyst,
      await t.user('supervisor'),
      await t.user('lieutenant'),
      await t.user('officer'),
    ]) {
      const tries = [
        t.as(user, 'GET', `/v1/cameras/${cam.id}/admin`),
        t.as(user, 'PATCH', `/v1/cameras/${cam.id}`, { name: 'x' }),
        t.as(user, 'POST', `/v1/cameras/${cam.id}/retire`),
        t.as(user, 'POST', '/v1/cameras/test-source', { cameraId: cam.id }),
        t.as(user, 'GET', '/v1/cameras/duplicates'),
        t.as(user, 'POST', `/v1/cameras/${cam.id}/merge`, { duplicateId: other.id }),
        t.as(user, 'POST', '/v1/cameras/import-text', { format: 'csv', content: 'kind,name\n' }),
      ];
      for (const res of await Promise.all(tries)) expect(res.statusCode, res.body).toBe(403);
    }
    expect((await auditRows(t, 'camera.merge')).length).toBe(0);
  });

  it('shows an owner-kept policy read-only', async () => {
    const cam = await createCamera(t, admin, integratedCamera());
    expect(
      (await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, { policyKeeper: 'owner' })).statusCode,
    ).toBe(200);
    const refused = await call(admin, 'PATCH', `/v1/cameras/${cam.id}`, {
      sharing: { live: false },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('owner keeps the sharing policy');
    expect(
      ((await call(admin, 'GET', `/v1/cameras/${cam.id}`)).json() as Camera).sharing?.live,
    ).toBe(true);
  });

  it('flags duplicates, merges one into the survivor with its views and layouts, and audits it', async () => {
    const survivor = await createCamera(
      t,
      admin,
      integratedCamera({}, { name: 'Pharmacy lot' } as never),
    );
    const dup = await createCamera(
      t,
      admin,
      integratedCamera({}, {
        name: 'Pharmacy parking',
        lat: 36.09852,
        lng: -80.24601,
        owner: { name: 'olivia quartermain LLC' },
      } as never),
    );
    // Far away, same owner: not flagged.
    await createCamera(t, admin, registeredCamera({ lat: 36.2, lng: -80.3 } as never));

    const flagged = (await call(admin, 'GET', '/v1/cameras/duplicates')).json() as {
      pairs: { a: Camera; b: Camera; reason: string }[];
    };
    expect(flagged.pairs).toHaveLength(1);
    expect([flagged.pairs[0]!.a.id, flagged.pairs[0]!.b.id].sort()).toEqual(
      [survivor.id, dup.id].sort(),
    );
    expect(JSON.stringify(flagged)).not.toContain(OWNER.name);

    const grant = await t.as(analyst, 'POST', `/v1/cameras/${dup.id}/grants`, {
      reason: { code: 'active_incident', reference: 'INC-2026-0042' },
      access: 'live',
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const layout = { cols: 1, rows: 1, tiles: [{ cameraId: dup.id }] };
    await t.store.store.query(
      `insert into wall_layouts (user_id, name, layout, updated_at) values ($1, 'Mine', $2, now())`,
      [analyst.id, JSON.stringify(layout)],
    );

    const merged = await call(admin, 'POST', `/v1/cameras/${survivor.id}/merge`, {
      duplicateId: dup.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const result = merged.json() as MergeResult;
    expect(result.retired.status).toBe('retired');
    expect(result.moved).toMatchObject({ views: 1, layouts: 1 });
    const grants = await t.store.store.query<{ camera_id: string; revoked_at: unknown }>(
      'select camera_id, revoked_at from camera_grants',
    );
    expect(grants.rows).toEqual([expect.objectContaining({ camera_id: survivor.id })]);
    expect(grants.rows[0]!.revoked_at).not.toBeNull();
    const saved = await t.store.store.query<{ layout: unknown }>('select layout from wall_layouts');
    expect(JSON.stringify(saved.rows[0]!.layout)).toContain(survivor.id);

    const detail = (
      await call(admin, 'GET', `/v1/cameras/${dup.id}/admin`)
    ).json() as CameraAdminDetail;
    expect(detail.mergedInto).toBe(survivor.id);
    const list = (await call(admin, 'GET', '/v1/cameras')).json() as { items: Camera[] };
    expect(list.items.map((c) => c.id)).not.toContain(dup.id);
    const audit = await auditRows(t, 'camera.merge');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ retired: { id: dup.id }, moved: { views: 1 } });
    expect((await call(admin, 'GET', '/v1/cameras/duplicates')).json()).toEqual({ pairs: [] });
    // Merging again is refused: the duplicate is retired.
    const again = await call(admin, 'POST', `/v1/cameras/${survivor.id}/merge`, {
      duplicateId: dup.id,
    });
    expect(again.statusCode).toBe(409);
    expectNoCredential(await everything(t));
  });

  it('retires a camera: off the map and search, still readable and on the trail', async () => {
    const cam = await createCamera(t, admin, registeredCamera());
    expect((await call(admin, 'POST', `/v1/cameras/${cam.id}/retire`)).statusCode).toBe(200);
    const list = (await call(admin, 'GET', '/v1/cameras?q=Corner')).json() as { items: Camera[] };
    expect(list.items).toHaveLength(0);
    expect(((await call(admin, 'GET', `/v1/cameras/${cam.id}`)).json() as Camera).status).toBe(
      'retired',
    );
    expect((await auditRows(t, 'camera.retire'))[0]!.details).toMatchObject({
      diff: { status: { before: 'active', after: 'retired' } },
    });
  });

  it('imports a CSV from the page and reports the rejected rows', async () => {
    const csv = [
      'kind,name,lat,lng,owner_name',
      'registered,Porch one,36.1,-80.24,Ann Owner',
      'registered,Porch two,95,-80.24,Ann Owner',
    ].join('\n');
    const res = await call(admin, 'POST', '/v1/cameras/import-text', {
      format: 'csv',
      content: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, rejected: [{ row: 3 }] });
  });
});

describe.each(STORE_KINDS)('migration 0020 on %s', (kind) => {
  it('seals the credentials stored plain before it, once, audited', async () => {
    const store = await openTestStore(kind, { migrated: false });
    try {
      await migrate(
        store.store,
        loadMigrations().filter((m) => m.version < 20),
      );
      const camId = '6f1c0c3e-2d7b-4c55-9a43-1b9a0c3f0a11';
      await store.store.query(
        `insert into cameras (id, kind, name, lat, lng, created_at, updated_at, has_recordings)
         values ($1, 'agency', 'Old pole cam', 36.1, -80.24, now(), now(), true)`,
        [camId],
      );
      const plain = {
        protocol: 'rtsp',
        url: 'rtsp://u9:Url-Pass-77@pole.example.test/live',
        username: SOURCE.username,
        password: SOURCE.password,
        codecHint: 'h264',
        ptz: false,
      };
      await store.store.query(
        'insert into camera_sources (camera_id, descriptor, updated_at) values ($1, $2, now())',
        [camId, JSON.stringify(plain)],
      );
      await store.store.query(
        'insert into camera_recording_sources (camera_id, descriptor, updated_at) values ($1, $2, now())',
        [camId, JSON.stringify(RECORDINGS)],
      );
      await migrate(store.store);
      expect(await countPlainCredentials(store.store)).toBe(2);

      const config = { ...readServerConfig({}), cameraKey: randomBytes(32).toString('hex') };
      const deps = {
        store: store.store,
        clock: new ManualClock(Date.now()),
        config,
        logger: pino({ level: 'silent' }),
      };
      const ctx = await createServerContext(deps);
      expect(await countPlainCredentials(store.store)).toBe(0);
      const rows = await store.store.query(
        'select descriptor, sealed from camera_sources union all select descriptor, sealed from camera_recording_sources',
      );
      expectNoCredential(JSON.stringify(rows.rows));
      const secrets = cameraSecretsOf(config);
      expect(await findSource(store.store, secrets, camId)).toEqual(plain);
      expect(await findRecordingsSource(store.store, secrets, camId)).toEqual(RECORDINGS);
      const audit = await store.store.query<{ details: unknown }>(
        "select details from audit_log where action = 'camera.credentials.seal'",
      );
      expect(audit.rows).toEqual([{ details: { liveSources: 1, recordingsSources: 1 } }]);
      expectNoCredential(JSON.stringify(audit.rows));
      await ctx.tasks.stop();
      await ctx.hub.stop();

      // A second start finds nothing to seal and writes nothing.
      const again = await createServerContext(deps);
      const count = await store.store.query(
        "select count(*)::int as n from audit_log where action = 'camera.credentials.seal'",
      );
      expect(Number((count.rows[0] as { n: number }).n)).toBe(1);
      await again.tasks.stop();
      await again.hub.stop();
      // A wrong key does not open them.
      const wrong = cameraSecretsOf({
        cameraKey: randomBytes(32).toString('hex'),
        cameraKeyFile: '/nonexistent',
      });
      await expect(findSource(store.store, wrong, camId)).rejects.toThrow();
    } finally {
      await store.dispose();
    }
  });
});
