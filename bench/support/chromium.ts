import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/support/chromium';

export { CHROMIUM_PATH } from '../../test/support/chromium';

/**
 * The tests' Chromium, with performance.memory in whole bytes rather than coarse buckets. Frame
 * times and decoding without a GPU are a pessimistic reference for a watch-floor workstation.
 */
export function launchBenchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return launchChromium(['--enable-precise-memory-info', ...extraArgs]);
}
