import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Account } from './demoSite';

/**
 * Debian's Chromium, headless: Playwright's own browser download cannot run here, and the
 * console must work in the Chromium people have anyway.
 */
export const CHROMIUM_PATH = process.env.WF_CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Muted live video starts by itself in the console; no click is needed in a real browser either.
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** A fresh browser profile at a watch-floor monitor's size; the console's certificate is self-signed. */
export function consoleContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1600, height: 900 },
  });
}

/** Types a username and password into the sign-in screen and presses "Sign in". */
export async function submitSignIn(page: Page, account: Account): Promise<void> {
  await page.getByTestId('sign-in-username').fill(account.username);
  await page.getByTestId('sign-in-password').fill(account.password);
  await page.getByTestId('sign-in-submit').click();
}
