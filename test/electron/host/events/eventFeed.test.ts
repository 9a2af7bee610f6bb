import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../../../shared/api/events';
import type { FeedState } from '../../../../shared/api/views';
import { EventFeed } from '../../../../electron/host/events/eventFeed';
import { BackendSession } from '../../../../electron/host/session/backendSession';
import { MemorySecretStore } from '../../../../electron/host/session/secretStore';
import { ServerHttp } from '../../../../electron/host/serverLink/serverHttp';
import { makeSelfSignedCert } from '../../../../electron/host/gateway/selfSignedCert';
import { startLiveServer, until, type LiveServer } from '../support/liveServer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server.close();
});

describe('EventFeed', () => {
  it('resumes after the server restarts with no gap and no duplicate', async () => {
    const user = await server.user('analyst');
    const http = new ServerHttp({ baseUrl: server.url, timeoutMs: 3_000 });
    cleanups.push(() => http.close());
    const session = new BackendSession({
      server: http,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    await session.signIn(await server.signInArgs(user));

    const history = await server.emit(3, 'history');
    const events: ServerEvent[] = [];
    const states: FeedState['status'][] = [];
    const feed = new EventFeed({
      server: http,
      bearer: () => session.bearer(),
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s.status),
      clock: server.clock,
      backoff: { baseMs: 500, maxMs: 2_000 },
    });
    cleanups.push(() => feed.stop());
    // Without a starting id the feed begins at the server's newest event: no history replay.
    await feed.start();
    await until(() => feed.state.status === 'live', 'the feed to go live');
    expect(feed.lastEventId).toBe(history[2]);

    const before = await server.emit(5, 'before');
    await until(() => events.length >= 5, 'events before the restart');

    await server.stop();
    await until(() => feed.state.status === 'reconnecting', 'the feed to notice');
    await server.start();
    const whileAway = await server.emit(4, 'while-away');
    // The retry waits for its backoff: nothing reconnects before the clock says so.
    await feed.tick();
    expect(feed.state.status).toBe('reconnecting');
    server.clock.advance(500);
    await feed.tick();
    await until(() => feed.state.status === 'live', 'the feed to resume');
    const after = await server.emit(3, 'after');
    await until(() => events.length >= 12, 'every event');

    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...before, ...whileAway, ...after]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(states).toContain('reconnecting');
  });

  it('starts again from the newest event when the server has nothing as new as its position', async () => {
    const user = await server.user('analyst');
    const http = new ServerHttp({ baseUrl: server.url, timeoutMs: 3_000 });
    cleanups.push(() => http.close());
    const session = new BackendSession({
      server: http,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    await session.signIn(await server.signInArgs(user));
    const [newest] = (await server.emit(1, 'newest')).slice(-1);
    const events: ServerEvent[] = [];
    const feed = new EventFeed({
      server: http,
      bearer: () => session.bearer(),
      onEvent: (e) => events.push(e),
      clock: server.clock,
      backoff: { baseMs: 500, maxMs: 2_000 },
    });
    cleanups.push(() => feed.stop());
    // A position kept from another database: far beyond anything this server has.
    await feed.start(newest! + 1_000);
    await until(() => feed.state.status === 'reconnecting', 'the refusal');
    server.clock.advance(500);
    await feed.tick();
    await until(() => feed.state.status === 'live', 'the feed to go live from the newest');
    expect(feed.lastEventId).toBe(newest);
    const next = await server.emit(2, 'next');
    await until(() => events.length >= 2, 'the next events');
    expect(events.map((e) => e.id)).toEqual(next);
  });

  it('waits for a session before it connects, and stops cleanly', async () => {
    const http = new ServerHttp({ baseUrl: server.url, timeoutMs: 3_000 });
    cleanups.push(() => http.close());
    const session = new BackendSession({
      server: http,
      store: new MemorySecretStore(),
      clock: server.clock,
    });
    const feed = new EventFeed({
      server: http,
      bearer: () => session.bearer(),
      onEvent: () => undefined,
      clock: server.clock,
    });
    await feed.start(0);
    expect(feed.state.status).toBe('reconnecting');
    feed.stop();
    expect(feed.state.status).toBe('idle');
    server.clock.advance(120_000);
    await feed.tick();
    expect(feed.state.status).toBe('idle');
  });

  it('pins the event stream to the server certificate like every request', async () => {
    const cert = makeSelfSignedCert();
    const tls = await startLiveServer({ https: { key: cert.keyPem, cert: cert.certPem } });
    cleanups.push(() => tls.close());
    const user = await tls.user('analyst');
    const http = new ServerHttp({ baseUrl: tls.url, certSha256: cert.fingerprint256 });
    cleanups.push(() => http.close());
    const session = new BackendSession({
      server: http,
      store: new MemorySecretStore(),
      clock: tls.clock,
    });
    await session.signIn(await tls.signInArgs(user));
    const token = await session.bearer();

    const events: ServerEvent[] = [];
    const pinned = new EventFeed({
      server: http,
      bearer: async () => token,
      onEvent: (e) => events.push(e),
      clock: tls.clock,
    });
    cleanups.push(() => pinned.stop());
    await pinned.start();
    await until(() => pinned.state.status === 'live', 'the pinned feed');
    const ids = await tls.emit(2, 'pinned');
    await until(() => events.length === 2, 'pinned events');
    expect(events.map((e) => e.id)).toEqual(ids);

    // The same server behind a different pin: the stream never opens.
    const other = new ServerHttp({
      baseUrl: tls.url,
      certSha256: makeSelfSignedCert().fingerprint256,
    });
    cleanups.push(() => other.close());
    const refused = new EventFeed({
      server: other,
      bearer: async () => token,
      onEvent: (e) => events.push(e),
      clock: tls.clock,
    });
    cleanups.push(() => refused.stop());
    await refused.start(0);
    await until(() => refused.state.status === 'reconnecting', 'the refused feed');
    expect(refused.state.status).toBe('reconnecting');
    await tls.emit(1, 'after');
    await until(() => events.length === 3, 'the pinned feed to get the next event');
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(3);
  });
});
