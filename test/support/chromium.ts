import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless and without a GPU: the browser these machines have (Playwright's
 * own browser download cannot run here). One launcher for every test and benchmark.
 */
export const CHROMIUM_PATH = process.env.WF_CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  // A closed network: without these Chromium keeps dialling out and being refused.
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
