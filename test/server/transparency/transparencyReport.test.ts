import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditBy, type Actor } from '../../../server/audit/actor';
import { verifyChainNow } from '../../../server/auditReview/chainHealth';
import { getAgency, setAgency } from '../../../server/agency/agencyRepository';
import {
  REPORT_CACHE_MS,
  TransparencyReports,
  type TransparencyReport,
} from '../../../server/transparency/transparencyReport';
import {
  FEWER_THAN_TEN,
  reportedCount,
  reportedShare,
} from '../../../server/transparency/smallCounts';
import { periodOf } from '../../../server/transparency/transparencyPeriod';
import {
  onlineReportsNotYetAvailable,
  type OnlineReportSource,
} from '../../../server/transparency/onlineReportFigures';
import { decidedReportsTally } from '../../../server/onlineReports/onlineReportTally';
import { TEST_CITY } from '../../support/testCity';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { OWNER, createCamera, integratedCamera, registeredCamera } from '../cameras/cameraFixtures';

/**
 * The transparency report on each store (docs/portal.md, "Transparency report"): each figure
 * from seeded audit rows, pulls, tips and cameras; the small-count rule on every count; the
 * period's months in the agency's time zone; the cache on the injected clock; and a JSON document
 * that names no user, no owner, no camera and no case.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-11-20 10:00 in New York: the report's "now". */
const NOW = Date.parse('2026-11-20T15:00:00Z');
const CASE = '2026-004512';
const INCIDENT = 'INC-77123';

describe('the small-count rule', () => {
  it('shows 0 as 0, 1 to 9 as fewer than 10, and rounds the rest to the nearest 5', () => {
    expect([0, 1, 9, 10, 12, 13, 17, 18, 1003].map(reportedCount)).toEqual([
      0,
      FEWER_THAN_TEN,
      FEWER_THAN_TEN,
      10,
      10,
      15,
      15,
      20,
      1005,
    ]);
  });
  it('shows a share to the nearest 5 % only over 10 or more', () => {
    expect(reportedShare(9, 9)).toBeNull();
    expect(reportedShare(23, 27)).toBe(85);
    expect(reportedShare(0, 12)).toBe(0);
  });
});

describe('the report periods', () => {
  const TZ = 'America/New_York';
  it('covers the last 12 months in the agency time zone, month by month', () => {
    const p = periodOf('12m', NOW, TZ)!;
    expect(p.months.map((m) => m.month)).toEqual([
      '2025-12',
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    ]);
    // Local midnight on 1 December 2025 (EST) and on 1 April 2026 (EDT).
    expect(new Date(p.months[0]!.from).toISOString()).toBe('2025-12-01T05:00:00.000Z');
    expect(new Date(p.months[4]!.from).toISOString()).toBe('2026-04-01T04:00:00.000Z');
    expect(p.to).toBe(NOW);
    expect([p.firstDay, p.lastDay]).toEqual(['2025-12-01', '2026-11-20']);
  });
  it('offers this year so far and the two before, and nothing else', () => {
    expect(periodOf('2026', NOW, TZ)!.months).toHaveLength(11);
    const y = periodOf('2024', NOW, TZ)!;
    expect(y.months).toHaveLength(12);
    expect([y.firstDay, y.lastDay]).toEqual(['2024-01-01', '2024-12-31']);
    for (const bad of ['2023', '2027', '6m', '', '12M', "12m' or 1=1"]) {
      expect(periodOf(bad, NOW, TZ)).toBeNull();
    }
  });
});

describe.each(STORE_KINDS)('the transparency report on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let cameraNames: string[];
  let cameraIds: string[];

  const as = (u: TestUser): Actor => ({ id: u.id, name: u.username });

  async function view(at: number, camera: string, reason: Record<string, string>) {
    t.clock.set(at);
    await t.app.ctx.record({
      audit: auditBy(as(analyst), {
        action: 'stream.grant',
        targetType: 'camera',
        targetId: camera,
        outcome: 'success',
        details: { reason, access: 'live', variant: 'main' },
      }),
      event: null,
    });
  }

  async function pull(at: number, status: string, n: number) {
    await t.store.store.query(
      `insert into pulls (id, requester_name, case_number, lat, lng, radius_m, window_start,
         window_end, look_for, urgency, status, assigned_to, logged_by_name, requested_at,
         logged_at, updated_at)
       values ($1, 'Ofc. Dana Reyes', $2, 36.1, -80.24, 300, $3, $4, 'a grey sedan', 'routine',
         $5, $6, $7, $3, $3, $3)`,
      [
        `pull-${n}`,
        CASE,
        new Date(at).toISOString(),
        new Date(at + HOUR).toISOString(),
        status,
        analyst.id,
        analyst.username,
      ],
    );
  }

  async function tip(at: number, n: number, keyword: string | null = null) {
    await t.store.store.query(
      `insert into tips (id, message_sid, thread_id, received_at, body, keyword, answer)
       values ($1, $2, 'thread-1', $3, 'A tip about the case', $4, '')`,
      [`tip-${n}`, `SM${n}`, new Date(at).toISOString(), keyword],
    );
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    await setAgency(t.store.store, TEST_CITY, new Date(NOW - 400 * DAY));
    t.clock.set(NOW - 400 * DAY);
    admin = await t.user('admin');
    analyst = await t.user('analyst', 'analyst.jordan');
    const made = [];
    for (let i = 0; i < 12; i += 1) {
      made.push(
        await createCamera(
          t,
          admin,
          registeredCamera({ name: `Doorbell ${i}`, lat: 36.1 + i / 1e4 }),
        ),
      );
    }
    for (let i = 0; i < 3; i += 1) {
      made.push(await createCamera(t, admin, integratedCamera({}, { name: `Pharmacy lot ${i}` })));
    }
    cameraNames = made.map((c) => c.name);
    cameraIds = made.map((c) => c.id);

    const june = Date.parse('2026-06-10T16:00:00Z');
    const october = Date.parse('2026-10-03T16:00:00Z');
    // June: 23 views for an active incident with its number, 4 for a sensor alert with a case.
    for (let i = 0; i < 23; i += 1) {
      await view(june + i * HOUR, cameraIds[i % 15]!, {
        code: 'active_incident',
        reference: INCIDENT,
      });
    }
    for (let i = 0; i < 4; i += 1) {
      await view(june + DAY + i * HOUR, cameraIds[0]!, { code: 'sensor_alert', reference: CASE });
    }
    // October: 12 views for an event, no number.
    for (let i = 0; i < 12; i += 1) {
      await view(october + i * HOUR, cameraIds[14]!, { code: 'event_situational_awareness' });
    }
    // Before the period: not counted.
    await view(NOW - 390 * DAY, cameraIds[1]!, {
      code: 'investigation_follow_up',
      reference: CASE,
    });

    // Pulls: 12 in the period, 7 of them fulfilled; one in July 2025.
    for (let i = 0; i < 12; i += 1) {
      await pull(june + i * DAY, i < 7 ? 'fulfilled' : 'open', i);
    }
    await pull(NOW - 500 * DAY, 'fulfilled', 99);
    await t.store.store.query(
      `insert into tip_threads (id, alias, number_key, number_sealed, first_at, last_at)
       values ('thread-1', 'Tipster 1', 'k', 's', $1, $1)`,
      [new Date(june).toISOString()],
    );
    for (let i = 0; i < 3; i += 1) await tip(october + i * HOUR, i);
    await tip(october + 5 * HOUR, 3, 'stop');

    t.clock.set(NOW - 2 * DAY);
    await verifyChainNow(t.app.ctx, 'demand');
    t.clock.set(NOW);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const reports = (source: OnlineReportSource = onlineReportsNotYetAvailable) =>
    new TransparencyReports(t.store.store, t.clock, source);

  async function last12(source?: OnlineReportSource): Promise<TransparencyReport> {
    return (await reports(source).report(await getAgency(t.store.store), '12m'))!;
  }

  it('counts the registry by kind, rounding and suppressing small counts', async () => {
    const r = await last12();
    // 12 registered, 3 integrated, none of the agency's own.
    expect(r.cameras).toEqual({ registered: 10, integrated: FEWER_THAN_TEN, agency: 0 });
  });

  it('counts views by month and reason, with the share that named a case or incident', async () => {
    const v = (await last12()).cameraViews;
    const june = v.byMonth.find((m) => m.month === '2026-06')!;
    expect(june.byReason).toEqual({
      active_incident: 25,
      sensor_alert: FEWER_THAN_TEN,
      camera_pull: 0,
      investigation_follow_up: 0,
      event_situational_awareness: 0,
    });
    expect(june.total).toBe(25); // 27 views
    const october = v.byMonth.find((m) => m.month === '2026-10')!;
    expect(october.byReason.event_situational_awareness).toBe(10); // 12
    expect(october.total).toBe(10);
    expect(v.byMonth.filter((m) => m.total !== 0).map((m) => m.month)).toEqual([
      '2026-06',
      '2026-10',
    ]);
    expect(v.total).toBe(40); // 39 in the period; the view 390 days ago is not in it
    expect(v.byReason.investigation_follow_up).toBe(0);
    // 27 of 39 named a number: 69 %, shown to the nearest 5.
    expect(v.withCaseNumberPercent).toBe(70);
  });

  it('counts pulls requested and fulfilled, and tips received', async () => {
    const r = await last12();
    expect(r.pulls).toEqual({ requested: 10, fulfilled: FEWER_THAN_TEN });
    // Three tips; a STOP is not a tip.
    expect(r.tips).toEqual({ received: FEWER_THAN_TEN });
    const older = (await reports().report(await getAgency(t.store.store), '2025'))!;
    // The one pull and the one view of 2025.
    expect(older.pulls).toEqual({ requested: FEWER_THAN_TEN, fulfilled: FEWER_THAN_TEN });
    expect(older.cameraViews.total).toBe(FEWER_THAN_TEN);
  });

  it('gives the retention periods in force and the date the chain was last verified', async () => {
    const r = await last12();
    const agency = await getAgency(t.store.store);
    expect(r.retention.find((p) => p.kind === 'tipThreads')?.days).toBe(
      agency.retention.tipThreads,
    );
    expect(r.retention.length).toBeGreaterThan(3);
    expect(r.auditChain).toEqual({ lastVerifiedOn: '2026-11-18', newestCheckPassed: true });
  });

  it('says when online report figures are not available, and suppresses their figures once supplied', async () => {
    expect((await last12()).onlineReports).toEqual({
      available: false,
      note: expect.stringContaining('not available'),
    });
    const seen: { from: Date; to: Date }[] = [];
    const source: OnlineReportSource = async (_db, range) => {
      seen.push(range);
      return { byOutcome: { approved: 14, rejected: 3 }, decided: 17, medianHoursToDecision: 30.4 };
    };
    expect((await last12(source)).onlineReports).toEqual({
      available: true,
      byOutcome: { approved: 15, rejected: FEWER_THAN_TEN },
      medianHoursToDecision: 30,
    });
    expect(seen[0]!.from.toISOString()).toBe('2025-12-01T05:00:00.000Z');
    const few: OnlineReportSource = async () => ({
      byOutcome: { approved: 9 },
      decided: 9,
      medianHoursToDecision: 2,
    });
    expect((await last12(few)).onlineReports).toMatchObject({ medianHoursToDecision: null });
  });

  it("counts the online reports decided in the period from the reports' own table", async () => {
    // Twelve approved after 10 to 32 hours, two rejected, one still open, one decided in 2025.
    const row = async (
      n: number,
      submitted: number,
      decided: number | null,
      outcome: string | null,
    ) =>
      t.store.store.query(
        `insert into online_reports (id, temp_number, form_token_hash, category, state, outcome,
           submitted_at, due_at, decided_at, reporter_name, reporter_email, occurred_at, details,
           updated_at)
         values ($1, $2, $3, 'theft', $4, $5, $6, $7, $8, 'Test Reporter', 'r@example.org', $6,
           '{}'::jsonb, $6)`,
        [
          `transparency-report-${n}`,
          `T-TR-${n}`,
          `transparency-hash-${n}`,
          outcome ?? 'submitted',
          outcome,
          new Date(submitted).toISOString(),
          new Date(submitted + 72 * HOUR).toISOString(),
          decided === null ? null : new Date(decided).toISOString(),
        ],
      );
    const base = NOW - 60 * DAY;
    for (let i = 0; i < 12; i += 1)
      await row(i, base + i * DAY, base + i * DAY + (10 + 2 * i) * HOUR, 'approved');
    await row(20, base, base + 5 * HOUR, 'rejected');
    await row(21, base, base + 7 * HOUR, 'rejected');
    await row(22, base, null, null);
    await row(23, NOW - 400 * DAY, NOW - 399 * DAY, 'approved');
    const tally = await decidedReportsTally(t.store.store, {
      from: new Date(NOW - 365 * DAY),
      to: new Date(NOW),
    });
    // Fourteen decided; the median of 5, 7, 10, 12, ... 32 hours is (18 + 20) / 2 = 19.
    expect(tally).toEqual({
      byOutcome: { approved: 12, rejected: 2 },
      decided: 14,
      medianHoursToDecision: 19,
    });
    expect((await last12(decidedReportsTally)).onlineReports).toEqual({
      available: true,
      byOutcome: { approved: 10, rejected: FEWER_THAN_TEN },
      medianHoursToDecision: 19,
    });
    const none = await decidedReportsTally(t.store.store, {
      from: new Date(NOW + DAY),
      to: new Date(NOW + 2 * DAY),
    });
    expect(none).toEqual({
      byOutcome: { approved: 0, rejected: 0 },
      decided: 0,
      medianHoursToDecision: null,
    });
    await t.store.store.query("delete from online_reports where id like 'transparency-report-%'");
  });

  it('keeps a computed report for its time on the clock, then computes it again', async () => {
    const r = reports();
    const agency = await getAgency(t.store.store);
    const first = (await r.report(agency, '12m'))!;
    for (let i = 0; i < 12; i += 1) {
      await view(NOW + 60_000 + i, cameraIds[2]!, { code: 'camera_pull', reference: CASE });
    }
    t.clock.set(NOW + REPORT_CACHE_MS - 1);
    const cached = (await r.report(agency, '12m'))!;
    expect(cached.computedAt).toBe(first.computedAt);
    expect(cached.cameraViews.byReason.camera_pull).toBe(0);
    t.clock.set(NOW + REPORT_CACHE_MS + 1);
    const fresh = (await r.report(agency, '12m'))!;
    expect(fresh.computedAt).not.toBe(first.computedAt);
    expect(fresh.cameraViews.byReason.camera_pull).toBe(10);
  });

  it('keeps a closed month for good and reads only the month still running again', async () => {
    const r = reports();
    const agency = await getAgency(t.store.store);
    t.clock.set(NOW + DAY);
    const before = (await r.report(agency, '12m'))!;
    const june = (x: TransparencyReport) =>
      x.cameraViews.byMonth.find((m) => m.month === '2026-06')!;
    // An entry stamped in June, written now (the trail never gets one; it shows what is read).
    for (let i = 0; i < 3; i += 1) {
      await view(Date.parse('2026-06-20T16:00:00Z') + i, cameraIds[3]!, {
        code: 'camera_pull',
        reference: CASE,
      });
    }
    await view(NOW + DAY + 1000, cameraIds[3]!, { code: 'sensor_alert', reference: CASE });
    t.clock.set(NOW + DAY + REPORT_CACHE_MS + 1);
    const after = (await r.report(agency, '12m'))!;
    expect(after.computedAt).not.toBe(before.computedAt);
    expect(june(after)).toEqual(june(before));
    const november = (x: TransparencyReport) => x.cameraViews.byMonth.at(-1)!;
    expect(november(before).byReason.sensor_alert).toBe(0);
    expect(november(after).byReason.sensor_alert).toBe(FEWER_THAN_TEN);
    // A new instance reads every month.
    expect(june((await reports().report(agency, '12m'))!).byReason.camera_pull).toBe(
      FEWER_THAN_TEN,
    );
  });

  it('serves the page and the JSON, and the JSON names no user, owner, camera or case', async () => {
    const page = await t.app.api.inject({ method: 'GET', url: '/portal/transparency' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('Camera views by month and reason');
    expect(page.body).toContain('fewer than 10');
    const json = await t.app.api.inject({
      method: 'GET',
      url: '/portal/transparency.json?period=2026',
    });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const text = json.body;
    const doc = JSON.parse(text) as TransparencyReport;
    expect(doc.format).toBe('watchfloor.transparency/1');
    expect(doc.period.key).toBe('2026');
    for (const secret of [
      analyst.username,
      analyst.id,
      admin.username,
      OWNER.name,
      OWNER.email,
      OWNER.phone,
      CASE,
      INCIDENT,
      'Ofc. Dana Reyes',
      'Tipster',
      ...cameraNames,
      ...cameraIds,
    ]) {
      expect(text, secret).not.toContain(secret);
      expect(page.body, secret).not.toContain(secret);
    }
    const bad = await t.app.api.inject({
      method: 'GET',
      url: '/portal/transparency.json?period=1999',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose one period from the list');
  });
});
