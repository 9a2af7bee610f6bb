import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraListItem } from '../../shared/api/cameras';
import type { AuditRowDto } from '../../shared/api/audit';
import { consoleContext, launchChromium, submitSignIn } from './support/chromium';
import { eventually, startDemoSite, type DemoSite } from './support/demoSite';
import {
  dragCameraToTile,
  giveReasonOn,
  pictureDifference,
  tileOf,
  tilePicture,
} from './support/wallPage';

/**
 * The analyst's tile tools at the web console, against a demo site of its own: digital zoom,
 * replay in clock time with frame steps, and PTZ where the camera's policy allows it
 * (docs/console.md "Tile tools", docs/ptz.md).
 */

const CASE_NUMBER = '2026-004777';

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken: string;
let cameras: readonly CameraListItem[];

const tile = (index: number) => tileOf(page, index);
const named = (name: string) => cameras.find((c) => c.name === name)!;

/** The tile's playhead, to wait for its video to move on. */
const playhead = async (index: number) =>
  Number(await tile(index).getAttribute('data-current-time'));
async function videoAdvances(index: number, seconds: number): Promise<void> {
  const from = await playhead(index);
  await eventually(
    async () => (await playhead(index)) >= from + seconds,
    `tile ${index + 1} to play ${seconds} s more`,
    30_000,
  );
}

beforeAll(async () => {
  site = await startDemoSite();
  adminToken = await site.token(site.account('admin'));
  const analystToken = await site.token(site.account('analyst'));
  cameras = (
    await site.api<{ items: CameraListItem[] }>(analystToken, 'GET', '/v1/cameras?limit=1000')
  ).body.items;
  browser = await launchChromium();
  context = await consoleContext(browser);
  page = await context.newPage();
  await page.goto(site.consoleUrl);
  await submitSignIn(page, site.account('analyst'));
  await page.getByTestId('console').waitFor({ timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await site?.stop();
}, 60_000);

describe('tile tools at the web console', () => {
  it('puts a PTZ camera up and zooms its tile with the mouse wheel; a click on the indicator resets it', async () => {
    // The demo's pole cameras are PTZ cameras of the agency's own.
    const pole = cameras.find((c) => c.kind === 'agency' && c.ptz)!;
    await dragCameraToTile(page, pole, 0);
    await giveReasonOn(page, CASE_NUMBER);
    await tile(0).and(page.locator('[data-state="live"]')).waitFor({ timeout: 60_000 });

    await tile(0).locator('video').first().hover();
    await page.mouse.wheel(0, -300);
    await eventually(
      async () => Number(await tile(0).getAttribute('data-zoom')) > 1.5,
      'the tile to zoom',
      10_000,
    );
    await expect(tile(0).getByTestId('tile-zoom').textContent()).resolves.toMatch(/\d\.\d×/);
    // The zoom is drawn on the video itself.
    const transform = await tile(0).locator('video').first().getAttribute('style');
    expect(transform).toMatch(/scale\(/);
    await tile(0).getByTestId('tile-zoom').click();
    await expect(tile(0).getAttribute('data-zoom')).resolves.toBe('1.00');
  }, 120_000);

  it('pans the PTZ camera from the tile, and the picture changes far more than it does by itself', async () => {
    await tile(0).getByTestId('tile-ptz').waitFor();
    const a = await tilePicture(page, 0);
    await videoAdvances(0, 1);
    const b = await tilePicture(page, 0);
    await tile(0).getByTestId('tile-ptz-left').click();
    await tile(0).getByTestId('tile-ptz-left').click();
    // The move reaches the wall through the camera's encoder and the gateway: a second or two.
    await videoAdvances(0, 3);
    const c = await tilePicture(page, 0);
    const still = pictureDifference(a, b);
    const moved = pictureDifference(b, c);
    expect(moved).toBeGreaterThan(3 * still);
    expect(moved).toBeGreaterThan(5);
    const rows = (
      await site.api<{ rows: AuditRowDto[] }>(adminToken, 'GET', '/v1/audit?action=camera.ptz')
    ).body.rows;
    expect(rows.filter((r) => r.outcome === 'success').length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('shows no PTZ controls for a camera without PTZ', async () => {
    const fixed = named('Square North Camera');
    expect(fixed.ptz).toBe(false);
    await dragCameraToTile(page, fixed, 1);
    // The working case covers it: no dialog.
    await tile(1).and(page.locator('[data-state="live"]')).waitFor({ timeout: 60_000 });
    await expect(tile(1).getByTestId('tile-ptz').count()).resolves.toBe(0);
    await expect(tile(0).getByTestId('tile-ptz').count()).resolves.toBe(1);
  }, 120_000);

  it('replays in clock time and steps frame by frame with the keyboard, pausing the replay', async () => {
    await tile(0).click({ position: { x: 20, y: 60 } });
    await tile(0).getByTestId('tile-replay-button').click();
    const clock = tile(0).getByTestId('replay-clock');
    await eventually(
      async () => /^\d\d:\d\d:\d\d$/.test((await clock.textContent()) ?? ''),
      'the replay to show its clock time',
      30_000,
    );
    await expect(tile(0).getByTestId('replay-range').textContent()).resolves.toMatch(
      /^\d\d:\d\d:\d\d – \d\d:\d\d:\d\d/,
    );
    // One step first: it pauses the replay on the frame grid, from where steps go frame by frame.
    // (From a position between frames, the first step goes to the frame after the next.)
    const at = async () => Number(await tile(0).getByTestId('replay-scrubber').inputValue());
    const onGrid = async () => {
      const sec = await at();
      return Math.abs(sec * 25 - Math.round(sec * 25)) < 1e-3;
    };
    await page.keyboard.press('.');
    await eventually(
      async () =>
        (await tile(0).getByTestId('replay-play').getAttribute('aria-label')) === 'Play' &&
        (await onGrid()),
      'the replay to pause on a frame',
      15_000,
    );
    const first = await clock.textContent();
    // 25 frames a second: at most 25 steps cross into the next second.
    let steps = 0;
    while ((await clock.textContent()) === first && steps < 30) {
      const before = await at();
      await page.keyboard.press('.');
      steps += 1;
      // Each step lands before the next is pressed, so none overshoots the second's end. A step
      // that does not land says where the replay stood and what had the keyboard.
      await eventually(async () => (await at()) > before, 'the step to land', 15_000).catch(
        async (error: unknown) => {
          const state = await page.evaluate(() => {
            const d = globalThis as unknown as {
              document: {
                activeElement: { tagName: string; getAttribute(n: string): string | null } | null;
                querySelector(s: string): {
                  currentTime: number;
                  duration: number;
                  paused: boolean;
                  seeking: boolean;
                  readyState: number;
                } | null;
              };
            };
            const v = d.document.querySelector('[data-tile-index="0"] .replay video');
            const a = d.document.activeElement;
            return {
              video: v && {
                currentTime: v.currentTime,
                duration: v.duration,
                paused: v.paused,
                seeking: v.seeking,
                readyState: v.readyState,
              },
              focus: a && `${a.tagName} ${a.getAttribute('data-testid') ?? ''}`,
            };
          });
          throw new Error(
            `${String(error)} after ${steps} steps from ${before}: ${JSON.stringify(state)}`,
          );
        },
      );
    }
    expect(await clock.textContent()).not.toBe(first);
    expect(steps).toBeLessThanOrEqual(26);
    await page.keyboard.press(',');
    await eventually(
      async () => (await clock.textContent()) === first,
      'a step back to return to the second before',
      15_000,
    );
  }, 120_000);

  it("goes back past the buffer to a time of day and plays the camera's recordings, audited with the range", async () => {
    const fixed = named('Square North Camera');
    expect(fixed.hasRecordings).toBe(true);
    await tile(0).getByTestId('tile-replay-close').click();
    await tile(1).click({ position: { x: 20, y: 60 } });
    await tile(1).getByTestId('tile-replay-button').click();
    await tile(1).getByTestId('replay-earlier').waitFor();
    // Three minutes ago on the agency's clock (the demo's zone), to the minute: a time of day.
    const title = (await page.getByTestId('agency-clock').getAttribute('title')) ?? '';
    const agencyZone = /^Agency time \((.+)\)$/.exec(title)?.[1];
    expect(agencyZone).toBeTruthy();
    const back = new Date(Date.now() - 3 * 60_000);
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: agencyZone!,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(back);
    await tile(1).getByTestId('replay-earlier-time').fill(hhmm);
    await tile(1).getByTestId('replay-earlier').getByRole('button').click();
    await tile(1).getByText('⏮ Recordings').waitFor({ timeout: 30_000 });
    const clock = tile(1).getByTestId('replay-clock');
    await eventually(
      async () => ((await clock.textContent()) ?? '').startsWith(`${hhmm}:`),
      'the recordings to show the time gone back to',
      30_000,
    );
    // The recording plays: its clock moves on.
    const first = await clock.textContent();
    await eventually(
      async () => (await clock.textContent()) !== first,
      'the recordings to play',
      30_000,
    );
    const rows = (
      await site.api<{ rows: AuditRowDto[] }>(
        adminToken,
        'GET',
        '/v1/audit?action=camera.recording_view',
      )
    ).body.rows;
    expect(rows.filter((r) => r.outcome === 'success' && r.targetId === fixed.id)).toHaveLength(1);
    // The stretch kept with the working case, fetched from the recorder by the server.
    await expect(
      tile(1).getByTestId('replay-keep').getByRole('textbox').inputValue(),
    ).resolves.toBe(CASE_NUMBER);
    await tile(1).getByTestId('replay-keep').getByRole('button').click();
    await expect(tile(1).getByTestId('replay-kept').textContent()).resolves.toContain(
      `Kept with case ${CASE_NUMBER}`,
    );
    // Back to the buffer.
    await tile(1).getByTestId('replay-back-to-buffer').click();
    await tile(1).getByText('⟲ Replay').waitFor();
  }, 120_000);
});
