import type { Browser, BrowserContext, Page } from 'playwright-core';
import { nextCode, type Account } from './demoSite';

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../../support/chromium';

/** A fresh browser profile at a watch-floor monitor's size; the console's certificate is self-signed. */
export function consoleContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1600, height: 900 },
  });
}

/**
 * Types a username and password into the sign-in screen and presses "Sign in"; for an account
 * with an authenticator, then types the code its app would show and presses "Verify code".
 */
export async function submitSignIn(page: Page, account: Account): Promise<void> {
  await page.getByTestId('sign-in-username').fill(account.username);
  await page.getByTestId('sign-in-password').fill(account.password);
  await page.getByTestId('sign-in-submit').click();
  if (!account.totpSecret) return;
  // A wrong password stays on the first step and says so; a right one asks for the code.
  const step = await Promise.race([
    page
      .locator('[data-testid="sign-in"][data-step="totp"]')
      .waitFor({ timeout: 30_000 })
      .then(() => 'totp' as const)
      .catch(() => 'timeout' as const),
    page
      .getByTestId('sign-in-error')
      .waitFor({ timeout: 30_000 })
      .then(() => 'refused' as const)
      .catch(() => 'timeout' as const),
  ]);
  if (step !== 'totp') return;
  await page.getByTestId('sign-in-totp').fill(await nextCode(account));
  await page.getByTestId('sign-in-submit').click();
}
