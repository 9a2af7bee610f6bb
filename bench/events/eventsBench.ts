import { startSession } from '../../server/auth/sessions';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { systemClock } from '../../shared/time/clock';
import type { StoreKind } from '../../server/store/store';
import { createUser } from '../../server/users/userChanges';
import { openBenchStore, benchStoreKinds } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';

/**
 * Events committed per second (each with its audit row, through the real transaction path) and
 * delivered to a WebSocket client of /v1/events/stream, with commit-to-delivery latency.
 * Target (docs/architecture.md): >= 500 events/s sustained with p95 delivery <= 100 ms on PostgreSQL.
 */
export async function runEventsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const kinds = await benchStoreKinds();

  const rows = [];
  for (const kind of kinds) rows.push(await benchOne(kind, seconds, concurrency));
  printTable(`events: ${seconds} s per store, ${concurrency} concurrent writers`, rows);
  writeResult('events', {
    seconds,
    concurrency,
    target: { eventsPerSecond: 500, p95DeliveryMs: 100 },
    rows,
  });
}

async function benchOne(kind: StoreKind, seconds: number, concurrency: number) {
  const { store, dispose } = await openBenchStore(kind);
  const app = await buildApp({
    store,
    clock: systemClock,
    config: readServerConfig({}),
    logger: pino({ level: 'silent' }),
  });
  try {
    const user = await createUser(app.ctx, {
      username: 'bench',
      role: 'analyst',
      password: 'quiet lanterns over the harbor',
    });
    const { accessToken: token } = await startSession(
      store,
      app.ctx.tokens,
      user,
      new Date(),
      'full',
    );
    await app.api.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.api.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');

    const committedAt = new Map<number, number>();
    const latencies: number[] = [];
    let delivered = 0;
    let live = false;
    const ws = new WebSocket(`ws://127.0.0.1:${addr.port}/v1/events/stream?after=0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    ws.on('message', (data) => {
      const now = performance.now();
      const msg = JSON.parse(String(data)) as {
        kind: string;
        event?: { id: number; type: string };
      };
      if (msg.kind === 'live') live = true;
      if (msg.kind !== 'event' || msg.event?.type !== 'cameras.imported') return;
      delivered += 1;
      const t0 = committedAt.get(msg.event.id);
      if (t0 !== undefined) latencies.push(now - t0);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    while (!live) await new Promise((r) => setTimeout(r, 10));

    let committed = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    const writer = async () => {
      while (performance.now() < end) {
        const { eventId } = await app.ctx.record({
          audit: { actorId: user.id, actorName: 'bench', action: 'bench.tick', outcome: 'success' },
          event: {
            type: 'cameras.imported',
            payload: { source: 'bench', created: committed, rejected: 0 },
          },
        });
        committedAt.set(eventId!, performance.now());
        committed += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, writer));
    const elapsed = (performance.now() - start) / 1000;
    const drainDeadline = performance.now() + 10_000;
    while (delivered < committed && performance.now() < drainDeadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const deliveredElapsed = (performance.now() - start) / 1000;
    ws.close();
    return {
      store: kind,
      committed,
      delivered,
      'committed/s': round(committed / elapsed, 0),
      'delivered/s': round(delivered / deliveredElapsed, 0),
      'p50 ms': round(percentile(latencies, 50), 1),
      'p95 ms': round(percentile(latencies, 95), 1),
      'p99 ms': round(percentile(latencies, 99), 1),
      lost: committed - delivered,
    };
  } finally {
    await app.close();
    await dispose();
  }
}
