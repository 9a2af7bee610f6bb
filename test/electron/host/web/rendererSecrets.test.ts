import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../support/chromium';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../support/liveServer';
import { startWebConsoleHarness, type WebConsoleHarness } from '../support/webConsoleHarness';
import type { WatchfloorApi } from '../../../../shared/api/watchfloorApi';

declare global {
  interface Window {
    watchfloor?: WatchfloorApi;
  }
}

/**
 * The real renderer, built, in Debian's Chromium, through the web console: after signing in and
 * opening a camera, no token, password or camera credential is anywhere the page can read.
 */

const CAMERA_PASSWORD = 'cam-secret-pw-4410';

let server: LiveServer;
let harness: WebConsoleHarness;
let browser: Browser;
let buildDir: string;

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'wf-renderer-build-'));
  // Built into a folder of its own, so that this test never races another build of dist/.
  await build({
    configFile: join(process.cwd(), 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: buildDir, emptyOutDir: true },
  });
  server = await startLiveServer();
  harness = await startWebConsoleHarness(server, { rendererDir: buildDir });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await server?.close();
  await rm(buildDir, { recursive: true, force: true });
});

describe('the renderer holds no secret', () => {
  it('no token in the DOM, storage, IndexedDB, cookies or any RPC frame', async () => {
    const admin = await server.user('admin');
    const adminLogin = await server.app().api.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: await server.signInArgs(admin),
    });
    const camera = await server.app().api.inject({
      method: 'POST',
      url: '/v1/cameras',
      headers: { authorization: `Bearer ${adminLogin.json().accessToken}` },
      payload: {
        kind: 'agency',
        name: 'Pole camera 12',
        lat: 36.0999,
        lng: -80.2442,
        source: {
          protocol: 'rtsp',
          url: 'rtsp://127.0.0.1:9/stream1',
          username: 'operator',
          password: CAMERA_PASSWORD,
        },
      },
    });
    const cameraId = camera.json().id as string;
    const user = await server.user('analyst', { totp: true });

    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const frames: string[] = [];
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => frames.push(String(f.payload)));
      ws.on('framesent', (f) => frames.push(`sent:${String(f.payload)}`));
    });
    await page.goto(harness.web.origin);
    await page.waitForFunction(() => window.watchfloor !== undefined);

    // What the sign-in screen does: password, then the authenticator code.
    const first = await page.evaluate(
      ([username, password]) =>
        window.watchfloor!.call('session.signIn', { username: username!, password: password! }),
      [user.username, user.password],
    );
    expect(first).toMatchObject({ ok: true, value: { kind: 'totp_required' } });
    const code = await server.code(user.totpSecret!);
    const second = await page.evaluate(
      (totpCode) => window.watchfloor!.call('session.verifyTotp', { totpCode }),
      code,
    );
    expect(second).toMatchObject({ ok: true, value: { kind: 'signed_in' } });
    const opened = await page.evaluate(
      (id) =>
        window.watchfloor!.call('views.open', {
          cameraId: id,
          reason: { code: 'active_incident', reference: 'INC-2026-7' },
          variant: 'sub',
        }),
      cameraId,
    );
    expect(opened).toMatchObject({ ok: true, value: { kind: 'opened' } });
    await page.evaluate(() => window.watchfloor!.call('cameras.list', {}));
    // Let the console render what it was pushed.
    await page.waitForTimeout(1_500);

    const readable = await page.evaluate(async () => {
      const dump = (s: Storage) =>
        Object.fromEntries(
          Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i)!)]),
        );
      const databases: Record<string, unknown> = {};
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(info.name!);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        for (const store of Array.from(db.objectStoreNames)) {
          databases[`${info.name}/${store}`] = await new Promise((resolve) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => resolve(null);
          });
        }
        db.close();
      }
      return {
        dom: document.documentElement.outerHTML,
        local: dump(localStorage),
        session: dump(sessionStorage),
        databases,
        cookie: document.cookie,
      };
    });
    const cookies = await context.cookies();
    await context.close();

    const received = frames.filter((f) => !f.startsWith('sent:'));
    expect(received.length).toBeGreaterThan(3);
    const everything = [JSON.stringify(readable), JSON.stringify(cookies), ...received].join('\n');
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    const issued = await server.store.store.query<{ token_hash: string }>(
      'select token_hash from refresh_tokens',
    );
    const hashes = new Set(issued.rows.map((r) => r.token_hash));
    expect(hashes.size).toBeGreaterThan(0);
    for (const candidate of everything.match(/[A-Za-z0-9_-]{43}/g) ?? []) {
      expect(hashes.has(createHash('sha256').update(candidate).digest('hex'))).toBe(false);
    }
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain(CAMERA_PASSWORD);
    expect(everything).not.toContain('rtsp://');
    expect(readable.dom).toContain('id="root"');
  });
});
