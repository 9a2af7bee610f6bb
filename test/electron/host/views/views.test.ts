import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { View, ViewUpdate } from '../../../../shared/api/views';
import type { ConsoleConnection } from '../../../../electron/host/console/consoleConnection';
import { ConsoleHost } from '../../../../electron/host/console/consoleHost';
import { StreamGateway } from '../../../../electron/host/gateway/index';
import { OUTGOING_HOLD_MS } from '../../../../electron/host/views/viewManager';
import { RELOAD_HANDOVER_MS } from '../../../../electron/host/console/consoleHost';
import { MemorySecretStore } from '../../../../electron/host/session/secretStore';
import { startLiveServer, until, type LiveServer, type LiveUser } from '../support/liveServer';

/**
 * Views through the console host against a live server: grants requested with the reason,
 * renewed, revoked by the owner, and video stopped behind the lock screen unless policy keeps it.
 * The camera's source does not answer, which is all the gateway needs to run a stream's life.
 */

let server: LiveServer;
let gateway: StreamGateway;
let dir: string;
let adminCredentials: LiveUser;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startLiveServer();
  dir = await mkdtemp(join(tmpdir(), 'wf-views-'));
  gateway = new StreamGateway({ dataDir: dir, lingerMs: 50 });
  adminCredentials = await server.user('admin');
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

afterAll(async () => {
  await gateway.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** As an administrator, signed in afresh. */
async function admin(method: 'POST' | 'PATCH', url: string, payload: object) {
  return server.as(adminCredentials, method, url, payload);
}

async function integratedCamera(name: string): Promise<string> {
  const camera = await admin('POST', '/v1/cameras', {
    kind: 'integrated',
    name,
    lat: 36.0999,
    lng: -80.2442,
    source: {
      protocol: 'http-ts',
      url: 'http://127.0.0.1:9/live.ts',
      substreamUrl: 'http://127.0.0.1:9/sub.ts',
    },
    sharing: { mode: 'always' },
  });
  return camera.id as string;
}

async function signedInHost(
  wallPlaysWhenLocked: boolean,
): Promise<{ host: ConsoleHost; tab: ConsoleConnection; updates: ViewUpdate[]; password: string }> {
  const user = await server.user('analyst');
  const host = new ConsoleHost({
    serverUrl: server.url,
    secretStore: new MemorySecretStore(),
    gateway,
    shell: 'web',
    version: 'test',
    clock: server.clock,
    wallPlaysWhenLocked,
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
  return { host, tab, updates, password: user.password };
}

async function openView(tab: ConsoleConnection, cameraId: string): Promise<View> {
  const outcome = await tab.call('views.open', {
    cameraId,
    reason: { code: 'active_incident', reference: 'INC-2026-55' },
    variant: 'sub',
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const value = outcome.value as { kind: string; view: View };
  expect(value.kind).toBe('opened');
  return value.view;
}

function viewersOf(playlistUrl: string): number {
  const mediaId = playlistUrl.split('/').slice(-2)[0];
  return gateway.streams().find((s) => s.mediaId === mediaId)?.viewers ?? 0;
}

describe('views', () => {
  it('asks for the grant with the reason and serves the substream, then the main stream', async () => {
    const cameraId = await integratedCamera('Grocery front door');
    const { host, tab } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    expect(view.variant).toBe('sub');
    expect(host.ownsMedia(view.playlistUrl.split('/')[3]!)).toBe(true);
    const audit = await server.store.store.query<{ details: { reason?: { code: string } } }>(
      "select details from audit_log where action like 'stream.%' or action like 'grant.%' order by id desc limit 1",
    );
    expect(JSON.stringify(audit.rows[0]?.details)).toContain('active_incident');

    const main = await tab.call('views.setVariant', { viewId: view.viewId, variant: 'main' });
    if (!main.ok) throw new Error(main.error.message);
    const switched = main.value as View;
    expect(switched.variant).toBe('main');
    expect(switched.playlistUrl).not.toBe(view.playlistUrl);
    expect(gateway.streams().find((s) => switched.playlistUrl.includes(s.mediaId))?.variant).toBe(
      'main',
    );
    // The substream stays readable while the tile still shows it, until the tile says it shows
    // the main stream; then it is let go and a URL alone opens nothing.
    const subId = view.playlistUrl.split('/')[3]!;
    expect(host.ownsMedia(subId)).toBe(true);
    expect(viewersOf(view.playlistUrl)).toBe(1);
    const shown = await tab.call('views.variantShown', { viewId: view.viewId });
    expect(shown.ok).toBe(true);
    expect(viewersOf(view.playlistUrl)).toBe(0);
    expect(host.ownsMedia(subId)).toBe(false);
    expect(host.ownsMedia(switched.playlistUrl.split('/')[3]!)).toBe(true);
  });

  it('lets go of the variant a tile left when the tile never says it changed over', async () => {
    const cameraId = await integratedCamera('Hardware side door');
    const { host, tab } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    const subId = view.playlistUrl.split('/')[3]!;
    const main = await tab.call('views.setVariant', { viewId: view.viewId, variant: 'main' });
    if (!main.ok) throw new Error(main.error.message);
    server.clock.advance(OUTGOING_HOLD_MS - 1_000);
    await tab.views.tick();
    expect(host.ownsMedia(subId)).toBe(true);
    server.clock.advance(1_000);
    await tab.views.tick();
    expect(host.ownsMedia(subId)).toBe(false);
    expect(viewersOf(view.playlistUrl)).toBe(0);
  });

  it('keeps the stream a tile switches back to before it changed over, and lets go of the other', async () => {
    const cameraId = await integratedCamera('Laundromat rear');
    const { host, tab } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    const main = await tab.call('views.setVariant', { viewId: view.viewId, variant: 'main' });
    if (!main.ok) throw new Error(main.error.message);
    const mainUrl = (main.value as View).playlistUrl;
    // Restored at once: back to the substream, which the tile never stopped showing.
    const sub = await tab.call('views.setVariant', { viewId: view.viewId, variant: 'sub' });
    if (!sub.ok) throw new Error(sub.error.message);
    expect((sub.value as View).playlistUrl).toBe(view.playlistUrl);
    expect(viewersOf(view.playlistUrl)).toBe(1);
    // The main stream is now the one being left; once the tile says so it goes.
    expect(host.ownsMedia(mainUrl.split('/')[3]!)).toBe(true);
    await tab.call('views.variantShown', { viewId: view.viewId });
    expect(viewersOf(mainUrl)).toBe(0);
    expect(host.ownsMedia(mainUrl.split('/')[3]!)).toBe(false);
    expect(viewersOf(view.playlistUrl)).toBe(1);
    expect(host.ownsMedia(view.playlistUrl.split('/')[3]!)).toBe(true);
  });

  it('hands a reloaded tab the views it puts back unchanged, and ends the rest with the old tab', async () => {
    const front = await integratedCamera('Reload front door');
    const side = await integratedCamera('Reload side door');
    const rear = await integratedCamera('Reload rear lot');
    const { host, tab, updates: oldPage } = await signedInHost(false);
    const reason = { code: 'active_incident', reference: 'INC-2026-55' } as const;
    const [a, b, c] = [
      await openView(tab, front),
      await openView(tab, side),
      await openView(tab, rear),
    ];
    const grantsOf = async (cameraId: string) =>
      (
        await server.store.store.query<{ id: string; revoked_at: Date | null }>(
          'select id, revoked_at from camera_grants where camera_id = $1',
          [cameraId],
        )
      ).rows;
    const updates: ViewUpdate[] = [];
    const pushedBefore = oldPage.length;
    const page = host.reload(tab, {
      window: 'console',
      mediaRoot: '/media/reloaded/',
      push: (name, payload) => {
        if (name === 'views') updates.push(payload as ViewUpdate);
      },
    });
    const ended = async (cameraId: string) =>
      (await grantsOf(cameraId)).filter((g) => g.revoked_at !== null).length;
    const open = async (cameraId: string, args: object) => {
      const outcome = await page.call('views.open', { cameraId, reason, variant: 'sub', ...args });
      if (!outcome.ok) throw new Error(outcome.error.message);
      return (outcome.value as { view: View }).view;
    };

    // The same camera, stream and reason: the same view, its video never stopped, no new grant.
    const kept = await open(front, {});
    expect(kept.viewId).toBe(a.viewId);
    expect(kept.playlistUrl).toBe(a.playlistUrl.replace('/media/tab/', '/media/reloaded/'));
    expect(viewersOf(kept.playlistUrl)).toBe(1);
    expect(await grantsOf(front)).toHaveLength(1);
    const mediaId = kept.playlistUrl.split('/')[3]!;
    expect(page.views.ownsMedia(mediaId)).toBe(true);
    expect(tab.views.ownsMedia(mediaId)).toBe(false);
    expect(tab.views.list().map((v) => v.viewId)).not.toContain(a.viewId);
    expect(updates.some((u) => u.viewId === a.viewId)).toBe(true);
    // A view is handed over once: the same camera asked again is a new view.
    const second = await open(front, {});
    expect(second.viewId).not.toBe(a.viewId);
    expect(await grantsOf(front)).toHaveLength(2);

    // Another reason, or the other stream, is a new view under a new grant, audited as ever.
    const otherReason = await open(side, { reason: { ...reason, reference: 'INC-2026-56' } });
    expect(otherReason.viewId).not.toBe(b.viewId);
    expect(await grantsOf(side)).toHaveLength(2);
    const mainStream = await open(rear, { variant: 'main' });
    expect(mainStream.viewId).not.toBe(c.viewId);
    expect(await grantsOf(rear)).toHaveLength(2);

    // The old tab let go after the hand-over: what it kept ends with its grants; what was
    // handed over plays on.
    server.clock.advance(RELOAD_HANDOVER_MS - 1_000);
    await host.tick();
    expect(await ended(side)).toBe(0);
    server.clock.advance(1_000);
    await host.tick();
    expect(await ended(front)).toBe(0);
    expect(await ended(side)).toBe(1);
    expect(await ended(rear)).toBe(1);
    expect(viewersOf(kept.playlistUrl)).toBe(2);
    expect(page.views.ownsMedia(mediaId)).toBe(true);
    // The old page is gone: nothing was pushed to it after the reload.
    expect(oldPage).toHaveLength(pushedBefore);
  });

  it('renews a grant before it lapses', async () => {
    const cameraId = await integratedCamera('Pharmacy lot');
    const { tab } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    const before = Date.parse(view.grantExpiresAt);
    server.clock.advance(before - server.clock.now() - 20_000);
    await tab.views.tick();
    const listed = await tab.call('views.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const after = (listed.value as { views: View[] }).views[0]!;
    expect(Date.parse(after.grantExpiresAt)).toBeGreaterThan(before);
  });

  it('stops the tile and says why when the owner withdraws', async () => {
    const cameraId = await integratedCamera('Bakery alley');
    const { host, tab, updates } = await signedInHost(false);
    await until(() => host.feed.state.status === 'live', 'the event feed');
    const view = await openView(tab, cameraId);
    await admin('PATCH', `/v1/cameras/${cameraId}`, { sharing: { withdrawn: true } });
    await until(
      () => updates.some((u) => u.viewId === view.viewId && u.state.kind === 'revoked'),
      'the revoked tile',
    );
    const revoked = updates.find((u) => u.state.kind === 'revoked')!;
    expect(revoked.playlistUrl).toBeNull();
    expect(viewersOf(view.playlistUrl)).toBe(0);
    expect(host.ownsMedia(view.playlistUrl.split('/')[3]!)).toBe(false);
  });

  it('stops all video behind the lock screen where policy says so, and resumes on unlock', async () => {
    const cameraId = await integratedCamera('Library steps');
    const { tab, updates, password } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    expect(viewersOf(view.playlistUrl)).toBe(1);
    await tab.call('session.lock', {});
    expect(updates.at(-1)).toMatchObject({
      viewId: view.viewId,
      state: { kind: 'paused' },
      playlistUrl: null,
    });
    expect(viewersOf(view.playlistUrl)).toBe(0);
    await tab.call('session.unlock', { password });
    await until(
      () => updates.at(-1)?.playlistUrl !== null && updates.at(-1)?.state.kind !== 'paused',
      'the tile to play again',
    );
    const resumed = updates.at(-1)!;
    expect(viewersOf(resumed.playlistUrl!)).toBe(1);
  });

  it('keeps the wall playing behind the lock screen where policy allows', async () => {
    const cameraId = await integratedCamera('Park entrance');
    const { tab, updates } = await signedInHost(true);
    const view = await openView(tab, cameraId);
    await tab.call('session.lock', {});
    expect(updates.some((u) => u.state.kind === 'paused')).toBe(false);
    expect(viewersOf(view.playlistUrl)).toBe(1);
  });

  it('closing a view ends its grant on the server', async () => {
    const cameraId = await integratedCamera('Bus stop 4');
    const { tab } = await signedInHost(false);
    const view = await openView(tab, cameraId);
    await tab.call('views.close', { viewId: view.viewId });
    const open = await server.store.store.query(
      'select id from camera_grants where camera_id = $1 and revoked_at is null',
      [cameraId],
    );
    expect(open.rows).toHaveLength(0);
    expect(viewersOf(view.playlistUrl)).toBe(0);
  });
});
