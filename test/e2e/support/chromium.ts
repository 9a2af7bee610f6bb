import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Account } from './demoSite';

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../../support/chromium';

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
