import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { STORE_KINDS } from '../../support/stores';
import { cadIncident, configureCity, integrationKey, post } from '../incidents/incidentFixtures';
import { recordAt, viewFor } from '../shifts/recordFixtures';
import type { MetricsReport, MetricsRow } from '../../../shared/domain/metrics';
import { distribution, percentile } from '../../../shared/domain/metrics';

/**
 * A record with known answers, in New York time. Day 1 is Sunday 2026-11-29, day 2 Monday
 * 2026-11-30 (another week). 15:00Z is 10:00 local: the Day shift.
 *
 * Calls and their first camera (seconds): WS-1 30 (A), WS-2 90 (A), WS-3 10 (B), WS-4 240 (B),
 * WS-5 none, WS-6 on day 2, 20 (A).
 *   day 1: 10, 30, 90, 240: median 60, p90 90 + 0.7 * 150 = 195
 *   all: 10, 20, 30, 90, 240: median 30, p90 90 + 0.6 * 150 = 180
 *   analyst A: 20, 30, 90: median 30, p90 30 + 0.8 * 60 = 78; B: 10, 240: median 125, p90 217
 * Pulls: P1 asked 15:00, fulfilled 17:00 day 1 (120 min); P2 asked day 1 15:30, fulfilled day 2
 * 15:00 (1410 min): median 765, p90 120 + 0.9 * 1290 = 1281.
 */
const A = { id: 'user-a', name: 'analyst-a' };
const B = { id: 'user-b', name: 'analyst-b' };
const SUP = { id: 'user-s', name: 'sgt-vance' };
const D1 = '2026-11-29';
const D2 = '2026-11-30';
const at = (day: string, hhmmss: string) => `${day}T${hhmmss}Z`;

describe.each(STORE_KINDS)('metrics from the record on %s', (kind) => {
  let t: TestApp;
  let lieutenant: TestUser;
  const ids = new Map<string, string>();

  const get = async (query: string): Promise<MetricsReport> => {
    const res = await t.as(lieutenant, 'GET', `/v1/metrics?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MetricsReport;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    await configureCity(t);
    lieutenant = await t.user('lieutenant');
    const cad = await integrationKey(t, 'cad');
    const calls: [string, string][] = [
      ['WS-1', at(D1, '15:00:00')],
      ['WS-2', at(D1, '15:10:00')],
      ['WS-3', at(D1, '15:20:00')],
      ['WS-4', at(D1, '15:30:00')],
      ['WS-5', at(D1, '15:40:00')],
      ['WS-6', at(D2, '15:00:00')],
      ['WS-0', at('2026-11-28', '15:00:00')],
    ];
    for (const [n, received] of calls) {
      const res = await post(
        t,
        'POST',
        '/v1/ingest/cad/incidents',
        cad.key,
        cadIncident(n, { receivedAt: received, narrative: [] }),
      );
      expect(res.statusCode, res.body).toBe(200);
      ids.set(n, res.json().incidents[0].id);
    }
    const view = (when: string, who: typeof A, ref: string, docked = true) =>
      recordAt(t, when, who, viewFor(ref, { docked }));
    await view(at(D1, '15:00:30'), A, 'WS-1');
    await view(at(D1, '15:05:00'), B, 'WS-1', false);
    await view(at(D1, '15:11:30'), A, 'ws-2');
    await view(at(D1, '15:20:10'), B, 'WS-3');
    await view(at(D1, '15:34:00'), B, 'WS-4');
    await view(at(D2, '15:00:20'), A, 'WS-6');
    // Before the range: neither counted nor a first camera.
    await view(at('2026-11-28', '15:01:00'), A, 'WS-0');
    await recordAt(t, at(D1, '15:50:00'), A, { ...viewFor('WS-5'), outcome: 'denied' });
    await recordAt(
      t,
      at(D1, '16:00:00'),
      B,
      viewFor('2026-000123', { code: 'camera_pull', camera: 'cam-9' }),
    );

    const tip = (id: string, to: string) => ({
      action: 'tip.state',
      targetType: 'tip',
      targetId: id,
      details: { from: 'new', to, duplicateOf: null },
    });
    await recordAt(t, at(D1, '16:10:00'), A, tip('tip-1', 'actionable'));
    await recordAt(t, at(D1, '16:11:00'), A, tip('tip-1', 'no_action'));
    await recordAt(t, at(D1, '16:12:00'), B, tip('tip-2', 'duplicate'));
    await recordAt(t, at(D1, '16:13:00'), B, tip('tip-3', 'reviewing'));

    const pull = (action: string, id: string, requestedAt: string, extra = {}) => ({
      action,
      targetType: 'pull',
      targetId: id,
      details: { caseNumber: '2026-000123', incidentId: ids.get('WS-1'), requestedAt, ...extra },
    });
    await recordAt(t, at(D1, '15:05:00'), A, pull('pull.create', 'P1', at(D1, '15:00:00')));
    await recordAt(t, at(D1, '15:31:00'), B, pull('pull.create', 'P2', at(D1, '15:30:00')));
    await recordAt(t, at(D1, '17:00:00'), A, pull('pull.fulfil', 'P1', at(D1, '15:00:00')));
    await recordAt(t, at(D2, '15:00:00'), B, pull('pull.fulfil', 'P2', at(D1, '15:30:00')));
    await recordAt(t, at(D1, '17:30:00'), A, {
      action: 'evidence.export',
      targetType: 'pull',
      targetId: 'P1',
      details: { caseNumber: '2026-000123', incidentId: ids.get('WS-5') },
    });
    await recordAt(t, at(D2, '16:00:00'), SUP, {
      action: 'case.note',
      targetType: 'case',
      targetId: '2026-000777',
      details: {},
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const byKey = (r: MetricsReport) => new Map(r.rows.map((row) => [row.key, row]));

  it('counts assists, call to camera, pulls, tips, views, cases and exports, per day', async () => {
    const r = await get(`from=${D1}&to=${D2}&by=day`);
    expect(r.timeZone).toBe('America/New_York');
    expect(r.rows.map((row) => row.key)).toEqual([D1, D2]);
    const day1 = byKey(r).get(D1)!;
    expect(day1).toMatchObject<Partial<MetricsRow>>({
      assists: 5,
      callToCamera: { count: 4, median: 60, p90: 195 },
      pullsRequested: 2,
      pullsFulfilled: 1,
      timeToFulfil: { count: 1, median: 120, p90: 120 },
      tipsByOutcome: { actionable: 0, no_action: 1, duplicate: 1 },
      casesSupported: 1,
      exports: 1,
    });
    expect(day1.viewsByReason).toMatchObject({ active_incident: 5, camera_pull: 1 });
    const day2 = byKey(r).get(D2)!;
    expect(day2).toMatchObject({
      assists: 2,
      callToCamera: { count: 1, median: 20, p90: 20 },
      pullsRequested: 0,
      pullsFulfilled: 1,
      timeToFulfil: { count: 1, median: 1410, p90: 1410 },
      casesSupported: 2,
      exports: 0,
    });
    expect(r.total).toMatchObject({
      assists: 6,
      callToCamera: { count: 5, median: 30, p90: 180 },
      pullsRequested: 2,
      pullsFulfilled: 2,
      timeToFulfil: { count: 2, median: 765, p90: 1281 },
      casesSupported: 2,
      exports: 1,
    });
    expect(r.total.viewsByReason).toMatchObject({ active_incident: 6, camera_pull: 1 });
  });

  it('groups per week, month, analyst and shift', async () => {
    const weeks = await get(`from=${D1}&to=${D2}&by=week`);
    expect(weeks.rows.map((row) => [row.label, row.assists])).toEqual([
      ['Week of 2026-11-23', 5],
      ['Week of 2026-11-30', 2],
    ]);
    const months = await get(`from=${D1}&to=${D2}&by=month`);
    expect(months.rows.map((row) => [row.key, row.assists, row.callToCamera.median])).toEqual([
      ['2026-11', 6, 30],
    ]);
    const people = byKey(await get(`from=${D1}&to=${D2}&by=analyst`));
    expect(people.get(A.id)).toMatchObject({
      label: 'analyst-a',
      callToCamera: { count: 3, median: 30, p90: 78 },
      pullsRequested: 1,
      pullsFulfilled: 1,
      exports: 1,
      tipsByOutcome: { actionable: 0, no_action: 1, duplicate: 0 },
    });
    expect(people.get(B.id)).toMatchObject({
      callToCamera: { count: 2, median: 125, p90: 217 },
      pullsRequested: 1,
      pullsFulfilled: 1,
    });
    expect(people.get(SUP.id)?.casesSupported).toBe(1);
    const shifts = await get(`from=${D1}&to=${D1}&by=shift`);
    expect(shifts.rows.map((row) => row.key)).toEqual([
      '2026-11-28 Night',
      '2026-11-29 Day',
      '2026-11-29 Night',
    ]);
    expect(byKey(shifts).get('2026-11-29 Day')).toMatchObject({
      assists: 5,
      callToCamera: { count: 4, median: 60, p90: 195 },
    });
  });

  it('refuses a range it cannot count, naming the field', async () => {
    const cases: [string, string][] = [
      [`from=${D2}&to=${D1}`, 'query.to'],
      ['from=2026-02-30&to=2026-03-01', 'query.from'],
      ['from=2025-01-01&to=2026-12-31', 'query.to'],
    ];
    for (const [query, path] of cases) {
      const res = await t.as(lieutenant, 'GET', `/v1/metrics?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().issues[0].path, query).toBe(path);
    }
    const analyst = await t.user('analyst');
    expect((await t.as(analyst, 'GET', `/v1/metrics?from=${D1}&to=${D2}`)).statusCode).toBe(403);
  });
});

describe('percentiles', () => {
  it('interpolate between the nearest ranks', () => {
    expect(percentile([10, 30, 90, 240], 0.5)).toBe(60);
    expect(percentile([10, 30, 90, 240], 0.9)).toBeCloseTo(195);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
    expect(distribution([240, 10, 90, 30])).toEqual({ count: 4, median: 60, p90: 195 });
  });
});
