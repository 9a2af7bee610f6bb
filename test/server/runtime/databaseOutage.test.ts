import { startSession } from '../../../server/auth/sessions';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { systemClock } from '../../../shared/time/clock';
import { openStore } from '../../../server/store/openStore';
import { openPostgresStore } from '../../../server/store/postgresStore';
import type { Store } from '../../../server/store/store';
import { isStoreUnavailable } from '../../../server/store/storeUnavailable';
import { recordChange } from '../../../server/events/recordChange';
import { STREAM_RECHECK_TASK } from '../../../server/events/routes';
import { GRANT_SWEEP_TASK } from '../../../server/cameras/grantSweeper';
import type { TaskReport, TaskSupervisor } from '../../../server/runtime/taskSupervisor';
import { createUser } from '../../../server/users/userChanges';
import type { Role } from '../../../shared/domain/roles';
import { TEST_DATABASE_URL } from '../../support/stores';
import { createOwnDatabase } from '../../support/ownDatabase';
import { EventClient } from '../../support/eventClient';

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/** A user with a live session and an access token. */
async function signIn(app: App, store: Store, role: Role, username: string): Promise<string> {
  const u = await createUser(app.ctx, { username, role, password: 'a long enough password' });
  return (await startSession(store, app.ctx.tokens, u, new Date(), 'full')).accessToken;
}

/** Resolves when the named task reports a failure or a recovery; bounded. */
function report(
  tasks: TaskSupervisor,
  kind: 'failed' | 'recovered',
  name: string,
  timeoutMs = 20_000,
): Promise<TaskReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      tasks.off(kind, onReport);
      reject(new Error(`no ${kind} report from ${name}`));
    }, timeoutMs);
    const onReport = (r: TaskReport) => {
      if (r.name !== name) return;
      clearTimeout(timer);
      tasks.off(kind, onReport);
      resolve(r);
    };
    tasks.on(kind, onReport);
  });
}

async function emitOn(store: Store, tag: string): Promise<number> {
  const { eventId } = await recordChange(store, systemClock, {
    audit: { actorId: null, actorName: 'test', action: 'test.emit', outcome: 'success' },
    event: { type: 'cameras.imported', payload: { source: tag, created: 0, rejected: 0 } },
  });
  return eventId!;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

// Taking a database away needs a PostgreSQL server; the database is the test's own.
describe.runIf(TEST_DATABASE_URL)('the database goes away and comes back (PostgreSQL)', () => {
  it('the server stays up, answers 503 meanwhile, and serves and streams again by itself', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    cleanups.push(async () => void process.off('unhandledRejection', onRejection));

    const db = await createOwnDatabase('wf_outage');
    cleanups.push(() => db.drop());
    const store = await openStore({ databaseUrl: db.url });
    // Another server instance on the same database.
    const other = await openPostgresStore(db.url, { poolSize: 2 });
    cleanups.push(() => other.close());
    const app = await buildApp({
      store,
      clock: systemClock,
      config: readServerConfig({}),
      logger: pino({ level: 'silent' }),
      timing: { streamRecheckMs: 50, grantSweepMs: 50, retry: { baseMs: 50, maxMs: 500 } },
    });
    cleanups.push(async () => {
      await app.close();
      await store.close();
    });
    const base = await listen(app);
    const watching = await signIn(app, store, 'analyst', 'watching');
    // Signed in, then quiet: an idle session must survive the outage too.
    const idle = await signIn(app, store, 'supervisor', 'idle');
    const stream = await EventClient.connect(base, watching, 0);
    cleanups.push(async () => stream.close());
    await stream.until(() => stream.live, 'live before the outage');
    const tasks = app.ctx.tasks;

    // A transaction in progress holds a connection across the outage.
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((r) => (resume = r));
    const inFlight = store
      .transaction(async (tx) => {
        await tx.query('select 1');
        await paused;
        await tx.query('select 1');
      })
      .then(
        () => 'committed',
        (err: unknown) => (isStoreUnavailable(err) ? 'unavailable' : err),
      );

    const recheckFailed = report(tasks, 'failed', STREAM_RECHECK_TASK);
    const sweepFailed = report(tasks, 'failed', GRANT_SWEEP_TASK);
    const listenLost = report(tasks, 'failed', 'events.listen');
    await db.takeAway();
    await Promise.all([recheckFailed, sweepFailed, listenLost]);
    // Every recheck interval that passes meanwhile fails again, and is survived again.
    await report(tasks, 'failed', STREAM_RECHECK_TASK);

    resume();
    expect(await inFlight).toBe('unavailable');

    const health = await fetch(`${base}/v1/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    const body = (await health.json()) as { message: string };
    expect(body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'database_unavailable',
    });
    expect(body.message).toMatch(/database cannot be reached.*try again/);
    const read = await fetch(`${base}/v1/events?after=0`, {
      headers: { authorization: `Bearer ${idle}` },
    });
    expect(read.status).toBe(503);
    // A console that tries to open a stream now is told the same, before any upgrade.
    await expect(EventClient.connect(base, idle, 0)).rejects.toThrow(/HTTP 503/);
    expect(stream.closedWith).toBeNull();

    const listening = report(tasks, 'recovered', 'events.listen');
    await db.giveBack();
    // The first request after the database returns is served: the pool holds no dead connection.
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
    const me = await fetch(`${base}/v1/auth/me`, { headers: { authorization: `Bearer ${idle}` } });
    expect(me.status).toBe(200);

    // The stream that stayed open gets what this instance and another one commit now.
    const here = await emitOn(store, 'after-outage-here');
    await stream.until(() => stream.events.some((e) => e.id === here), 'an event from here');
    await listening;
    const there = await emitOn(other, 'after-outage-there');
    await stream.until(
      () => stream.events.some((e) => e.id === there),
      'an event from another instance',
    );
    const reopened = await EventClient.connect(base, idle, here);
    cleanups.push(async () => reopened.close());
    await reopened.until(() => reopened.events.some((e) => e.id === there), 'a new stream');
    // Its session, rechecked now that the database is back, is still fine.
    await tasks.runNow(STREAM_RECHECK_TASK);
    expect(tasks.count(STREAM_RECHECK_TASK)).toBe(2);
    expect(stream.closedWith).toBeNull();
    expect(rejections).toEqual([]);
  }, 120_000);
});
