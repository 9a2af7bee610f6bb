import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult, View, ViewUpdate } from '../../../../shared/api/views';
import type { ConsoleConnection } from '../../../../electron/host/console/consoleConnection';
import { ConsoleHost } from '../../../../electron/host/console/consoleHost';
import { StreamGateway } from '../../../../electron/host/gateway/index';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { MemorySecretStore } from '../../../../electron/host/session/secretStore';
import { relayOf } from '../../../../server/relay/relayRoutes';
import { startTestSimulator } from '../fixtures/harness';
import { startLiveServer, until, type LiveServer, type LiveUser } from '../support/liveServer';

/**
 * Video reaches a console only through the server's relay and only under a live grant and a live
 * session: a replay or a stream's media id opens nothing once the grant or the session is gone,
 * and a stream shared by two views keeps playing when one of them ends its grant.
 */

let server: LiveServer;
let gateway: StreamGateway;
let simulator: CameraSimulator;
let dir: string;
let admin: LiveUser;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startLiveServer();
  dir = await mkdtemp(join(tmpdir(), 'wf-media-binding-'));
  simulator = await startTestSimulator(dir);
  gateway = new StreamGateway({ dataDir: dir, lingerMs: 50 });
  admin = await server.user('admin');
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

afterAll(async () => {
  await gateway.close();
  await simulator.stop();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** As an administrator, signed in afresh. */
async function asAdmin(method: 'POST' | 'PATCH', url: string, payload: object) {
  return server.as(admin, method, url, payload);
}

async function liveCamera(name: string): Promise<string> {
  const camera = await asAdmin('POST', '/v1/cameras', {
    kind: 'integrated',
    name,
    lat: 36.0999,
    lng: -80.2442,
    source: {
      protocol: 'http-ts',
      url: simulator.urlFor(name, 'main'),
      substreamUrl: simulator.urlFor(name, 'sub'),
      username: 'installer',
      password: 'Not-For-Consoles-99',
    },
    sharing: { mode: 'always', recordings: true },
  });
  return camera.id as string;
}

async function signedInTab(): Promise<{
  host: ConsoleHost;
  tab: ConsoleConnection;
  updates: ViewUpdate[];
}> {
  const user = await server.user('analyst');
  const host = new ConsoleHost({
    serverUrl: server.url,
    secretStore: new MemorySecretStore(),
    gateway,
    shell: 'web',
    version: 'test',
    clock: server.clock,
  });
  cleanups.push(() => host.close({ signOut: true }));
  const updates: ViewUpdate[] = [];
  const tab = host.connect({
    window: 'console',
    mediaRoot: '/media/tab/',
    push: (name, payload) => {
      if (name === 'views') updates.push(payload as ViewUpdate);
    },
  });
  const signed = await tab.call('session.signIn', await server.signInArgs(user));
  expect(signed).toMatchObject({ ok: true, value: { kind: 'signed_in' } });
  await until(() => host.feed.state.status === 'live', 'the event feed');
  return { host, tab, updates };
}

async function playing(tab: ConsoleConnection, updates: ViewUpdate[], cameraId: string) {
  const outcome = await tab.call('views.open', {
    cameraId,
    reason: { code: 'active_incident', reference: 'INC-2026-77' },
    variant: 'sub',
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const view = (outcome.value as { view: View }).view;
  await until(
    () => updates.some((u) => u.viewId === view.viewId && u.state.kind === 'live'),
    'the tile to play',
    20_000,
  );
  return { view, mediaId: view.playlistUrl.split('/')[3]! };
}

async function replayOf(tab: ConsoleConnection, viewId: string): Promise<string> {
  let replay: ReplayResult | null = null;
  await until(
    async () => {
      const r = await tab.call('views.replay', { viewId, seconds: 5 });
      if (r.ok) replay = r.value as ReplayResult;
      return r.ok;
    },
    'a complete segment to replay',
    20_000,
  );
  const result = replay as ReplayResult | null;
  if (result?.kind !== 'replay') throw new Error('no replay');
  return result.playlistUrl.split('/')[3]!;
}

describe("a view's clip export feeds the case's evidence", () => {
  it("asks the owner's policy for recordings, then adds the MP4 to the case with its custody", async () => {
    const cameraId = await liveCamera('Clip corner');
    const { tab, updates } = await signedInTab();
    const { view } = await playing(tab, updates, cameraId);
    let exported: { kind: string; file?: { kind: string; sha256: string; source: string } } | null =
      null;
    await until(
      async () => {
        const r = await tab.call('views.exportClip', {
          viewId: view.viewId,
          seconds: 3,
          caseNumber: '2026-004999',
        });
        if (r.ok) exported = r.value as typeof exported;
        return r.ok;
      },
      'a complete segment to export',
      20_000,
    );
    const result = exported as unknown as {
      kind: string;
      file: { kind: string; sha256: string; source: string };
    };
    expect(result).toMatchObject({ kind: 'exported', file: { kind: 'clip', source: 'replay' } });
    const rows = await server.store.store.query<{ action: string; details: { sha256?: string } }>(
      "select action, details from evidence_custody where case_number = '2026-004999' order by seq",
    );
    expect(rows.rows.map((r) => r.action)).toEqual(['fetched', 'hashed']);
    expect(rows.rows[1]!.details.sha256).toBe(result.file.sha256);
    const grants = await server.store.store.query<{ details: { reason?: { reference?: string } } }>(
      "select details from audit_log where action = 'stream.grant' order by id desc limit 1",
    );
    expect(grants.rows[0]!.details.reason?.reference).toBe('2026-004999');
  });
});

describe('a still kept with the case', () => {
  it('keeps the newest frame, or the frame at a replay time, as a still of a clip of the case', async () => {
    const cameraId = await liveCamera('Still corner');
    const { tab, updates } = await signedInTab();
    const { view } = await playing(tab, updates, cameraId);
    type Kept = {
      kind: string;
      still: { id: string; kind: string; parentId: string; contentType: string; start: string };
      clip: { id: string; kind: string; start: string; end: string };
    };
    // Two seconds in the buffer first, so that a replay's frame can be picked inside it.
    let buffered: { startAt: string; endAt: string } | null = null;
    await until(
      async () => {
        const r = await tab.call('views.replay', { viewId: view.viewId, seconds: 5 });
        if (!r.ok || (r.value as ReplayResult).kind !== 'replay') return false;
        const replay = r.value as { startAt: string; endAt: string };
        buffered = replay;
        return Date.parse(replay.endAt) - Date.parse(replay.startAt) >= 2000;
      },
      'two seconds in the buffer',
      30_000,
    );
    const range = buffered as unknown as { startAt: string; endAt: string };

    const r1 = await tab.call('views.keepStill', {
      viewId: view.viewId,
      caseNumber: '2026-004998',
    });
    expect(r1.ok, JSON.stringify(r1)).toBe(true);
    const live = (r1 as { value: Kept }).value;
    expect(live).toMatchObject({
      kind: 'kept',
      still: { kind: 'still', contentType: 'image/jpeg' },
      clip: { kind: 'clip' },
    });
    expect(live.still.parentId).toBe(live.clip.id);
    // The newest frame the clip holds: within its last half second.
    expect(Date.parse(live.clip.end) - Date.parse(live.still.start)).toBeLessThanOrEqual(600);

    // A replay's frame: the still is the frame at that time, not the newest.
    const at = Date.parse(range.startAt) + 1000;
    const r2 = await tab.call('views.keepStill', {
      viewId: view.viewId,
      caseNumber: '2026-004998',
      at: new Date(at).toISOString(),
    });
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
    const replayed = (r2 as { value: Kept }).value;
    expect(replayed.kind).toBe('kept');
    expect(Date.parse(replayed.clip.start)).toBeLessThanOrEqual(at);
    expect(Math.abs(Date.parse(replayed.still.start) - at)).toBeLessThanOrEqual(50);
    // The live one was the newest (half a second before the end of at least two seconds).
    expect(Date.parse(live.still.start) - Date.parse(replayed.still.start)).toBeGreaterThanOrEqual(
      400,
    );

    const custody = await server.store.store.query<{
      action: string;
      file_id: string | null;
    }>(
      "select action, file_id from evidence_custody where case_number = '2026-004998' order by seq",
    );
    const stillRows = custody.rows.filter((c) =>
      [live.still.id, replayed.still.id].includes(c.file_id ?? ''),
    );
    expect(stillRows.map((c) => c.action)).toEqual(['hashed', 'hashed']);
    expect(custody.rows.filter((c) => c.action === 'fetched')).toHaveLength(2);
  });
});

describe("a camera's recordings, older than the buffer", () => {
  it('plays a stretch through the host under a recordings grant, for this session only, audited', async () => {
    const cameraId = await liveCamera('Recorded corner');
    const origin = new URL(simulator.urlFor('Recorded corner')).origin;
    await asAdmin('PATCH', `/v1/cameras/${cameraId}`, {
      recordings: {
        urlTemplate: `${origin}/recordings/recorded-corner.mp4?start={start}&end={end}`,
      },
    });
    const { host, tab, updates } = await signedInTab();
    const { view } = await playing(tab, updates, cameraId);
    const end = Math.floor(server.clock.now() / 1000) * 1000 - 5 * 60_000;
    const range = { start: new Date(end - 4000).toISOString(), end: new Date(end).toISOString() };

    const r = await tab.call('views.recording', { viewId: view.viewId, ...range });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const recording = (r as { value: { kind: string; path: string; startAt: string } }).value;
    expect(recording).toMatchObject({ kind: 'recording', startAt: range.start });
    const answer = await host.tipMedia(recording.path, undefined);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('video/mp4');
    const chunks: Buffer[] = [];
    for await (const chunk of answer.body as AsyncIterable<Buffer>) chunks.push(chunk);
    const mp4 = Buffer.concat(chunks);
    // An MP4 starts with its `ftyp` box.
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const audited = await server.store.store.query<{ details: { start: string; end: string } }>(
      "select details from audit_log where action = 'camera.recording_view' and target_id = $1",
      [cameraId],
    );
    expect(audited.rows.map((row) => [row.details.start, row.details.end])).toEqual([
      [range.start, range.end],
    ]);

    // Another session's host does not serve it; nor does this one a path it was not given.
    const other = await signedInTab();
    expect((await other.host.tipMedia(recording.path, undefined)).status).toBe(404);
    const forged = recording.path.replace(
      /^recording\/[0-9a-f-]{36}\//,
      'recording/00000000-0000-4000-8000-000000000000/',
    );
    expect(forged).not.toBe(recording.path);
    expect((await host.tipMedia(forged, undefined)).status).toBe(404);
  });
});

describe('media bound to the grant and the session', () => {
  it('serves the stream and its replay only while the grant holds', async () => {
    const cameraId = await liveCamera('Replay corner');
    const { host, tab, updates } = await signedInTab();
    const { view, mediaId } = await playing(tab, updates, cameraId);
    const replayId = await replayOf(tab, view.viewId);
    expect(host.ownsMedia(mediaId)).toBe(true);
    expect(host.ownsMedia(replayId)).toBe(true);

    await asAdmin('PATCH', `/v1/cameras/${cameraId}`, { sharing: { withdrawn: true } });
    await until(
      () => updates.some((u) => u.viewId === view.viewId && u.state.kind === 'revoked'),
      'the revoked tile',
    );
    // The replay was cut from the same grant: it ends with it, though the buffer still holds it.
    expect(host.ownsMedia(replayId)).toBe(false);
    expect(host.ownsMedia(mediaId)).toBe(false);
    expect((await gateway.handleMediaRequest(`${replayId}/replay.m3u8`)).status).toBe(200);
  });

  it('serves nothing once the grant lapses unrenewed, or the session ends', async () => {
    const cameraId = await liveCamera('Lapse lane');
    const { host, tab, updates } = await signedInTab();
    const { view, mediaId } = await playing(tab, updates, cameraId);
    const replayId = await replayOf(tab, view.viewId);

    // The host could not renew (offline): past the grant's expiry, its media opens nothing.
    const expiry = Date.parse(view.grantExpiresAt);
    server.clock.set(expiry + 1);
    expect(host.ownsMedia(mediaId)).toBe(false);
    expect(host.ownsMedia(replayId)).toBe(false);
    server.clock.set(expiry - 60_000);
    expect(host.ownsMedia(mediaId)).toBe(true);

    await tab.call('session.signOut', {});
    expect(host.ownsMedia(mediaId)).toBe(false);
    expect(host.ownsMedia(replayId)).toBe(false);
  });

  it('keeps a shared stream playing when one of its views ends its grant', async () => {
    const cameraId = await liveCamera('Shared stairwell');
    const first = await signedInTab();
    const second = await signedInTab();
    const a = await playing(first.tab, first.updates, cameraId);
    const b = await playing(second.tab, second.updates, cameraId);
    expect(b.mediaId).toBe(a.mediaId);
    const relay = relayOf.get(server.app().ctx)!;

    const states: string[] = [];
    const stop = gateway.subscribe(a.mediaId, (s) => states.push(s.kind));
    cleanups.push(stop);
    await first.tab.call('views.close', { viewId: a.view.viewId });
    // The ended grant's relay stream is cut; the gateway already pulls under the other grant, so
    // the cut costs the remaining viewer no reconnect.
    await relay.recheck();
    await until(() => relay.openStreams === 1, 'one relay stream, under the remaining grant');
    expect(states).not.toContain('reconnecting');
    expect(gateway.state(a.mediaId)?.kind).toBe('live');
    expect(second.host.ownsMedia(a.mediaId)).toBe(true);

    // The last view ends its grant: the relay cuts the pull and the stream ends rather than keep a
    // buffer from an ended grant; opening the camera again starts a fresh stream that plays.
    await second.tab.call('views.close', { viewId: b.view.viewId });
    await relay.recheck();
    await until(() => gateway.state(a.mediaId)?.kind === 'stopped', 'the stream to end');
    const again = await playing(first.tab, first.updates, cameraId);
    expect(again.mediaId).not.toBe(a.mediaId);
  });
});
