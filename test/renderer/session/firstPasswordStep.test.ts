import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium';
import { seriousAccessibilityProblems } from '../../support/axe';
import { startLiveServer, type LiveServer } from '../../electron/host/support/liveServer';
import {
  startWebConsoleHarness,
  type WebConsoleHarness,
} from '../../electron/host/support/webConsoleHarness';

/**
 * The sign-in screen's last step for an account whose password is a temporary one
 * (docs/users.md): the real renderer, built, in Chromium, through the web console, against a
 * live server. After the password and the authenticator's enrolment the screen asks for a new
 * password twice; what is wrong with it is said on the screen; the console opens only after.
 */

let server: LiveServer;
let harness: WebConsoleHarness;
let browser: Browser;
let buildDir: string;

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'wf-renderer-build-'));
  await build({
    configFile: join(process.cwd(), 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: buildDir, emptyOutDir: true },
  });
  server = await startLiveServer();
  harness = await startWebConsoleHarness(server, { rendererDir: buildDir });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await server?.close();
  await rm(buildDir, { recursive: true, force: true });
});

describe('the sign-in screen with a temporary password', () => {
  it('asks for a new password after the enrolment, says what is wrong with one, and opens the console once it is saved', async () => {
    const user = await server.user('analyst', { totp: false });
    await server.store.store.query('update users set password_must_change = true where id = $1', [
      user.id,
    ]);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(harness.web.origin);
    const form = (step: string) => page.locator(`[data-testid="sign-in"][data-step="${step}"]`);

    await page.getByTestId('sign-in-username').fill(user.username);
    await page.getByTestId('sign-in-password').fill(user.password);
    await page.getByTestId('sign-in-submit').click();
    await form('enrol-code').waitFor();
    await page.getByTestId('enrolment-code').fill(user.enrolmentCode);
    await page.getByTestId('sign-in-submit').click();
    await form('enrol-scan').waitFor();
    const key = ((await page.getByTestId('enrolment-key').textContent()) ?? '').replace(/\s/g, '');
    await page.getByTestId('sign-in-totp').fill(await server.code(key));
    await page.getByTestId('sign-in-submit').click();

    await form('new-password').waitFor();
    await expect(page.getByTestId('new-password-intro').textContent()).resolves.toMatch(
      /temporary/,
    );
    expect(await page.getByTestId('console').count()).toBe(0);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // Said on the screen, before anything is sent.
    await page.getByTestId('sign-in-new-password').fill('river stone garden');
    await page.getByTestId('sign-in-repeat-password').fill('river stone gardens');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toBe(
      'The two new passwords are not the same.',
    );
    // Said by the server: the same rules as every password.
    await page.getByTestId('sign-in-new-password').fill('qwerty123456');
    await page.getByTestId('sign-in-repeat-password').fill('qwerty123456');
    await page.getByTestId('sign-in-submit').click();
    await expect
      .poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: 10_000 })
      .toMatch(/common and breached/);
    await form('new-password').waitFor();

    await page.getByTestId('sign-in-new-password').fill('copper kettle by the north gate');
    await page.getByTestId('sign-in-repeat-password').fill('copper kettle by the north gate');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('console').waitFor({ timeout: 30_000 });
    const flag = await server.store.store.query<{ password_must_change: boolean }>(
      'select password_must_change from users where id = $1',
      [user.id],
    );
    expect(flag.rows[0]!.password_must_change).toBe(false);
    await context.close();
  }, 120_000);
});
