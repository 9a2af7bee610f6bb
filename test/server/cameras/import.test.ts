import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import type { CameraFeatureCollection, ImportResult } from '../../../shared/api/cameras';
import { importCameras } from '../../../server/cameras/importCameras';
import { findOwnerContact, findSource } from '../../../server/cameras/cameraRepository';
import { cameraSecretsOf } from '../../../server/cameras/cameraSecrets';
import { auditRows, countRows, eventsOfType, OWNER, sendRaw } from './cameraFixtures';

const HEADER =
  'kind,name,lat,lng,address,owner_name,owner_phone,owner_email,source_url,source_password,sharing_mode,sharing_windows';

/** Line numbers are those of a text editor: the header is line 1. */
const CSV = [
  HEADER,
  'registered,Good doorbell,36.1001,-80.2441,100 N Main St,Ann Owner,336-555-0100,ann@example.test,,,,', // 2
  'registered,Bad latitude,95,-80.2441,,Bob Owner,,bob@example.test,,,,', // 3
  'registered,,36.1002,-80.2442,,Carl Owner,,,,,,', // 4
  'drone,Unknown kind,36.1003,-80.2443,,Dee Owner,,,,,,', // 5
  'integrated,No source,36.1004,-80.2444,,,,,,,always,', // 6
  'registered,Bad email,36.1005,-80.2445,,Eve Owner,,not-an-email,,,,', // 7
  'registered,Good doorbell,36.100105,-80.2441,,Ann Owner,,,,,,', // 8: within 1 m of line 2
  'registered,Too many,36.1006,-80.2446,,Fay Owner,,,,,,,extra', // 9
  '', // 10: blank lines are skipped
  'integrated,"Pharmacy lot, rear",36.0985,-80.2460,"200 S\nMain St",Gus Owner,,,rtsp://ph.example.test/1,pw-1,schedule,mon-fri 08:00-18:00; sat 10:00-14:00', // 11-12
  'agency,Traffic cam 9,36.0990,-80.2450,,,,,rtsp://city.example.test/9,,,', // 13
  'agency,Agency with owner,36.0991,-80.2451,,Hal Owner,,,rtsp://city.example.test/10,,,', // 14
  'registered,Bad lng,36.1,west,,Ida Owner,,,,,,', // 15
].join('\n');

describe.each(STORE_KINDS)('camera import on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;

  beforeEach(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
  });
  afterEach(async () => {
    await t.close();
  });

  const postCsv = (text: string, user = admin) =>
    sendRaw(t, user, 'POST', '/v1/cameras/import?format=csv', text, 'text/csv');

  it('creates the good rows and says why each bad row was refused', async () => {
    const res = await postCsv(CSV);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as ImportResult;
    expect(result.created).toBe(3);
    const reasons = Object.fromEntries(result.rejected.map((r) => [r.row, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 14, 15]);
    expect(reasons[3]).toMatch(/^lat: .*90/);
    expect(reasons[4]).toMatch(/^name: missing/);
    expect(reasons[5]).toMatch(/^kind: "drone" is not a camera kind/);
    expect(reasons[6]).toMatch(/^source_url: an integrated camera needs/);
    expect(reasons[7]).toMatch(/^owner_email: /);
    expect(reasons[8]).toMatch(/^duplicate: /);
    expect(reasons[9]).toMatch(/13 fields but the header has 12/);
    expect(reasons[14]).toMatch(/^owner_name: agency cameras have no private owner/);
    expect(reasons[15]).toMatch(/^lng: "west" is not a number/);

    const list = await t.as(admin, 'GET', '/v1/cameras');
    const cameras = list.json().items as Camera[];
    expect(cameras.map((c) => c.name).sort()).toEqual([
      'Good doorbell',
      'Pharmacy lot, rear',
      'Traffic cam 9',
    ]);
    const pharmacy = cameras.find((c) => c.kind === 'integrated')!;
    expect(pharmacy.address).toBe('200 S\nMain St');
    expect(pharmacy.sharing).toMatchObject({
      mode: 'schedule',
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
        { days: ['sat'], start: '10:00', end: '14:00' },
      ],
    });
    expect(
      await findSource(t.store.store, cameraSecretsOf(t.app.ctx.config), pharmacy.id),
    ).toMatchObject({
      protocol: 'rtsp',
      url: 'rtsp://ph.example.test/1',
      password: 'pw-1',
    });
    const doorbell = cameras.find((c) => c.kind === 'registered')!;
    expect(await findOwnerContact(t.store.store, doorbell.id)).toEqual({
      name: 'Ann Owner',
      phone: '336-555-0100',
      email: 'ann@example.test',
    });
    expect(await countRows(t, 'camera_owner_contacts')).toBe(2);
    expect(await countRows(t, 'camera_sources')).toBe(2);

    const audits = await auditRows(t, 'camera.import');
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toEqual({ format: 'csv', rows: 12, created: 3, rejected: 9 });
    const events = await eventsOfType(t, 'cameras.imported');
    expect(events.map((e) => e.payload)).toEqual([{ source: 'csv', created: 3, rejected: 9 }]);
    // One event for the batch, not one per camera.
    expect(await eventsOfType(t, 'camera.created')).toEqual([]);

    // The same file again: every good row is now a duplicate of what is stored.
    const again = (await postCsv(CSV)).json() as ImportResult;
    expect(again.created, JSON.stringify(again.rejected)).toBe(0);
    for (const row of [2, 11, 13]) {
      expect(again.rejected.find((r) => r.row === row)?.reason).toMatch(/^duplicate: /);
    }
    expect(await countRows(t, 'cameras')).toBe(3);
  });

  it('refuses a file that is not CSV at all (400) and stores nothing', async () => {
    const notCsv = [
      'hello world\nthis is a letter, not a registry\n',
      '',
      '{"type": "FeatureCollection", "features": []}',
      'kind,name,lat,lng,favourite_colour\nregistered,A,1,2,blue\n',
      'kind,name,lat,lat\n',
      '"unterminated,header\n',
      '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR',
    ];
    for (const text of notCsv) {
      const res = await postCsv(text);
      expect(res.statusCode, text).toBe(400);
      expect(res.json().message.length, text).toBeGreaterThan(10);
    }
    for (const text of ['not json at all', '{"type": "Feature"}', '[1, 2]', '']) {
      const res = await sendRaw(
        t,
        admin,
        'POST',
        '/v1/cameras/import?format=geojson',
        text,
        'application/geo+json',
      );
      expect(res.statusCode, text).toBe(400);
    }
    const noFormat = await sendRaw(
      t,
      admin,
      'POST',
      '/v1/cameras/import',
      'kind,name',
      'text/plain',
    );
    expect(noFormat.statusCode).toBe(400);
    expect(noFormat.json().message).toMatch(/format=csv/);
    expect(await countRows(t, 'cameras')).toBe(0);
    expect(await auditRows(t, 'camera.import')).toEqual([]);
  });

  it('takes the format from the content type and accepts big files', async () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `registered,Bulk ${i},${36 + i / 10_000},-80.2,,Owner ${i},,,,,,`,
    );
    const text = [HEADER, ...rows].join('\r\n');
    const res = await sendRaw(
      t,
      admin,
      'POST',
      '/v1/cameras/import',
      text,
      'text/csv; charset=utf-8',
    );
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toEqual({ created: 5000, rejected: [] });
    const all = await t.as(admin, 'GET', '/v1/cameras?limit=100000');
    expect(all.json().items).toHaveLength(5000);
    expect(all.json().nextCursor).toBeNull();
  });

  it('refuses importing to roles without cameras.import', async () => {
    const analyst = await t.user('analyst');
    const res = await postCsv(CSV, analyst);
    expect(res.statusCode).toBe(403);
    expect(await countRows(t, 'cameras')).toBe(0);
  });

  it('round-trips GeoJSON: import, export, edit, import elsewhere, export the same', async () => {
    const features = [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-80.2441, 36.1001] },
        properties: {
          kind: 'registered',
          name: 'Doorbell',
          address: '1 Elm St',
          notes: 'Faces the alley',
          retention_days: 30,
          owner_name: OWNER.name,
          owner_email: OWNER.email,
        },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-80.246, 36.0985] },
        properties: {
          kind: 'integrated',
          name: 'Pharmacy lot',
          source_url: 'rtsp://ph.example.test/1',
          source_password: 'pw',
          ptz: true,
          sharing_mode: 'schedule',
          sharing_windows: [{ days: ['sat', 'sun'], start: '22:00', end: '06:00' }],
          sharing_also_during_alarm: true,
          sharing_valid_until: '2027-12-31',
          sharing_recordings: true,
        },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-80.2435, 36.0995] },
        properties: {
          kind: 'agency',
          name: 'Traffic cam',
          source_protocol: 'hls',
          source_url: 'https://city.example.test/cam.m3u8',
        },
      },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [-80.2, 36.1] },
        properties: { kind: 'agency', name: 'Typo', sorce_url: 'rtsp://x.example.test/' },
      },
    ];
    const imported = await sendRaw(
      t,
      admin,
      'POST',
      '/v1/cameras/import',
      JSON.stringify({ type: 'FeatureCollection', features }),
      'application/geo+json',
    );
    expect(imported.statusCode, imported.body).toBe(200);
    const result = imported.json() as ImportResult;
    expect(result.created).toBe(3);
    expect(result.rejected.map((r) => r.row)).toEqual([4, 5]);
    expect(result.rejected[0]!.reason).toMatch(/Point/);
    expect(result.rejected[1]!.reason).toMatch(/unknown property "sorce_url"/);

    const exported = await t.as(admin, 'GET', '/v1/cameras/export.geojson');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(exported.body).not.toContain(OWNER.email);
    expect(exported.body).not.toContain('rtsp://');
    const collection = exported.json() as CameraFeatureCollection;
    expect(collection.features).toHaveLength(3);
    const byName = new Map(collection.features.map((f) => [f.properties.name, f]));
    for (const original of features.slice(0, 3)) {
      const props = original.properties as Record<string, unknown>;
      const out = byName.get(props.name as string)!;
      expect(out.geometry.coordinates).toEqual(original.geometry.coordinates);
      for (const [key, value] of Object.entries(props)) {
        if (key.startsWith('owner_') || key.startsWith('source_')) continue;
        if (key === 'sharing_windows') {
          expect(out.properties[key]).toBe('sat,sun 22:00-06:00');
        } else {
          expect(out.properties[key], key).toEqual(value);
        }
      }
    }
    expect(byName.get('Pharmacy lot')!.properties).toMatchObject({
      sharing_live: true,
      sharing_ptz: false,
      sharing_withdrawn: false,
    });
    expect(await auditRows(t, 'camera.export')).toHaveLength(1);

    // The exported file, with the confidential columns put back, imports into another registry.
    const elsewhere = await startTestApp(kind);
    try {
      const admin2 = await elsewhere.user('admin');
      const secrets = new Map(features.slice(0, 3).map((f) => [f.properties.name, f.properties]));
      const edited = {
        ...collection,
        features: collection.features.map((f) => {
          const original = secrets.get(f.properties.name as string) as Record<string, unknown>;
          const confidential = Object.fromEntries(
            Object.entries(original).filter(
              ([k]) => k.startsWith('owner_') || k.startsWith('source_'),
            ),
          );
          return { ...f, properties: { ...f.properties, ...confidential } };
        }),
      };
      const again = await elsewhere.app.api.inject({
        method: 'POST',
        url: '/v1/cameras/import?format=geojson',
        headers: { authorization: `Bearer ${admin2.token}` },
        payload: edited,
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual({ created: 3, rejected: [] });
      const second = (
        await elsewhere.as(admin2, 'GET', '/v1/cameras/export.geojson')
      ).json() as CameraFeatureCollection;
      const strip = (c: CameraFeatureCollection) =>
        c.features
          .map((f) => {
            const { id: _id, created_at: _c, updated_at: _u, ...rest } = f.properties;
            return { coordinates: f.geometry.coordinates, properties: rest };
          })
          .sort((a, b) => String(a.properties.name).localeCompare(String(b.properties.name)));
      expect(strip(second)).toEqual(strip(collection));
    } finally {
      await elsewhere.close();
    }
  });

  it('is callable directly, as the wf command does', async () => {
    const result = await importCameras(
      t.app.ctx,
      { format: 'csv', content: `${HEADER}\nregistered,Direct,36.1,-80.2,,Owner,,,,,,` },
      { id: null, name: 'wf-cli' },
    );
    expect(result).toEqual({ created: 1, rejected: [] });
    expect((await auditRows(t, 'camera.import'))[0]).toMatchObject({ actor_id: null });
  });
});
