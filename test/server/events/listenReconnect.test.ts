import { startSession } from '../../../server/auth/sessions';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { systemClock } from '../../../shared/time/clock';
import { openStore } from '../../../server/store/openStore';
import { openPostgresStore } from '../../../server/store/postgresStore';
import { recordChange } from '../../../server/events/recordChange';
import type { TaskReport } from '../../../server/runtime/taskSupervisor';
import { createUser } from '../../../server/users/userChanges';
import { TEST_DATABASE_URL } from '../../support/stores';
import { createOwnDatabase } from '../../support/ownDatabase';
import { EventClient } from '../../support/eventClient';

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

// Cutting a backend needs a PostgreSQL server; the database is the test's own.
describe.runIf(TEST_DATABASE_URL)('the LISTEN connection drops (PostgreSQL)', () => {
  it("another instance's event still reaches a connected stream within a second", async () => {
    const db = await createOwnDatabase('wf_listen');
    cleanups.push(() => db.drop());
    const store = await openStore({ databaseUrl: db.url });
    const other = await openPostgresStore(db.url, { poolSize: 2 });
    cleanups.push(() => other.close());
    // Production timing: the point is that the defaults recover in time.
    const app = await buildApp({
      store,
      clock: systemClock,
      config: readServerConfig({}),
      logger: pino({ level: 'silent' }),
    });
    cleanups.push(async () => {
      await app.close();
      await store.close();
    });
    const base = await listen(app);
    const user = await createUser(app.ctx, {
      username: 'watching',
      role: 'analyst',
      password: 'a long enough password',
    });
    const { accessToken: token } = await startSession(
      store,
      app.ctx.tokens,
      user,
      new Date(),
      'full',
    );
    const stream = await EventClient.connect(base, token, 0);
    cleanups.push(async () => stream.close());
    await stream.until(() => stream.live, 'live');

    const lost = new Promise<TaskReport>((resolve) => {
      const onFailed = (r: TaskReport) => {
        if (r.name !== 'events.listen') return;
        app.ctx.tasks.off('failed', onFailed);
        resolve(r);
      };
      app.ctx.tasks.on('failed', onFailed);
    });
    expect(await db.terminateListeners()).toBe(1);
    await lost;

    // Committed by the other instance while this one may not be listening yet: the table is read
    // from the stream's last id when listening resumes, so nothing is lost.
    const { eventId } = await recordChange(other, systemClock, {
      audit: { actorId: null, actorName: 'test', action: 'test.emit', outcome: 'success' },
      event: {
        type: 'cameras.imported',
        payload: { source: 'the other instance', created: 0, rejected: 0 },
      },
    });
    await stream.until(
      () => stream.events.some((e) => e.id === eventId),
      'the event from the other instance',
      1_000,
    );
    expect(stream.events.filter((e) => e.type === 'cameras.imported').map((e) => e.id)).toEqual([
      eventId,
    ]);
  }, 60_000);
});
