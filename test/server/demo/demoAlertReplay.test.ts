import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bearing,
  dronePosition,
  emPosition,
  EM_LOOP_MS,
  EM_SUBJECT,
  DRONE_FLIGHTS_PER_DAY,
  GUNSHOTS_PER_DAY,
  LPR_HITS_PER_DAY,
  offset,
  planAlertDay,
  startDemoAlertReplay,
} from '../../../server/demo/demoAlertReplay';
import { demoCadPlaces, SYNTHETIC, type CadPoster } from '../../../server/demo/demoCadReplay';
import { DEMO_DRONE_CAMERA_ID, DRONE_BASE } from '../../../server/demo/demoDrone';
import { DEMO_INTEGRATIONS_FILE } from '../../../server/demo/demoIntegrations';
import { loadDemoAgency, seedDemoSite } from '../../../server/demo/seedDemo';
import type { Alert, Track } from '../../../shared/domain/alerts';
import { distanceMeters, pointInPolygon } from '../../../shared/geo';
import { startTestApp, type TestApp } from '../../support/testApp';
import { getAgency } from '../../../server/agency/agencyRepository';

/**
 * The demo site's sensors: a replayed day of LPR hits, gunshot detections, a monitored person's
 * walk and drone flights, through the real ingest with the demo's keys, driven by a ManualClock.
 */

let t: TestApp | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A repeatable random sequence (a linear congruential generator). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function injectPoster(app: TestApp, key: string, statuses: number[]): CadPoster {
  return {
    async send(method, path, body) {
      const res = await app.app.api.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${key}` },
        payload: body as object,
      });
      statuses.push(res.statusCode);
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
      return res.statusCode;
    },
  };
}

const agency = loadDemoAgency();
/** The open call the drone is sent over (the demo CAD's most urgent one, in `npm start`). */
const CALL = { lat: 36.0968, lng: -80.2437 };
const zone = agency.alerts.exclusionZones.find((z) => z.subjects.includes(EM_SUBJECT))!;

describe('the demo sensors, without a server', () => {
  it('plan a day of a few LPR hits and a low rate of gunshots, with the source type mix', () => {
    const days = Array.from({ length: 40 }, (_, i) =>
      planAlertDay(demoCadPlaces(agency), seeded(i + 1)),
    );
    for (const d of days) {
      expect(d.lpr).toHaveLength(LPR_HITS_PER_DAY);
      expect(d.gunshots).toHaveLength(GUNSHOTS_PER_DAY);
      expect(d.lpr.filter((h) => h.hotList.name === 'violent-felony').length).toBeGreaterThan(0);
      expect(d.lpr.every((h) => /^[A-Z]{3}-\d{4}$/.test(h.plate))).toBe(true);
    }
    const shots = days.flatMap((d) => d.gunshots);
    const share = (type: string) => shots.filter((g) => g.type === type).length / shots.length;
    expect(share('multiple')).toBeGreaterThan(0.35);
    expect(share('single')).toBeGreaterThan(0.3);
    expect(share('possible_firecracker')).toBeLessThan(0.15);
    expect(shots.every((g) => (g.type === 'single') === (g.rounds === 1))).toBe(true);
    // Mostly at night (18:00 to 06:00).
    const night = shots.filter((g) => g.atMs < 6 * 3_600_000 || g.atMs >= 18 * 3_600_000);
    expect(night.length / shots.length).toBeGreaterThan(0.6);
  });

  it("walks the monitored person's loop through the exclusion zone, and out again", () => {
    const samples = Array.from({ length: 90 }, (_, i) => emPosition((i * EM_LOOP_MS) / 90));
    const inside = samples.map((p) => pointInPolygon(p, zone.geometry));
    expect(inside.some(Boolean)).toBe(true);
    expect(inside.filter(Boolean).length).toBeLessThan(samples.length / 10);
    expect(emPosition(EM_LOOP_MS)).toEqual(emPosition(0));
  });

  it('flies the drone out, circles the scene looking at it, and brings it back', () => {
    const scene = offset(DRONE_BASE, 1500, 800);
    expect(dronePosition(scene, 0)).toBeNull();
    const orbit = dronePosition(scene, 10 * 60_000)!;
    expect(distanceMeters(orbit.at, scene)).toBeGreaterThan(110);
    expect(distanceMeters(orbit.at, scene)).toBeLessThan(130);
    expect(orbit.heading).toBe(bearing(orbit.at, scene));
    const outbound = dronePosition(scene, 3 * 60_000)!;
    expect(distanceMeters(outbound.at, DRONE_BASE)).toBeGreaterThan(100);
    expect(dronePosition(scene, 60 * 60_000)).toBeNull();
    expect(bearing({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBe(0);
    expect(bearing({ lat: 0, lng: 0 }, { lat: 0, lng: 1 })).toBe(90);
  });
});

describe('the demo sensors through the real ingest', () => {
  it('a replayed day brings LPR hits with plate images, gunshots, zone entries and a drone that flies over a call', async () => {
    t = await startTestApp('pglite');
    dir = mkdtempSync(join(tmpdir(), 'wf-demo-alerts-'));
    await seedDemoSite(t.app.ctx, {
      dataDir: dir,
      simulatorUrl: 'http://127.0.0.1:7999',
      counts: { registered: 10, integrated: 10, agency: 10 },
    });
    const keys = JSON.parse(readFileSync(join(dir, DEMO_INTEGRATIONS_FILE), 'utf8'));
    const statuses: number[] = [];
    const replay = startDemoAlertReplay({
      posters: {
        lpr: injectPoster(t, keys.lpr.key, statuses),
        gunshot: injectPoster(t, keys.gunshot.key, statuses),
        tracks: injectPoster(t, keys.tracks.key, statuses),
      },
      agency,
      plateImagesUrl: 'http://127.0.0.1:7999',
      clock: t.clock,
      random: seeded(7),
      incidentScene: () => CALL,
      speed: 24,
      autoTick: false,
    });
    // One replayed day (an hour of real time at 24x), a tick every 12 replayed minutes.
    for (let i = 0; i < 120; i++) {
      t.clock.advance(30_000);
      await replay.tick();
    }
    replay.stop();
    expect(statuses.length).toBeGreaterThan(100);
    expect(new Set(statuses)).toEqual(new Set([200]));

    const analyst = await t.user('analyst');
    const alerts = (await t.as(analyst, 'GET', '/v1/alerts')).json().alerts as Alert[];
    const of = <K extends Alert['kind']>(kind: K) =>
      alerts.filter((a): a is Extract<Alert, { kind: K }> => a.kind === kind);

    const lpr = of('lpr');
    expect(lpr).toHaveLength(LPR_HITS_PER_DAY);
    expect(lpr.every((a) => a.details.reason.startsWith(SYNTHETIC))).toBe(true);
    expect(lpr.every((a) => a.evidence.length === 1)).toBe(true);
    const felony = lpr.filter((a) => a.details.hotList === 'violent-felony');
    expect(felony.length).toBeGreaterThan(0);
    expect(felony.every((a) => a.urgent)).toBe(true);
    // The plate images are allowed from the simulator the site was seeded with.
    const stored = await t.app.ctx.store.query<{ url: string }>('select url from alert_evidence');
    expect(
      stored.rows.every((r) =>
        /^http:\/\/127\.0\.0\.1:7999\/plates\/[A-Z]{3}-\d{4}\.jpg$/.test(r.url),
      ),
    ).toBe(true);
    expect((await getAgency(t.app.ctx.store)).alerts.mediaOrigins['demo LPR']).toBe(
      'http://127.0.0.1:7999',
    );

    const gunshots = of('gunshot');
    expect(gunshots).toHaveLength(GUNSHOTS_PER_DAY);
    expect(gunshots.every((a) => !a.outsideJurisdiction)).toBe(true);

    // Eight loops of three hours: the person enters the zone on each (the first may straddle).
    const entries = of('zone');
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(entries.every((a) => a.details.subject === EM_SUBJECT)).toBe(true);
    expect(entries.every((a) => a.details.zoneId === zone.id)).toBe(true);

    const tracks = (await t.as(analyst, 'GET', '/v1/tracks?withinHours=2')).json()
      .tracks as Track[];
    const droneTrack = tracks.find((tr) => tr.cameraId === DEMO_DRONE_CAMERA_ID);
    expect(droneTrack?.subject).toBe(DEMO_DRONE_CAMERA_ID);
    expect(tracks.some((tr) => tr.subject === EM_SUBJECT && tr.cameraId === null)).toBe(true);
    const moves = await t.app.ctx.store.query<{ n: number }>(
      "select count(*)::int as n from events where type = 'camera.moved'",
    );
    // Each batch moves the camera once, to its latest point; a flight spans a few batches.
    expect(Number(moves.rows[0]!.n)).toBeGreaterThanOrEqual(DRONE_FLIGHTS_PER_DAY * 2);
    // A point every 15 replayed seconds for the 18 minutes each flight is in the air.
    expect(droneTrack!.points.length).toBeGreaterThan(DRONE_FLIGHTS_PER_DAY * 60);
    // Over the open call it was sent to, its camera pointed at the scene.
    const overScene = droneTrack!.points.filter(
      (p) => Math.abs(distanceMeters({ lat: p.lat, lng: p.lon }, CALL) - 120) < 5,
    );
    expect(overScene.length).toBeGreaterThan(DRONE_FLIGHTS_PER_DAY * 30);
    // (Within a degree: the positions are sent to six decimals.)
    const off = (p: { lat: number; lon: number; heading: number | null }) =>
      Math.abs(
        (((p.heading ?? -999) - bearing({ lat: p.lat, lng: p.lon }, CALL) + 540) % 360) - 180,
      );
    expect(overScene.every((p) => off(p) <= 1)).toBe(true);
  });
});
