import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraListItem } from '../../shared/api/cameras';
import type { AuditRowDto } from '../../shared/api/audit';
import { seriousAccessibilityProblems } from '../support/axe';
import { consoleContext, launchChromium } from './support/chromium';
import {
  dragFromCameraList,
  expectPlaying,
  giveReason,
  signedInPage,
  tileOf,
} from './support/consolePage';
import { eventually, startDemoSite, type Account, type DemoSite } from './support/demoSite';

/**
 * A reload of the web console keeps the console (docs/console.md, "A reload keeps the
 * console"): the session (kept by the host under an HttpOnly cookie), the wall with its cameras
 * playing, the working case, the map and the open panel; a locked console stays locked; a popped-out wall window
 * is signed in with the console's session, and both windows keep their controls.
 */

const CASE_NUMBER = '2026-004777';

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let analyst: Account;
let adminToken: string;
let onWall: CameraListItem[];

beforeAll(async () => {
  // The shared machine may be slow to start the site: give it as long as the suite allows.
  site = await startDemoSite({ startTimeoutMs: 480_000 });
  analyst = site.account('analyst');
  adminToken = await site.token(site.account('admin'));
  const token = await site.token(analyst);
  const list = await site.api<{ items: CameraListItem[] }>(token, 'GET', '/v1/cameras?limit=1000');
  // Agency cameras are shared at all hours: viewable for the whole of this file.
  onWall = list.body.items.filter((c) => c.kind === 'agency').slice(0, 3);
  expect(onWall).toHaveLength(3);
  browser = await launchChromium();
  context = await consoleContext(browser);
}, 600_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await site?.stop();
}, 60_000);

async function granted(): Promise<AuditRowDto[]> {
  const reply = await site.api<{ rows: AuditRowDto[] }>(
    adminToken,
    'GET',
    '/v1/audit?action=stream.grant&outcome=success',
  );
  expect(reply.status).toBe(200);
  return reply.body.rows.filter((r) => JSON.stringify(r.details).includes(CASE_NUMBER));
}

/** Where Leaflet itself looks: latitude, longitude and zoom. */
async function mapView(p: Page): Promise<[number, number, number]> {
  const view = await p.locator('.leaflet-container').getAttribute('data-view');
  const [lat, lng, zoom] = (view ?? '').split(',').map(Number);
  return [lat!, lng!, zoom!];
}

describe('a reload of the web console', () => {
  it('keeps the session, the wall playing, the working case, the map and the open panel; axe finds no serious problem', async () => {
    page = await signedInPage(context, site.consoleUrl, analyst);
    // The working case first, then three cameras under it without a dialog.
    await page.getByTestId('assignment').click();
    await page.getByTestId('switch-working-case').click();
    await giveReason(page, CASE_NUMBER);
    for (const [i, camera] of onWall.entries()) await dragFromCameraList(page, camera, i);
    for (const i of [0, 1, 2]) await expectPlaying(page, i, 60_000);

    // The map moved off the whole-city view: zoomed in twice and dragged.
    await page.getByTestId('tab-map').click();
    const map = page.locator('.leaflet-container');
    // From the whole city, whatever the map showed before.
    await page.getByTestId('whole-city').click();
    // The whole city is far out from street zoom: there is room to zoom in twice.
    await expect.poll(async () => (await mapView(page))[2]).toBeLessThan(15);
    const before = await mapView(page);
    // The zoom buttons, not the keys: a key pressed while the map takes the focus can be lost.
    const zoomIn = page.locator('.leaflet-control-zoom-in');
    await zoomIn.click();
    await expect.poll(async () => (await mapView(page))[2]).toBeGreaterThan(before[2]);
    const once = (await mapView(page))[2];
    await zoomIn.click();
    // The view is written when a zoom has ended: a drag during the zoom's animation is lost.
    await expect.poll(async () => (await mapView(page))[2]).toBeGreaterThan(once);
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 80, { steps: 8 });
    await page.mouse.up();
    const moved = await eventually(
      async () => {
        const v = await mapView(page);
        return v[2] > before[2] && v[0] !== before[0] ? v : null;
      },
      'the map to move',
      10_000,
    );

    // The camera list is the panel open at the reload.
    await page.getByTestId('tab-cameras').click();
    const grantsBefore = (await granted()).length;
    await page.reload();
    await page.getByTestId('console').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    await expect(page.getByTestId('tab-cameras').getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    for (const [i, camera] of onWall.entries()) {
      await expect(tileOf(page, i).getAttribute('data-camera-id')).resolves.toBe(camera.id);
    }
    for (const i of [0, 1, 2]) await expectPlaying(page, i, 30_000);
    await expect(page.getByTestId('assignment').textContent()).resolves.toContain(CASE_NUMBER);
    expect(await page.getByTestId('reason-dialog').count()).toBe(0);
    await page.getByTestId('tab-map').click();
    const after = await mapView(page);
    expect(after[2]).toBe(moved[2]);
    expect(after[0]).toBeCloseTo(moved[0], 4);
    expect(after[1]).toBeCloseTo(moved[1], 4);
    // Each tile carried on with the view it had, under the grant audited with the case when the
    // camera went up: the reload asked for no new grant.
    expect(await granted()).toHaveLength(grantsBefore);
    expect(grantsBefore).toBeGreaterThanOrEqual(3);
    // The signed-in console, wall playing, map shown: no serious WCAG 2.1 AA problem.
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
  }, 300_000);

  it('keeps a locked console locked', async () => {
    await page.getByTestId('lock-button').click();
    await page.getByTestId('lock-screen').waitFor();
    await page.reload();
    await page.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    await page.getByTestId('unlock-password').fill(analyst.password);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await expectPlaying(page, 0, 30_000);
  }, 120_000);

  it('opens a popped-out wall signed in, with controls in both windows, and signs both out together', async () => {
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('wall-pop-out').click(),
    ]);
    await popup.getByTestId('wall-window').waitFor({ timeout: 30_000 });
    expect(await popup.getByTestId('sign-in').count()).toBe(0);
    for (const i of [0, 1, 2]) await expectPlaying(popup, i, 30_000);
    // The console says where the wall is, and keeps its layout controls.
    await page.getByTestId('wall-away').waitFor();
    await expect(page.getByTestId('wall-away').textContent()).resolves.toMatch(/popped out/);
    await page.getByTestId('layout-3x3').waitFor();
    // Either window's controls change the wall in both.
    await popup.getByTestId('layout-3x3').click();
    await page.locator('[data-testid="layout-3x3"][aria-pressed="true"]').waitFor();
    await page.getByTestId('layout-2x2').click();
    await popup.locator('[data-testid="wall"][data-grid="2x2"]').waitFor();
    await expectPlaying(popup, 0, 30_000);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    await popup.getByTestId('sign-in').waitFor({ timeout: 30_000 });
  }, 180_000);
});
