import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:http2';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { RELOAD_HANDOVER_MS } from '../../../../electron/host/console/consoleHost';
import { consoleCookieOf } from '../../../../electron/web/webConsole';
import type { SessionState } from '../../../../shared/api/session';
import { startTestSimulator } from '../fixtures/harness';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import {
  RpcTestClient,
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../support/webConsoleHarness';

/**
 * The web console keeps a browser's session under an HttpOnly cookie: a reload, a second window
 * and a dropped socket find it as it was, the page never sees a token or the cookie, and a
 * session with no tab ends after the grace (docs/console.md, "A reload keeps the console").
 */

/** The default grace of webConsole.ts: two minutes. */
const GRACE_MS = 2 * 60_000;

let server: LiveServer;
let harness: WebConsoleHarness;
let simDir: string;
let simulator: CameraSimulator;

beforeAll(async () => {
  server = await startLiveServer();
  harness = await startWebConsoleHarness(server);
  simDir = await mkdtemp(join(tmpdir(), 'wf-console-session-sim-'));
  simulator = await startTestSimulator(simDir);
});

afterAll(async () => {
  await harness.close();
  await simulator.stop();
  await server.close();
  await rm(simDir, { recursive: true, force: true });
});

/** A first tab: signed in as an analyst; returns the tab and the cookie its handshake set. */
async function signedInTab(query = ''): Promise<{ tab: RpcTestClient; cookie: string }> {
  const tab = await RpcTestClient.connect(harness.web, undefined, { query });
  const setCookie = tab.setCookie ?? '';
  const value = /^wf_console=([^;]+)/.exec(setCookie)?.[1] ?? '';
  await tab.value('session.signIn', await server.signInArgs(await server.user('analyst')));
  return { tab, cookie: `wf_console=${value}` };
}

const statusOf = async (tab: RpcTestClient): Promise<SessionState['status']> =>
  (await tab.value<SessionState>('session.state', {})).status;

describe('web console: the browser session', () => {
  it('names the session with an HttpOnly, SameSite=Strict, Secure cookie the page never sees', async () => {
    const { tab, cookie } = await signedInTab();
    expect(tab.setCookie).toMatch(
      /^wf_console=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
    );
    const value = cookie.slice('wf_console='.length);
    await tab.value('session.state', {});
    await tab.value('console.info', {});
    expect(tab.raw.join('\n')).not.toContain(value);
    // A tab of the same browser is given no new cookie.
    const second = await RpcTestClient.connect(harness.web, undefined, { cookie });
    expect(second.setCookie).toBeNull();
    await second.closed();
    await tab.closed();
  });

  it('keeps the session across a reload, and only for the browser that holds the cookie', async () => {
    const { tab, cookie } = await signedInTab('window=console&tab=consoletab01');
    const before = await tab.value<SessionState>('session.state', {});
    await tab.closed();

    const reloaded = await RpcTestClient.connect(harness.web, undefined, {
      cookie,
      query: 'window=console&tab=consoletab01',
    });
    const after = await reloaded.value<SessionState>('session.state', {});
    expect(after.status).toBe('active');
    expect(after.status !== 'signed_out' && after.user.id).toBe(
      before.status !== 'signed_out' && before.user.id,
    );

    // Another browser (no cookie), or a cookie this host never gave, is not signed in, and a
    // page cannot choose its session: a made-up cookie is replaced.
    const stranger = await RpcTestClient.connect(harness.web);
    expect(await statusOf(stranger)).toBe('signed_out');
    const madeUp = `wf_console=${'A'.repeat(32)}`;
    const forged = await RpcTestClient.connect(harness.web, undefined, { cookie: madeUp });
    expect(await statusOf(forged)).toBe('signed_out');
    expect(forged.setCookie).toMatch(/^wf_console=/);
    expect(forged.setCookie).not.toContain(madeUp);
    await Promise.all([reloaded.closed(), stranger.closed(), forged.closed()]);
  });

  it('keeps a locked console locked across a reload', async () => {
    const { tab, cookie } = await signedInTab();
    expect((await tab.value<SessionState>('session.lock', {})).status).toBe('locked');
    await tab.closed();
    const reloaded = await RpcTestClient.connect(harness.web, undefined, { cookie });
    const state = await reloaded.value<SessionState>('session.state', {});
    expect(state.status === 'locked' && state.reason).toBe('manual');
    // Nothing behind the lock: the server's calls are refused until it is unlocked.
    const refused = await reloaded.call('cameras.list', {});
    expect(refused.ok === false && refused.error.code).toBe('locked');
    await reloaded.closed();
  });

  it('signs every window out when one signs out', async () => {
    const { tab, cookie } = await signedInTab();
    const wall = await RpcTestClient.connect(harness.web, undefined, {
      cookie,
      query: 'window=wall&tab=walltab0001',
    });
    expect((await wall.value<{ window: string }>('console.info', {})).window).toBe('wall');
    expect(await statusOf(wall)).toBe('active');
    const from = wall.pushes.length;
    await tab.value('session.signOut', {});
    const pushed = (await wall.nextPush('session', from)) as SessionState;
    expect(pushed.status).toBe('signed_out');
    await Promise.all([tab.closed(), wall.closed()]);
  });

  it('gives a dropped tab its views back, and a reloaded tab the views it puts back', async () => {
    const cameraId = await createCamera('Traffic camera Reload and 4th');
    const otherId = await createCamera('Traffic camera Reload and 5th');
    const query = 'window=console&tab=droppedtab01';
    const { tab, cookie } = await signedInTab(query);
    const reason = { code: 'active_incident', reference: 'INC-2026-301' };
    type Opened = { kind: string; view: { viewId: string; playlistUrl: string } };
    const opened = await tab.value<Opened>('views.open', { cameraId, reason, variant: 'sub' });
    expect(opened.kind).toBe('opened');
    const other = await tab.value<Opened>('views.open', {
      cameraId: otherId,
      reason,
      variant: 'sub',
    });
    await tab.closed();

    // The same page reconnecting (a network blip): its views and media URLs are still there.
    const resumed = await RpcTestClient.connect(harness.web, undefined, {
      cookie,
      query: `${query}&resume=1`,
    });
    const kept = await resumed.value<{ views: { viewId: string }[] }>('views.list', {});
    expect(kept.views.map((v) => v.viewId)).toEqual([opened.view.viewId, other.view.viewId]);
    await resumed.closed();

    // The page loaded again (a reload): it starts with no views, and the old page's URLs are dead.
    expect(await mediaStatus(opened.view.playlistUrl)).toBe(200);
    const reloaded = await RpcTestClient.connect(harness.web, undefined, { cookie, query });
    expect((await reloaded.value<{ views: unknown[] }>('views.list', {})).views).toEqual([]);
    expect(await mediaStatus(opened.view.playlistUrl)).toBe(404);
    // The tile it puts back with the same camera and reason takes its view over, and plays on.
    const again = await reloaded.value<Opened>('views.open', { cameraId, reason, variant: 'sub' });
    expect(again.view.viewId).toBe(opened.view.viewId);
    expect(again.view.playlistUrl).not.toBe(opened.view.playlistUrl);
    expect(await mediaStatus(again.view.playlistUrl)).toBe(200);
    const openGrants = async (id: string) =>
      (
        await server.store.store.query(
          'select id from camera_grants where camera_id = $1 and revoked_at is null',
          [id],
        )
      ).rows.length;
    expect(await openGrants(cameraId)).toBe(1);
    // The view it did not take back ends with its grant once the hand-over is over.
    expect(await openGrants(otherId)).toBe(1);
    server.clock.advance(RELOAD_HANDOVER_MS - 1_000);
    await harness.web.tick();
    expect(await openGrants(otherId)).toBe(1);
    server.clock.advance(1_000);
    await harness.web.tick();
    expect(await openGrants(otherId)).toBe(0);
    expect(await openGrants(cameraId)).toBe(1);
    const listed = await reloaded.value<{ views: { viewId: string }[] }>('views.list', {});
    expect(listed.views.map((v) => v.viewId)).toEqual([opened.view.viewId]);

    const late = await RpcTestClient.connect(harness.web, undefined, {
      cookie,
      query: `${query}&resume=1`,
    });
    // The reloaded tab is open, so this socket takes nothing back.
    expect((await late.value<{ views: unknown[] }>('views.list', {})).views).toEqual([]);
    await Promise.all([reloaded.closed(), late.closed()]);
  });

  it('ends a session whose tabs stay away longer than the grace, and signs it out', async () => {
    // The sessions of the tests before end first: this one is then the only one.
    await hostSawClose();
    server.clock.advance(GRACE_MS + 1_000);
    await harness.web.tick();
    const { tab, cookie } = await signedInTab();
    expect(harness.web.sessions()).toBe(1);
    await tab.closed();
    await hostSawClose();
    server.clock.advance(GRACE_MS - 1_000);
    await harness.web.tick();
    expect(harness.web.sessions()).toBe(1);
    server.clock.advance(2_000);
    await harness.web.tick();
    expect(harness.web.sessions()).toBe(0);
    const late = await RpcTestClient.connect(harness.web, undefined, { cookie });
    expect(await statusOf(late)).toBe('signed_out');
    expect(late.setCookie).toMatch(/^wf_console=/);
    await late.closed();
  });

  it('reads only a well-formed console cookie', () => {
    const id = 'b'.repeat(32);
    expect(consoleCookieOf(`theme=dark; wf_console=${id}`)).toBe(id);
    expect(consoleCookieOf(`wf_console=short`)).toBeNull();
    expect(consoleCookieOf(`wf_console=${'x'.repeat(31)};`)).toBeNull();
    expect(consoleCookieOf(`other_wf_console=${id}`)).toBeNull();
    expect(consoleCookieOf(undefined)).toBeNull();
  });
});

/** The status the web console answers a media URL with. */
function mediaStatus(path: string): Promise<number> {
  const session = connect(harness.web.origin, { ca: harness.certPem });
  return new Promise<number>((resolve, reject) => {
    const req = session.request({ ':path': path });
    req.on('response', (h) => {
      resolve(Number(h[':status']));
      req.close();
      session.close();
    });
    req.on('error', reject);
    req.end();
  });
}

/** Until the host has seen every socket close (it hears of it a moment after the client). */
async function hostSawClose(): Promise<void> {
  for (let i = 0; i < 1_000 && harness.web.connections() > 0; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(harness.web.connections()).toBe(0);
}

async function createCamera(name: string): Promise<string> {
  const admin = await server.user('admin');
  const login = await server.app().api.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: await server.signInArgs(admin),
  });
  const created = await server.app().api.inject({
    method: 'POST',
    url: '/v1/cameras',
    headers: { authorization: `Bearer ${login.json().accessToken}` },
    payload: {
      kind: 'agency',
      name,
      lat: 36.0991,
      lng: -80.2449,
      source: {
        protocol: 'http-ts',
        url: simulator.urlFor(name, 'main'),
        substreamUrl: simulator.urlFor(name, 'sub'),
        codecHint: 'h264',
      },
    },
  });
  expect(created.statusCode).toBeLessThan(300);
  return created.json().id as string;
}
