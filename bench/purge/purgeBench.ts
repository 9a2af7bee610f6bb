import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { buildApp, type App } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { SYSTEM_ACTOR } from '../../server/audit/actor';
import { createIntegration } from '../../server/integrations/integrationChanges';
import { createUser } from '../../server/users/userChanges';
import {
  DEFAULT_BATCH_SIZE,
  purgerOf,
  RetentionPurger,
} from '../../server/retention/retentionPurge';
import { systemClock } from '../../shared/time/clock';
import { openBenchStore, postgresReachable } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';

/**
 * The purge of N expired LPR hits the center never worked (docs/retention.md), on PostgreSQL,
 * through the server's own purger, while an analyst's console reads the alert tray
 * (`GET /v1/alerts`) back to back through the whole HTTP stack. Reports the purge's time and
 * rate, and the tray's p50/p95 before and during the purge: the purge's batches must not stall
 * the requests that share the process and the database with it.
 *
 * `npm run bench -- purge [--hits N] [--batch B]`; N defaults to WF_BENCH_PURGE_HITS or 1,000,000.
 */
export async function runPurgeBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      hits: { type: 'string', default: process.env.WF_BENCH_PURGE_HITS || '1000000' },
      batch: { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      baseline: { type: 'string', default: '300' },
    },
  });
  const hits = Number(values.hits);
  const batchSize = Number(values.batch);
  if (!(await postgresReachable())) {
    process.stdout.write('SKIPPED: PostgreSQL not reachable (WF_BENCH_DATABASE_URL)\n');
    return;
  }
  const { store, dispose } = await openBenchStore('postgres');
  const mediaDir = join(tmpdir(), `wf-bench-purge-${randomUUID()}`);
  let app: App | null = null;
  try {
    app = await buildApp({
      store,
      clock: systemClock,
      config: {
        ...readServerConfig({}),
        tipKey: randomBytes(32).toString('hex'),
        mediaDir,
        evidenceDir: join(mediaDir, 'evidence'),
      },
      logger: pino({ level: 'silent' }),
    });
    const ctx = app.ctx;
    await createIntegration(ctx, { name: 'lpr', scope: 'lpr' }, SYSTEM_ACTOR);
    const integrationId = (
      await store.query<{ id: string }>('select id from integrations where name = $1', ['lpr'])
    ).rows[0]!.id;

    // The hits: N expired and never worked; beside them a day's worth of recent ones (what the
    // tray shows) and some old ones the center did work, which the purge must leave.
    const seed0 = performance.now();
    const recent = Math.max(1000, Math.round(hits / 100));
    await seedHits(store, integrationId, hits, { fromDays: 31, spanDays: 29, worked: false });
    await seedHits(store, integrationId, recent, { fromDays: 0, spanDays: 1, worked: false });
    await seedHits(store, integrationId, recent, { fromDays: 31, spanDays: 29, worked: true });
    await store.query('analyze alerts');
    const seedS = (performance.now() - seed0) / 1000;

    const analyst = await createUser(ctx, {
      username: 'bench-analyst',
      role: 'analyst',
      password: 'correct horse battery staple',
    });
    const sessionId = randomUUID();
    const at = new Date().toISOString();
    await store.query(
      `insert into sessions (id, user_id, created_at, last_seen_at, scope) values ($1, $2, $3, $3, 'full')`,
      [sessionId, analyst.id, at],
    );
    const principal = {
      userId: analyst.id,
      username: analyst.username,
      role: analyst.role,
      sessionId,
    };
    // An access token lives 5 minutes and a full-size purge runs longer: the console renews it
    // before it ends, and so does the bench (outside the timed request).
    let token = '';
    let tokenAt = -Infinity;
    const renewEveryMs = 60_000;
    const api = app.api;
    const tray = async (): Promise<number> => {
      if (performance.now() - tokenAt > renewEveryMs) {
        token = (await ctx.tokens.issue(principal)).token;
        tokenAt = performance.now();
      }
      const t0 = performance.now();
      const res = await api.inject({
        method: 'GET',
        url: '/v1/alerts',
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.statusCode !== 200) throw new Error(`GET /v1/alerts: ${res.statusCode} ${res.body}`);
      return performance.now() - t0;
    };

    const before: number[] = [];
    for (let i = 0; i < Number(values.baseline); i++) before.push(await tray());

    const purger = purgerOf.get(ctx)!;
    // The bench's own purger with the batch size asked for; the server's stays idle.
    const measured =
      batchSize === DEFAULT_BATCH_SIZE ? purger : new RetentionPurger(ctx, { batchSize });
    const p0 = performance.now();
    const started = await measured.start('admin', SYSTEM_ACTOR);
    let finished = false;
    const during: number[] = [];
    const done = started.done.finally(() => {
      finished = true;
    });
    while (!finished) during.push(await tray());
    const run = await done;
    const purgeS = (performance.now() - p0) / 1000;

    const left = await store.query<{ kind: string; n: number }>(
      `select case when acknowledged_at is null then 'unworked' else 'worked' end as kind,
              count(*)::int as n from alerts group by 1 order by 1`,
    );
    const rows = [
      {
        store: 'postgres',
        'expired hits': hits,
        batch: batchSize,
        purged: run.counts.lprUnmatched ?? 0,
        'purge s': round(purgeS, 1),
        'hits/s': Math.round((run.counts.lprUnmatched ?? 0) / purgeS),
        'tray p50 before ms': round(percentile(before, 50), 1),
        'tray p95 before ms': round(percentile(before, 95), 1),
        'tray p50 during ms': round(percentile(during, 50), 1),
        'tray p95 during ms': round(percentile(during, 95), 1),
        'tray max during ms': round(Math.max(...during), 1),
        'requests during': during.length,
        'seed s': round(seedS, 1),
      },
    ];
    printTable(`purge of ${hits} expired LPR hits while GET /v1/alerts is read back to back`, rows);
    process.stdout.write(
      `left: ${left.rows.map((r) => `${r.kind} ${r.n}`).join(', ')} (expected unworked ${recent}, worked ${recent})\n`,
    );
    writeResult('purge', {
      hits,
      batchSize,
      outcome: run.outcome,
      counts: run.counts,
      left: Object.fromEntries(left.rows.map((r) => [r.kind, Number(r.n)])),
      rows,
    });
  } finally {
    await app?.close();
    await dispose();
    await rm(mediaDir, { recursive: true, force: true });
  }
}

/** Inserts LPR hits in one statement per 100,000, received between fromDays and fromDays+spanDays ago. */
async function seedHits(
  store: Awaited<ReturnType<typeof openBenchStore>>['store'],
  integrationId: string,
  n: number,
  opts: { fromDays: number; spanDays: number; worked: boolean },
): Promise<void> {
  const chunk = 100_000;
  const tag = randomBytes(4).toString('hex');
  for (let offset = 0; offset < n; offset += chunk) {
    const count = Math.min(chunk, n - offset);
    await store.query(
      `insert into alerts (id, integration_id, sender_id, kind, occurred_at, received_at, updated_at,
         lat, lng, severity, title, details, outside_jurisdiction, late, urgent, acknowledged_at,
         acknowledged_by)
       select $1 || '-' || g, $2, $1 || '-' || g, 'lpr', r, r, r, 36.1, -80.24, 'minor',
         'Plate ABC' || g, jsonb_build_object('plate', 'ABC' || g, 'plateState', 'NC',
           'confidence', 0.9, 'readerId', 'reader-1', 'hotList', 'stolen', 'hotListEntry', null,
           'reason', 'stolen vehicle'),
         false, false, false,
         case when $6 then r end, case when $6 then 'analyst' end
       from generate_series($3::int, $3::int + $4::int - 1) g,
         lateral (select now() - make_interval(days => $5::int)
                    - (random() * $7::int * interval '1 day') + g * interval '0 s' as r) t`,
      [tag, integrationId, offset, count, opts.fromDays, opts.worked, opts.spanDays],
    );
  }
}
