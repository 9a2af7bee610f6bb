import { startSession } from '../../server/auth/sessions';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { buildApp } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { systemClock } from '../../shared/time/clock';
import type { StoreKind } from '../../server/store/store';
import { createUser } from '../../server/users/userChanges';
import { openBenchStore, benchStoreKinds } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';

/**
 * A guessing flood against POST /v1/auth/login (many workers, wrong passwords for one account)
 * while a signed-in user keeps calling GET /v1/auth/me: what the flood costs everyone else, and
 * how many audit rows it writes. Loopback only, bounded by time and by count.
 */
export async function runSignInFloodBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      workers: { type: 'string', default: '16' },
    },
  });
  const seconds = Number(values.seconds);
  const workers = Number(values.workers);
  const kinds = await benchStoreKinds();
  const rows = [];
  for (const kind of kinds) rows.push(await benchOne(kind, seconds, workers));
  printTable(`sign-in flood: ${workers} workers for ${seconds} s`, rows);
  writeResult('sign-in-flood', { seconds, workers, rows });
}

async function meLatencies(base: string, token: string, until: number): Promise<number[]> {
  const out: number[] = [];
  // At most one request per 5 ms, and never past the deadline.
  for (let i = 0; i < 100_000 && performance.now() < until; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  }
  return out;
}

async function benchOne(kind: StoreKind, seconds: number, workers: number) {
  const { store, dispose } = await openBenchStore(kind);
  const app = await buildApp({
    store,
    clock: systemClock,
    config: readServerConfig({}),
    logger: pino({ level: 'silent' }),
  });
  try {
    await createUser(app.ctx, {
      username: 'target',
      role: 'admin',
      password: 'granite owl at midnight',
    });
    const watcher = await createUser(app.ctx, {
      username: 'watcher',
      role: 'analyst',
      password: 'copper fern by the river',
    });
    const { accessToken: token } = await startSession(
      store,
      app.ctx.tokens,
      watcher,
      new Date(),
      'full',
    );
    await app.api.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.api.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const base = `http://127.0.0.1:${addr.port}`;

    const idle = await meLatencies(base, token, performance.now() + 3_000);
    const auditBefore = Number(
      (await store.query<{ n: string }>('select count(*) as n from audit_log')).rows[0]!.n,
    );

    const statuses = new Map<number, number>();
    const deadline = performance.now() + seconds * 1000;
    const flood = Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < 10_000 && performance.now() < deadline; i += 1) {
        const res = await fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'target', password: `guess ${w}-${i} is wrong` }),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    });
    const [loaded] = await Promise.all([meLatencies(base, token, deadline), ...flood]);
    const auditDuring =
      Number((await store.query<{ n: string }>('select count(*) as n from audit_log')).rows[0]!.n) -
      auditBefore;
    await app.signInThrottle.flush(true);
    const throttledRows = await store.query<{ details: { refused: number } }>(
      "select details from audit_log where action = 'auth.login_throttled'",
    );
    const attempts = [...statuses.values()].reduce((a, b) => a + b, 0);
    return {
      store: kind,
      attempts,
      status401: statuses.get(401) ?? 0,
      status429: statuses.get(429) ?? 0,
      auditRowsDuringFlood: auditDuring,
      throttledRows: throttledRows.rowCount,
      refusedCounted: throttledRows.rows.reduce((n, r) => n + r.details.refused, 0),
      meIdleP50Ms: round(percentile(idle, 50), 1),
      meIdleP95Ms: round(percentile(idle, 95), 1),
      meFloodP50Ms: round(percentile(loaded, 50), 1),
      meFloodP95Ms: round(percentile(loaded, 95), 1),
    };
  } finally {
    await app.close();
    await dispose();
  }
}
