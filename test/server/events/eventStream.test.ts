import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../../../server/app';
import { readServerConfig } from '../../../server/config';
import { systemClock } from '../../../shared/time/clock';
import type { Store } from '../../../server/store/store';
import { STORE_KINDS, openTestStore, type TestStore } from '../../support/stores';
import { startTestApp } from '../../support/testApp';
import { createUser } from '../../../server/users/userChanges';
import { EventClient } from '../../support/eventClient';

async function emit(app: App, n: number, tag: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const { eventId } = await app.ctx.record({
      audit: { actorId: null, actorName: 'test', action: 'test.emit', outcome: 'success' },
      event: { type: 'cameras.imported', payload: { source: tag, created: i, rejected: 0 } },
    });
    ids.push(eventId!);
  }
  return ids;
}

async function listen(app: App): Promise<string> {
  await app.api.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.api.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/** A user with a session and token on a server built by hand (no test app around it). */
async function signInDirectly(app: App, store: Store): Promise<{ token: string }> {
  const u = await createUser(app.ctx, {
    username: 'watcher',
    role: 'analyst',
    password: 'a long enough password',
  });
  const sessionId = 'session-restart-test';
  const at = new Date().toISOString();
  await store.query(
    `insert into sessions (id, user_id, created_at, last_seen_at, scope)
     values ($1, $2, $3, $3, 'full')`,
    [sessionId, u.id, at],
  );
  return app.ctx.tokens.issue({ userId: u.id, username: u.username, role: u.role, sessionId });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe.each(STORE_KINDS)('event stream on %s', (kind) => {
  it('pages through events with ?after', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const analyst = await t.user('analyst');
    const ids = await emit(t.app, 5, 'page');
    const res = await t.as(analyst, 'GET', `/v1/events?after=${ids[1]}&limit=2`);
    expect(res.statusCode).toBe(200);
    expect(res.json().events.map((e: { id: number }) => e.id)).toEqual([ids[2], ids[3]]);
    expect(res.json().lastId).toBe(ids[3]);
    const bad = await t.as(analyst, 'GET', '/v1/events?after=-4');
    expect(bad.statusCode).toBe(400);
  });

  it('replays what the client missed, then streams live, with no gap and no duplicate', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const analyst = await t.user('analyst');
    const base = await listen(t.app);
    const before = await emit(t.app, 3, 'before');
    const client = await EventClient.connect(base, analyst.token, before[0]!);
    cleanups.push(async () => client.close());
    await client.until(() => client.live, 'live marker');
    // Commits racing with each other while the client is live.
    const during = (
      await Promise.all([emit(t.app, 20, 'a'), emit(t.app, 20, 'b'), emit(t.app, 20, 'c')])
    ).flat();
    const expected = [...before.slice(1), ...during].sort((a, b) => a - b);
    await client.until(
      () => client.events.filter((e) => e.type === 'cameras.imported').length >= expected.length,
      'all events',
    );
    const got = client.events.filter((e) => e.type === 'cameras.imported').map((e) => e.id);
    expect(got).toEqual(expected);
    const all = client.events.map((e) => e.id);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
  });

  it('refuses a cursor beyond the newest event, on the page route and the stream', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const analyst = await t.user('analyst');
    const base = await listen(t.app);
    const ids = await emit(t.app, 2, 'head');
    const newest = ids[1]!;

    const page = await t.as(analyst, 'GET', `/v1/events?after=${newest + 5}`);
    expect(page.statusCode).toBe(400);
    expect(page.json()).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'after_beyond_newest',
      issues: [{ path: 'querystring.after' }],
    });
    expect(page.json().message).toContain(`beyond the newest event (${newest})`);
    await expect(EventClient.connect(base, analyst.token, newest + 1)).rejects.toThrow(/HTTP 400/);

    // The newest id itself is a valid place to resume from.
    expect((await t.as(analyst, 'GET', `/v1/events?after=${newest}`)).json().events).toEqual([]);
    const atHead = await EventClient.connect(base, analyst.token, newest);
    cleanups.push(async () => atHead.close());
    await atHead.until(() => atHead.live, 'live at the head');
    const [later] = await emit(t.app, 1, 'after-head');
    await atHead.until(() => atHead.events.some((e) => e.id === later), 'the next event');
  });

  it('refuses a stream without a valid token', async () => {
    const t = await startTestApp(kind);
    cleanups.push(() => t.close());
    const base = await listen(t.app);
    await expect(EventClient.connect(base, 'not-a-token-at-all', 0)).rejects.toThrow(/401/);
  });
});

describe.each(STORE_KINDS)('event stream across a server restart on %s', (kind) => {
  it('a client that resumes by its last id misses nothing and sees nothing twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wf-events-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const testStore: TestStore = await openTestStore(kind, { dataDir });
    const config = readServerConfig({});
    const start = async (store: Store) =>
      buildApp({ store, clock: systemClock, config, logger: pino({ level: 'silent' }) });

    // First life of the server.
    let store = testStore.store;
    let app = await start(store);
    const watcher = await signInDirectly(app, store);
    let base = await listen(app);
    const first = await emit(app, 5, 'first-life');
    const client = await EventClient.connect(base, watcher.token, 0);
    await client.until(() => client.events.some((e) => e.id === first[4]), 'first life events');
    const seenBefore = client.lastId;
    client.close();
    await app.close();
    if (kind === 'pglite') {
      await store.close();
      store = await testStore.reopen();
    }

    // Second life: events are committed before the client comes back.
    app = await start(store);
    cleanups.push(async () => {
      await app.close();
      await store.close().catch(() => undefined);
      await testStore.dispose();
    });
    base = await listen(app);
    const missed = await emit(app, 4, 'while-away');
    const resumed = await EventClient.connect(base, watcher.token, seenBefore);
    cleanups.push(async () => resumed.close());
    await resumed.until(() => resumed.live, 'live marker after resume');
    const later = await emit(app, 3, 'after-resume');
    await resumed.until(() => resumed.events.some((e) => e.id === later[2]), 'later events');
    const tagged = resumed.events.filter((e) => e.type === 'cameras.imported').map((e) => e.id);
    expect(tagged).toEqual([...missed, ...later]);
    expect(resumed.events.every((e) => e.id > seenBefore)).toBe(true);
  });
});

if (STORE_KINDS.includes('postgres')) {
  describe('two server instances on one PostgreSQL', () => {
    it('a commit on one instance reaches a client of the other (LISTEN/NOTIFY)', async () => {
      const a = await startTestApp('postgres');
      cleanups.push(() => a.close());
      const otherStore = await a.store.reopen();
      const b = await buildApp({
        store: otherStore,
        clock: a.clock,
        config: readServerConfig({}),
        logger: pino({ level: 'silent' }),
      });
      cleanups.push(() => b.close());
      const analyst = await a.user('analyst');
      const baseB = await listen(b);
      const client = await EventClient.connect(baseB, analyst.token, 0);
      cleanups.push(async () => client.close());
      await client.until(() => client.live, 'live');
      const ids = await emit(a.app, 3, 'from-a');
      await client.until(() => client.events.some((e) => e.id === ids[2]), 'events from A', 5000);
      expect(client.events.filter((e) => e.type === 'cameras.imported').map((e) => e.id)).toEqual(
        ids,
      );
    });
  });
}
