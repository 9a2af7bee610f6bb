import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { distanceMeters, type LatLng } from '../../../shared/geo';
import type { CameraListItem } from '../../../shared/api/cameras';
import { CameraListQuerySchema } from '../../../shared/api/cameras';
import { cameraListJsonSql, cameraListSql } from '../../../server/cameras/cameraSearch';
import { sendRaw, WINSTON_SALEM } from './cameraFixtures';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Placed extends LatLng {
  readonly name: string;
}

function scatter(count: number, center: LatLng, spanDeg: number, seed: number): Placed[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    name: `Scatter ${seed}-${i}`,
    lat: center.lat + (next() - 0.5) * spanDeg,
    lng: center.lng + (next() - 0.5) * spanDeg,
  }));
}

function asGeoJson(cameras: readonly Placed[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: cameras.map((c) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
      properties: { kind: 'registered', name: c.name, owner_name: 'Synthetic owner' },
    })),
  });
}

describe.each(STORE_KINDS)('radius search on %s', (kind) => {
  let t: TestApp;
  let analyst: TestUser;
  const cameras = [
    ...scatter(400, WINSTON_SALEM, 0.4, 7),
    // Across the antimeridian: a circle there must find cameras on both sides.
    ...scatter(30, { lat: 10, lng: 179.999 }, 0.02, 11).map((c) => ({
      ...c,
      lng: c.lng > 180 ? c.lng - 360 : c.lng,
    })),
  ];

  beforeAll(async () => {
    t = await startTestApp(kind);
    const admin = await t.user('admin');
    analyst = await t.user('analyst');
    const res = await sendRaw(
      t,
      admin,
      'POST',
      '/v1/cameras/import?format=geojson',
      asGeoJson(cameras),
      'application/geo+json',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: cameras.length, rejected: [] });
    await t.store.store.exec('analyze cameras');
  });
  afterAll(async () => {
    await t?.close();
  });

  const cases: readonly [string, LatLng, number][] = [
    ['city centre, 1 km', WINSTON_SALEM, 1000],
    ['city centre, 5 km', WINSTON_SALEM, 5000],
    ['off centre, 12 km', { lat: 36.2, lng: -80.1 }, 12_000],
    ['150 m around one camera', cameras[17]!, 150],
    ['nowhere near a camera', { lat: 0, lng: 0 }, 50_000],
    ['whole area, 50 km', WINSTON_SALEM, 50_000],
    ['antimeridian, 1.5 km', { lat: 10, lng: 179.999 }, 1500],
    ['antimeridian from the west, 1.5 km', { lat: 10, lng: -179.9995 }, 1500],
  ];

  it.each(cases)(
    'returns exactly the cameras within the radius: %s',
    async (_label, at, radius) => {
      const res = await t.as(
        analyst,
        'GET',
        `/v1/cameras?near=${at.lat},${at.lng}&radius=${radius}&limit=100000`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as CameraListItem[];

      // Brute force over the same data.
      const expected = cameras
        .map((c) => ({ name: c.name, d: distanceMeters(at, c) }))
        .filter((c) => c.d <= radius)
        .sort((a, b) => a.d - b.d);
      expect(expected.length > 0).toBe(at.lat !== 0);
      expect(items.map((c) => c.name).sort()).toEqual(expected.map((c) => c.name).sort());

      // Nearest first, and each distance is the haversine distance.
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        expect(item.distanceM).toBeCloseTo(distanceMeters(at, item), 1);
        if (i > 0) expect(item.distanceM!).toBeGreaterThanOrEqual(items[i - 1]!.distanceM!);
      }
      const limited = await t.as(
        analyst,
        'GET',
        `/v1/cameras?near=${at.lat},${at.lng}&radius=${radius}&limit=3`,
      );
      expect((limited.json().items as CameraListItem[]).map((c) => c.name)).toEqual(
        items.slice(0, 3).map((c) => c.name),
      );
    },
  );

  it('answers the radius query from the GiST index', async () => {
    const query = CameraListQuerySchema.parse({
      near: `${WINSTON_SALEM.lat},${WINSTON_SALEM.lng}`,
      radius: '2000',
    });
    // The rows query, and the JSON form of it that the route sends.
    for (const { sql, params } of [cameraListSql(query), cameraListJsonSql(query)]) {
      const plan = await t.store.store.transaction(async (tx) => {
        // On a few hundred rows a scan is cheaper; forbidding it shows the index can answer.
        await tx.query('set local enable_seqscan = off');
        const res = await tx.query<Record<string, string>>(`explain ${sql}`, params);
        return res.rows.map((r) => Object.values(r)[0]).join('\n');
      });
      expect(plan).toMatch(/Index Scan|Bitmap Index Scan/);
      expect(plan).toContain('cameras_location');
      expect(plan).not.toMatch(/Seq Scan on cameras/);
    }
  });
});
