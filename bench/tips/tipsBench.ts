import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp, type App } from '../../server/app';
import { readServerConfig } from '../../server/config';
import { startSession } from '../../server/auth/sessions';
import { systemClock } from '../../shared/time/clock';
import type { StoreKind } from '../../server/store/store';
import { createUser } from '../../server/users/userChanges';
import { twilioSid } from '../../server/demo/twilioDouble';
import type { LoadJob, LoadResult } from './tipsLoad';
import { openBenchStore, benchStoreKinds } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';

/**
 * The tip line under load (docs/tip-line.md): signed Twilio webhooks posted over HTTP to the real
 * server, each one filed (tip, audit row, event) before it is acknowledged, and a console's event
 * stream that receives `tip.received`. Two measures:
 *
 * - delivery: webhooks at a calm rate; from the acknowledgement (and from the request) to the
 *   tip being visible to the connected console, p50/p95;
 * - surge: open-loop phases at rising rates; acknowledged per second, 5xx and errors, answer
 *   p95, delivery p95, and tips lost (acknowledged but not stored once, or never delivered).
 *
 * Target: >= 500 tips/s on PostgreSQL with p95 <= 100 ms and nothing lost; on PGlite, the rate
 * that holds delivery p95 <= 1 s. The load generator runs on the same two cores as the server.
 */
export async function runTipsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '4' },
      rates: { type: 'string', default: '100,250,500,750' },
      calm: { type: 'string', default: '200' },
      store: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const rates = values.rates.split(',').map(Number);
  const calm = Number(values.calm);
  const kinds = values.store ? [values.store as StoreKind] : await benchStoreKinds();

  const delivery = [];
  const surge = [];
  for (const kind of kinds) {
    const r = await benchOne(kind, { seconds, rates, calm });
    delivery.push(r.delivery);
    surge.push(...r.surge);
  }
  printTable(`tips: delivery to a connected console (${calm} webhooks at 20/s)`, delivery);
  printTable(`tips: surge of signed webhooks, ${seconds} s per rate`, surge);
  writeResult('tips', {
    seconds,
    rates,
    target: { tipsPerSecondPostgres: 500, p95Ms: 100, pgliteDeliveryP95Ms: 1000 },
    delivery,
    surge,
  });
}

const ACCOUNT = twilioSid('AC');
const TOKEN = randomBytes(16).toString('hex');

interface Harness {
  readonly app: App;
  readonly base: string;
  readonly deliveredAt: Map<string, number>;
  close(): Promise<void>;
}

async function startHarness(kind: StoreKind): Promise<Harness> {
  const { store, dispose } = await openBenchStore(kind);
  const config = readServerConfig({});
  // The port is known only after listening: the public URL the signatures cover is set then.
  const provider = {
    accountSid: ACCOUNT,
    authToken: TOKEN,
    publicUrl: '',
    apiUrl: 'http://127.0.0.1:9',
    from: '+13365550100',
    messagingServiceSid: undefined,
  };
  const app = await buildApp({
    store,
    clock: systemClock,
    config: { ...config, smsProvider: provider, tipKey: randomBytes(32).toString('hex') },
    logger: pino({ level: 'silent' }),
  });
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const base = `http://127.0.0.1:${addr.port}`;
  (provider as { publicUrl: string }).publicUrl = base;

  const user = await createUser(app.ctx, {
    username: 'bench',
    role: 'analyst',
    password: 'quiet lanterns over the harbor',
  });
  const { accessToken } = await startSession(store, app.ctx.tokens, user, new Date(), 'full');
  const deliveredAt = new Map<string, number>();
  let live = false;
  const ws = new WebSocket(`ws://127.0.0.1:${addr.port}/v1/events/stream?after=0`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  ws.on('message', (data) => {
    const now = performance.timeOrigin + performance.now();
    const msg = JSON.parse(String(data)) as {
      kind: string;
      event?: { type: string; payload: { tipId: string } };
    };
    if (msg.kind === 'live') live = true;
    if (msg.kind === 'event' && msg.event?.type === 'tip.received') {
      deliveredAt.set(msg.event.payload.tipId, now);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  while (!live) await new Promise((r) => setTimeout(r, 10));
  return {
    app,
    base,
    deliveredAt,
    async close() {
      ws.close();
      await app.close();
      await dispose();
    },
  };
}

const LOAD_SCRIPT = fileURLToPath(new URL('./tipsLoad.ts', import.meta.url));

/** Runs one phase of webhooks from a separate process (the provider's side). */
function load(job: LoadJob): Promise<LoadResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as LoadResult[])
        : reject(new Error(`load exited ${code}`)),
    );
  });
}

async function tipIds(app: App, sids: readonly string[]): Promise<Map<string, string[]>> {
  const res = await app.ctx.store.query<{ message_sid: string; id: string }>(
    'select message_sid, id from tips where message_sid = any($1::text[])',
    [sids],
  );
  const map = new Map<string, string[]>();
  for (const r of res.rows) map.set(r.message_sid, [...(map.get(r.message_sid) ?? []), r.id]);
  return map;
}

async function waitForDelivery(h: Harness, ids: readonly string[], ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (ids.some((id) => !h.deliveredAt.has(id)) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function benchOne(
  kind: StoreKind,
  opts: { seconds: number; rates: readonly number[]; calm: number },
) {
  const h = await startHarness(kind);
  let n = 0;
  const job = (rate: number, count: number): LoadJob => {
    const j = { base: h.base, accountSid: ACCOUNT, authToken: TOKEN, rate, count, firstIndex: n };
    n += count;
    return j;
  };
  try {
    // Delivery at a calm rate: 20 webhooks a second.
    const calm = await load(job(20, opts.calm));
    const calmIds = await tipIds(
      h.app,
      calm.map((p) => p.sid),
    );
    const ids = calm.map((p) => calmIds.get(p.sid)?.[0]).filter((x): x is string => !!x);
    await waitForDelivery(h, ids, 10_000);
    const fromAck: number[] = [];
    const fromRequest: number[] = [];
    for (const p of calm) {
      const at = h.deliveredAt.get(calmIds.get(p.sid)?.[0] ?? '');
      if (at === undefined) continue;
      fromAck.push(Math.max(0, at - p.answeredAt));
      fromRequest.push(at - p.sentAt);
    }
    const delivery = {
      store: kind,
      webhooks: calm.length,
      acknowledged: calm.filter((p) => p.status === 200).length,
      delivered: fromRequest.length,
      'ack→console p50 ms': round(percentile(fromAck, 50), 1),
      'ack→console p95 ms': round(percentile(fromAck, 95), 1),
      'request→console p50 ms': round(percentile(fromRequest, 50), 1),
      'request→console p95 ms': round(percentile(fromRequest, 95), 1),
    };

    const surge = [];
    for (const rate of opts.rates) {
      const posted = await load(job(rate, rate * opts.seconds));
      const first = Math.min(...posted.map((p) => p.sentAt));
      const last = Math.max(...posted.map((p) => p.answeredAt));
      const elapsed = (last - first) / 1000;
      const ok = posted.filter((p) => p.status === 200);
      const stored = await tipIds(
        h.app,
        posted.map((p) => p.sid),
      );
      const okIds = ok.map((p) => stored.get(p.sid)?.[0]).filter((x): x is string => !!x);
      await waitForDelivery(h, okIds, 15_000);
      const deliveryMs = ok
        .map((p) => {
          const at = h.deliveredAt.get(stored.get(p.sid)?.[0] ?? '');
          return at === undefined ? null : at - p.sentAt;
        })
        .filter((x): x is number => x !== null);
      const lost =
        ok.filter((p) => (stored.get(p.sid)?.length ?? 0) !== 1).length +
        ok.length -
        deliveryMs.length;
      surge.push({
        store: kind,
        'offered/s': rate,
        sent: posted.length,
        'acked/s': round(ok.length / elapsed, 0),
        '5xx': posted.filter((p) => p.status >= 500).length,
        errors: posted.filter((p) => p.status === 0).length,
        'answer p50 ms': round(
          percentile(
            ok.map((p) => p.answeredAt - p.sentAt),
            50,
          ),
          1,
        ),
        'answer p95 ms': round(
          percentile(
            ok.map((p) => p.answeredAt - p.sentAt),
            95,
          ),
          1,
        ),
        'delivery p95 ms': round(percentile(deliveryMs, 95), 1),
        lost,
      });
    }
    return { delivery, surge };
  } finally {
    await h.close();
  }
}
