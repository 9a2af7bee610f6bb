import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { integrationKey, post } from '../incidents/incidentFixtures';
import { alertEvents, configureAlertCity, SCHOOL_ZONE } from './alertFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const TRACKS = '/v1/ingest/tracks';

function point(subject: string, lat: number, lon: number, time: string, heading?: number) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { subject, time, ...(heading === undefined ? {} : { heading }), battery: 81 },
  };
}
const batch = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe.each(STORE_KINDS)('tracks on %s', (kind) => {
  it('keeps the track, raises a zone alert on entering (not for every point inside), once', async () => {
    t = await startTestApp(kind);
    await configureAlertCity(t, { exclusionZones: [SCHOOL_ZONE] });
    const em = await integrationKey(t, 'tracks', 'em-vendor');
    const at = (m: number) => new Date(t!.clock.now() - (10 - m) * 60_000).toISOString();
    const walk = batch(
      point('EM-1042', 36.11, -80.23, at(0)),
      point('EM-1042', 36.119, -80.221, at(1)), // inside
      point('EM-1042', 36.12, -80.22, at(2)), // still inside
      point('EM-1042', 36.13, -80.21, at(3)), // out
      point('EM-1042', 36.121, -80.219, at(4)), // in again
      point('EM-2000', 36.1, -80.25, at(1)), // another subject, never inside
    );
    const res = await post(t, 'POST', TRACKS, em.key, walk);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ added: 6, duplicates: 0, camerasMoved: [] });
    expect(res.json().alerts).toHaveLength(2);

    const again = await post(t, 'POST', TRACKS, em.key, walk);
    expect(again.json()).toMatchObject({ added: 0, duplicates: 6, alerts: [] });
    // A point older than the last one, arriving late, is kept but enters nothing.
    const late = await post(
      t,
      'POST',
      TRACKS,
      em.key,
      batch(point('EM-1042', 36.12, -80.22, new Date(Date.parse(at(3)) - 1000).toISOString())),
    );
    expect(late.json()).toMatchObject({ added: 1, alerts: [] });

    const events = await alertEvents(t, 'alert.');
    expect(events.map((e) => e.type)).toEqual(['alert.raised', 'alert.raised']);
    expect(events[0]!.payload.alert).toMatchObject({
      kind: 'zone',
      urgent: true,
      title: 'EM-1042 entered Elm St school',
      details: { subject: 'EM-1042', zoneId: 'school-1' },
    });
    const analyst = await t.user('analyst');
    const tracks = (await t.as(analyst, 'GET', '/v1/tracks')).json().tracks as {
      subject: string;
      points: unknown[];
    }[];
    expect(tracks.map((tr) => [tr.subject, tr.points.length])).toEqual([
      ['EM-1042', 6],
      ['EM-2000', 1],
    ]);
    expect((await alertEvents(t, 'track.')).length).toBe(3);
  });

  it('a track whose subject is a camera moves that camera and says so', async () => {
    t = await startTestApp(kind);
    await configureAlertCity(t);
    const admin = await t.user('admin');
    const made = await t.as(admin, 'POST', '/v1/cameras', {
      kind: 'agency',
      name: 'Drone 1',
      lat: 36.1,
      lng: -80.25,
      source: { protocol: 'rtsp', url: 'rtsp://127.0.0.1:8554/drone1' },
    });
    expect(made.statusCode).toBe(201);
    const droneId = made.json().id as string;
    const key = await integrationKey(t, 'tracks', 'drone-dock');
    const at = (s: number) => new Date(t!.clock.now() - (60 - s) * 1000).toISOString();
    const res = await post(
      t,
      'POST',
      TRACKS,
      key.key,
      batch(point(droneId, 36.101, -80.249, at(2), 45), point(droneId, 36.1, -80.25, at(1), 40)),
    );
    expect(res.json().camerasMoved).toEqual([droneId]);
    const moved = await alertEvents(t, 'camera.moved');
    expect(moved.map((e) => e.payload)).toEqual([
      { cameraId: droneId, lat: 36.101, lon: -80.249, heading: 45, at: at(2) },
    ]);
    const camera = (await t.as(admin, 'GET', `/v1/cameras/${droneId}`)).json();
    expect(camera).toMatchObject({ lat: 36.101, lng: -80.249 });
    const analyst = await t.user('analyst');
    const [track] = (await t.as(analyst, 'GET', '/v1/tracks')).json().tracks;
    expect(track).toMatchObject({ subject: droneId, cameraId: droneId });
  });

  it('refuses a point far from the city or with a bad time, naming the feature', async () => {
    t = await startTestApp(kind);
    await configureAlertCity(t);
    const em = await integrationKey(t, 'tracks');
    const now = new Date(t.clock.now()).toISOString();
    const res = await post(
      t,
      'POST',
      TRACKS,
      em.key,
      batch(point('A', 36.1, -80.25, now), point('A', 36.1, 80.25, now)),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('body.features.1.geometry.coordinates');
    const wrong = await post(t, 'POST', TRACKS, em.key, batch({ type: 'Feature', geometry: null }));
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json().issues)).toContain('geometry');
    expect(await alertEvents(t, 'track.')).toEqual([]);
  });
});
