import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { NewCamera } from '../../shared/domain/cameras';
import { ManualClock } from '../../shared/time/clock';
import { getAgency, setAgency, UNCONFIGURED_AGENCY } from '../../server/agency/agencyRepository';
import { onlineReportsNotYetAvailable } from '../../server/transparency/onlineReportFigures';
import { REPORT_CACHE_MS, TransparencyReports } from '../../server/transparency/transparencyReport';
import { loadBenchCameras, openBenchStore, postgresReachable } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';
import { seededRandom } from '../support/seededRandom';

/**
 * The transparency report's computation at scale on PostgreSQL (docs/portal.md, "Transparency
 * report"): N audit rows over a year (--rows, default 1 million; WF_BENCH_TRANSPARENCY_ROWS),
 * 60 % of them camera views with a reason, made by one INSERT … SELECT generate_series (their
 * hashes are placeholders: the report never reads them). Measured: the report computed afresh
 * with nothing kept (the first visitor after a start), again once the cache expired (closed months
 * are kept: only the month still running is read), and a cached answer.
 */

const DAY = 86_400_000;

export async function runTransparencyBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: process.env.WF_BENCH_TRANSPARENCY_ROWS || '1000000' },
      runs: { type: 'string', default: '5' },
      cameras: { type: 'string', default: '2000' },
    },
  });
  const n = Number(values.rows);
  const runs = Number(values.runs);
  if (!(await postgresReachable())) {
    process.stdout.write(
      'PostgreSQL not reachable: the transparency benchmark runs on PostgreSQL only\n',
    );
    return;
  }
  const { store, dispose } = await openBenchStore('postgres');
  try {
    const rand = seededRandom(13);
    const cameras: NewCamera[] = Array.from(
      { length: Number(values.cameras) },
      (_, i) =>
        ({
          kind: 'registered',
          name: `Bench camera ${i}`,
          lat: 36 + rand() * 0.2,
          lng: -80.3 + rand() * 0.2,
          owner: { name: 'Bench owner', email: 'bench@example.test', phone: '336-555-0100' },
          retentionDays: 30,
        }) as NewCamera,
    );
    await loadBenchCameras(store, cameras);
    const ids = (await store.query<{ id: string }>('select id from cameras order by id')).rows.map(
      (r) => r.id,
    );
    const now = Date.now();
    await setAgency(store, { ...UNCONFIGURED_AGENCY, timeZone: 'America/New_York' }, new Date(now));
    const start = now - 365 * DAY;
    const t0 = performance.now();
    await store.query(
      `insert into audit_log (id, at, actor_id, actor_name, action, target_type, target_id,
         outcome, details, prev_hash, hash)
       select g,
         to_timestamp(($1::double precision + (g::double precision / $2) * $3) / 1000),
         'u' || (g % 200), 'user' || (g % 200),
         case when g % 10 < 6 then 'stream.grant' when g % 10 = 6 then 'case.note'
              when g % 10 = 7 then 'auth.login' else 'tip.state' end,
         case when g % 10 < 6 then 'camera' else null end,
         case when g % 10 < 6 then ($4::text[])[1 + (g * 7919) % $5] else null end,
         case when g % 50 = 3 then 'denied' else 'success' end,
         case when g % 10 < 6 then
           case when g % 5 = 0 then jsonb_build_object('reason',
                  jsonb_build_object('code', 'event_situational_awareness'))
                else jsonb_build_object('reason', jsonb_build_object(
                  'code', (array['active_incident','sensor_alert','camera_pull','investigation_follow_up'])[1 + g % 4],
                  'reference', '2026-' || lpad((g % 20000)::text, 6, '0')))
           end
         else '{}'::jsonb end,
         md5((g - 1)::text), md5(g::text)
       from generate_series(1, $2::bigint) g`,
      [start, n, 365 * DAY, ids, ids.length],
    );
    await store.query(`select setval(pg_get_serial_sequence('audit_log', 'id'), $1)`, [n]);
    await store.query('analyze audit_log');
    const loadS = (performance.now() - t0) / 1000;

    const clock = new ManualClock(now);
    const agency = await getAgency(store);
    const rows: Record<string, unknown>[] = [];
    let sample: unknown = null;
    for (const period of ['12m', String(new Date(now).getUTCFullYear())]) {
      const times: number[] = [];
      for (let r = 0; r < runs; r += 1) {
        // A new instance each run: nothing cached, as after the cache expires.
        const reports = new TransparencyReports(store, clock, onlineReportsNotYetAvailable);
        const s = performance.now();
        const report = await reports.report(agency, period);
        times.push(performance.now() - s);
        if (period === '12m') sample = report;
      }
      rows.push({
        period,
        'computed afresh p50 ms': round(percentile(times, 50), 1),
        'worst ms': round(Math.max(...times), 1),
      });
    }
    // The cache expired: closed months are kept, only the month still running is read again.
    const warm = new TransparencyReports(store, clock, onlineReportsNotYetAvailable);
    await warm.report(agency, '12m');
    const expired: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      clock.advance(REPORT_CACHE_MS + 1);
      const s = performance.now();
      await warm.report(agency, '12m');
      expired.push(performance.now() - s);
    }
    rows.push({
      period: '12m, cache expired (closed months kept)',
      'computed afresh p50 ms': round(percentile(expired, 50), 1),
      'worst ms': round(Math.max(...expired), 1),
    });
    const cached = new TransparencyReports(store, clock, onlineReportsNotYetAvailable);
    await cached.report(agency, '12m');
    const hits: number[] = [];
    for (let r = 0; r < 200; r += 1) {
      const s = performance.now();
      await cached.report(agency, '12m');
      hits.push(performance.now() - s);
    }
    rows.push({
      period: '12m, cached',
      'computed afresh p50 ms': round(percentile(hits, 50), 3),
      'worst ms': round(Math.max(...hits), 3),
    });
    printTable(`transparency report on PostgreSQL: ${n} audit rows over a year`, rows);
    const views = (sample as { cameraViews: { total: unknown } } | null)?.cameraViews.total;
    process.stdout.write(`camera views in the last 12 months, as shown: ${String(views)}\n`);
    writeResult('transparency', {
      rows: n,
      cameras: ids.length,
      runs,
      loadS: round(loadS, 1),
      note: 'hashes are placeholders: the report never reads them',
      report: rows,
      viewsShown: views,
    });
  } finally {
    await dispose();
  }
}
