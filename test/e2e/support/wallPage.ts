import type { Locator, Page } from 'playwright-core';
import type { CameraListItem } from '../../../shared/api/cameras';

/** A wall tile by its index (0-based). */
export const tileOf = (page: Page, index: number): Locator =>
  page.locator(`[data-testid="wall-tile"][data-tile-index="${index}"]`);

/** Answers the reason dialog: an active incident and the case number being worked. */
export async function giveReasonOn(page: Page, caseNumber: string): Promise<void> {
  await page.getByTestId('reason-dialog').waitFor();
  await page.getByTestId('reason-active_incident').check();
  await page.getByTestId('reason-reference').fill(caseNumber);
  await page.getByTestId('reason-submit').click();
  await page.getByTestId('reason-dialog').waitFor({ state: 'detached' });
}

/** Finds a camera in the Cameras tab by its exact name and drags it onto a tile. */
export async function dragCameraToTile(
  page: Page,
  camera: CameraListItem,
  tileIndex: number,
): Promise<void> {
  await page.getByTestId('tab-cameras').click();
  await page.getByTestId('camera-search').fill(camera.name);
  const row = page.locator(`[data-testid="camera-row"][data-camera-id="${camera.id}"]`);
  await row.waitFor();
  await row.dragTo(tileOf(page, tileIndex));
}

/**
 * A tile's picture now, as grey levels of a 64x36 thumbnail of the video shown (run in the page,
 * as written: the tests are type-checked without the DOM's types).
 */
export async function tilePicture(page: Page, index: number): Promise<number[]> {
  return page.evaluate(`(() => {
    const video = document.querySelector('[data-tile-index="${index}"] video:not(.standby)');
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext('2d');
    g.drawImage(video, 0, 0, 64, 36);
    const d = g.getImageData(0, 0, 64, 36).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push((d[i] + d[i + 1] + d[i + 2]) / 3);
    return out;
  })()`);
}

/** Mean absolute difference of two pictures, 0-255. */
export function pictureDifference(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
