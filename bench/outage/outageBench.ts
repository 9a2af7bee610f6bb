import { startSession } from '../../server/auth/sessions';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { buildApp, type App } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { systemClock } from '../../shared/time/clock';
import { openStore } from '../../server/store/openStore';
import { openPostgresStore } from '../../server/store/postgresStore';
import type { Store } from '../../server/store/store';
import { recordChange } from '../../server/events/recordChange';
import type { TaskReport } from '../../server/runtime/taskSupervisor';
import { createUser } from '../../server/users/userChanges';
import { createOwnDatabase } from '../../test/support/ownDatabase';
import { EventClient } from '../../test/support/eventClient';
import { BENCH_DATABASE_URL, postgresReachable } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';

/**
 * What a database outage costs a running server, with production timing (decision 0018):
 * - the database is taken away for `--seconds` with `--streams` consoles connected: requests
 *   answered meanwhile and how (503 expected), streams dropped (0 expected), and once it is given
 *   back, how long until the first request is served and until every stream has an event
 *   committed by another instance;
 * - the LISTEN connection cut `--drops` times: how long until another instance's event reaches a
 *   connected stream (target: within a second).
 * Runs on a PostgreSQL database of its own, dropped at the end.
 */
export async function runOutageBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '60' },
      streams: { type: 'string', default: '20' },
      drops: { type: 'string', default: '10' },
    },
  });
  if (!(await postgresReachable())) {
    process.stdout.write('PostgreSQL not reachable: nothing to measure\n');
    return;
  }
  const seconds = Number(values.seconds);
  const streamCount = Number(values.streams);
  const drops = Number(values.drops);

  const db = await createOwnDatabase('wf_bench_outage', BENCH_DATABASE_URL);
  const store = await openStore({ databaseUrl: db.url });
  const other = await openPostgresStore(db.url, { poolSize: 2 });
  const app = await buildApp({
    store,
    clock: systemClock,
    config: readServerConfig({}),
    logger: pino({ level: 'silent' }),
  });
  const streams: EventClient[] = [];
  try {
    const base = await listen(app);
    const token = await signIn(app, store);
    for (let i = 0; i < streamCount; i++) streams.push(await EventClient.connect(base, token, 0));
    await Promise.all(streams.map((s) => s.until(() => s.live, 'live')));

    // The outage.
    const statuses = new Map<number, number>();
    await db.takeAway();
    const outageEnds = performance.now() + seconds * 1_000;
    while (performance.now() < outageEnds) {
      const res = await fetch(`${base}/v1/health`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 200));
    }
    const listening = report(app, 'recovered', 'events.listen');
    const back = performance.now();
    await db.giveBack();
    let firstServedMs = Number.NaN;
    for (let i = 0; i < 600; i++) {
      const res = await fetch(`${base}/v1/health`);
      await res.arrayBuffer();
      if (res.status === 200) {
        firstServedMs = performance.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const eventId = await emitOn(other);
    await Promise.all(
      streams.map((s) => s.until(() => s.events.some((e) => e.id === eventId), 'event', 120_000)),
    );
    const allStreamsMs = performance.now() - back;
    await listening;
    const dropped = streams.filter((s) => s.closedWith !== null).length;

    // The LISTEN connection cut while the database stays up.
    const watcher = streams[0]!;
    const delivery: number[] = [];
    for (let i = 0; i < drops; i++) {
      const lost = report(app, 'failed', 'events.listen');
      const back = report(app, 'recovered', 'events.listen');
      await db.terminateListeners();
      await lost;
      const start = performance.now();
      const id = await emitOn(other);
      await watcher.until(() => watcher.events.some((e) => e.id === id), 'event', 30_000);
      delivery.push(performance.now() - start);
      await back;
    }

    const rows = [
      {
        outageSeconds: seconds,
        streams: streamCount,
        answeredDuringOutage: [...statuses].map(([s, n]) => `${n}x${s}`).join(' '),
        streamsDropped: dropped,
        firstServedMs: round(firstServedMs, 0),
        everyStreamHasEventMs: round(allStreamsMs, 0),
      },
    ];
    printTable('database outage (production timing)', rows);
    const listenRows = [
      {
        drops,
        p50DeliveryMs: round(percentile(delivery, 50), 0),
        p95DeliveryMs: round(percentile(delivery, 95), 0),
        maxDeliveryMs: round(Math.max(...delivery), 0),
      },
    ];
    printTable("LISTEN cut: another instance's event to a connected stream", listenRows);
    writeResult('outage', {
      target: { answeredDuringOutage: '503 only', streamsDropped: 0, listenDeliveryMs: 1_000 },
      outage: rows[0],
      listen: listenRows[0],
    });
  } finally {
    for (const s of streams) s.close();
    await app.close();
    await store.close().catch(() => undefined);
    await other.close().catch(() => undefined);
    await db.drop();
  }
}

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

async function signIn(app: App, store: Store): Promise<string> {
  const u = await createUser(app.ctx, {
    username: 'watching',
    role: 'analyst',
    password: 'a long enough password',
  });
  return (await startSession(store, app.ctx.tokens, u, new Date(), 'full')).accessToken;
}

function report(app: App, kind: 'failed' | 'recovered', name: string): Promise<TaskReport> {
  return new Promise((resolve) => {
    const on = (r: TaskReport) => {
      if (r.name !== name) return;
      app.ctx.tasks.off(kind, on);
      resolve(r);
    };
    app.ctx.tasks.on(kind, on);
  });
}

async function emitOn(store: Store): Promise<number> {
  const { eventId } = await recordChange(store, systemClock, {
    audit: { actorId: null, actorName: 'bench', action: 'bench.emit', outcome: 'success' },
    event: { type: 'cameras.imported', payload: { source: 'bench', created: 0, rejected: 0 } },
  });
  return eventId!;
}
