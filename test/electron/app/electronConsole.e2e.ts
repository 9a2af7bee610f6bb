import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchfloorApi } from '../../../shared/api/watchfloorApi';
import { startLiveServer, type LiveServer } from '../host/support/liveServer';

declare global {
  interface Window {
    watchfloor?: WatchfloorApi;
  }
}

/** The Electron console, as a person at the watch floor uses it. See run.ts for when this runs. */

let server: LiveServer;
let app: ElectronApplication;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  server = await startLiveServer();
  dataDir = await mkdtemp(join(tmpdir(), 'wf-electron-'));
  app = await electron.launch({
    executablePath: process.env.WF_ELECTRON_PATH,
    args: [join(process.cwd(), 'dist/electron/main/main.js')],
    env: { ...process.env, WF_SERVER_URL: server.url, WF_DATA_DIR: dataDir, WF_LOG_LEVEL: 'warn' },
  });
  page = await app.firstWindow();
  await page.waitForFunction(() => window.watchfloor !== undefined);
});

afterAll(async () => {
  await app?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the Electron console', () => {
  it('opens the console from wf-app:// with only window.watchfloor exposed', async () => {
    expect(page.url()).toMatch(/^wf-app:\/\/console\//);
    const exposed = await page.evaluate(() => ({
      keys: Object.keys(window.watchfloor ?? {}).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({
      keys: ['call', 'subscribe'],
      require: 'undefined',
      process: 'undefined',
    });
  });

  it('lists the displays a wall window can open on', async () => {
    const outcome = await page.evaluate(() => window.watchfloor!.call('windows.displays', {}));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.displays.filter((d) => d.primary)).toHaveLength(1);
  });

  it('refuses navigation away, new windows and eval', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    const evalResult = await page.evaluate(() => {
      try {
        return String((0, eval)('1 + 1'));
      } catch {
        return 'blocked';
      }
    });
    expect(evalResult).toBe('blocked');
  });

  it('signs in through the bridge, and the page holds no token', async () => {
    const user = await server.user('analyst');
    const args = await server.signInArgs(user);
    const result = await page.evaluate(
      (signIn) => window.watchfloor!.call('session.signIn', signIn),
      args,
    );
    expect(result).toMatchObject({ ok: true, value: { kind: 'signed_in' } });
    const info = await page.evaluate(() => window.watchfloor!.call('console.info', {}));
    expect(info).toMatchObject({
      ok: true,
      value: { shell: 'electron', canOpenWallWindows: true },
    });
    const readable = await page.evaluate(() =>
      JSON.stringify({ dom: document.documentElement.outerHTML, local: { ...localStorage } }),
    );
    expect(readable).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(readable).not.toContain(user.password);
  });

  it('answers bad arguments with a clear error', async () => {
    const outcome = await page.evaluate(() =>
      window.watchfloor!.call('cameras.list', { limit: -1 } as never),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
  });
});
