import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CameraListItem } from '../../../shared/api/cameras';
import { submitSignIn } from './chromium';
import { eventually, type Account } from './demoSite';

/**
 * What an end-to-end test does at the web console, for any page: sign in, answer the reason
 * dialog, put a camera on a tile, and see a tile play.
 */

/** A console of its own for a member of the center, signed in. */
export async function signedInPage(
  ctx: BrowserContext,
  consoleUrl: string,
  account: Account,
): Promise<Page> {
  const p = await ctx.newPage();
  await p.goto(consoleUrl);
  await submitSignIn(p, account);
  await p.getByTestId('console').waitFor({ timeout: 30_000 });
  return p;
}

export const tileOf = (page: Page, index: number): Locator =>
  page.locator(`[data-testid="wall-tile"][data-tile-index="${index}"]`);

/** Answers the reason dialog: a call in progress and its case number. */
export async function giveReason(page: Page, caseNumber: string): Promise<void> {
  await page.getByTestId('reason-dialog').waitFor();
  await page.getByTestId('reason-active_incident').check();
  await page.getByTestId('reason-reference').fill(caseNumber);
  await page.getByTestId('reason-submit').click();
  await page.getByTestId('reason-dialog').waitFor({ state: 'detached' });
}

/** Finds a camera in the Cameras tab by its exact name and drags it onto a tile. */
export async function dragFromCameraList(
  page: Page,
  camera: CameraListItem,
  tileIndex: number,
): Promise<void> {
  await page.getByTestId('tab-cameras').click();
  await page.getByTestId('camera-search').fill(camera.name);
  // The name as typed is an exact match, listed before names that merely contain it.
  await page.getByTestId('camera-row').first().and(page.locator('[data-rank="exact"]')).waitFor();
  const row = page.locator(`[data-testid="camera-row"][data-camera-id="${camera.id}"]`);
  await expect(row.getAttribute('data-rank')).resolves.toBe('exact');
  await row.dragTo(tileOf(page, tileIndex));
}

/** A tile's playhead and decoded frames, as the tile reports them. */
export async function tileFigures(
  page: Page,
  index: number,
): Promise<{ currentTime: number; decodedFrames: number }> {
  const [currentTime, decoded] = await Promise.all([
    tileOf(page, index).getAttribute('data-current-time'),
    tileOf(page, index).getAttribute('data-decoded-frames'),
  ]);
  return { currentTime: Number(currentTime), decodedFrames: Number(decoded) };
}

/** Live, and its picture moves on: later frames decoded, the playhead further along. */
export async function expectPlaying(page: Page, index: number, timeoutMs: number): Promise<void> {
  await tileOf(page, index)
    .and(page.locator('[data-state="live"]'))
    .waitFor({ timeout: timeoutMs });
  const first = await tileFigures(page, index);
  await eventually(
    async () => {
      const now = await tileFigures(page, index);
      return now.currentTime >= first.currentTime + 1 && now.decodedFrames > first.decodedFrames;
    },
    `tile ${index + 1}'s video to advance`,
    30_000,
  );
  expect((await tileFigures(page, index)).decodedFrames).toBeGreaterThan(first.decodedFrames);
}
