import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless and without a GPU: the browser these machines have. Frame times and
 * decoding here are a pessimistic reference for a watch-floor workstation with a graphics card.
 */
export const CHROMIUM_PATH = process.env.WF_CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      // performance.memory in whole bytes rather than coarse buckets.
      '--enable-precise-memory-info',
    ],
  });
}
