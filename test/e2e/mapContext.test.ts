import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressMatch } from '../../shared/api/addresses';
import type { CameraListItem } from '../../shared/api/cameras';
import type { AgencyConfig } from '../../shared/domain/agency';
import { distanceMeters } from '../../shared/geo';
import { seriousAccessibilityProblems } from '../support/axe';
import { consoleContext, launchChromium, submitSignIn } from './support/chromium';
import { startDemoSite, type DemoSite } from './support/demoSite';

/**
 * The map's geographic context on the real demo site (docs/address-points.md): an analyst types
 * a demo address, the map pins it and lists the nearest cameras, streets are drawn and named at
 * street zoom, and "whole city" fits the jurisdiction.
 */

/** The demo's block at the downtown square, where its own cameras stand. */
const ADDRESS = '100 block N Main St';

let site: DemoSite;
let browser: Browser;
let page: Page;
let agency: AgencyConfig;
let cameras: readonly CameraListItem[];
let point: AddressMatch;

beforeAll(async () => {
  site = await startDemoSite();
  const token = await site.token(site.account('analyst'));
  agency = (await site.api<AgencyConfig>(token, 'GET', '/v1/agency')).body;
  cameras = (await site.api<{ items: CameraListItem[] }>(token, 'GET', '/v1/cameras?limit=1000'))
    .body.items;
  const found = await site.api<{ addresses: AddressMatch[] }>(
    token,
    'GET',
    `/v1/addresses?q=${encodeURIComponent(ADDRESS)}`,
  );
  point = found.body.addresses[0]!;
  browser = await launchChromium();
  page = await (await consoleContext(browser)).newPage();
  await page.goto(site.consoleUrl);
  await submitSignIn(page, site.account('analyst'));
  await page.getByTestId('console').waitFor({ timeout: 60_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await site?.stop();
}, 60_000);

/** What the map shows: [west, south, east, north] and its zoom. */
async function view(): Promise<{ box: number[]; zoom: number }> {
  const text = await page.locator('.leaflet-container').getAttribute('data-bounds');
  const n = (text ?? '').split(',').map(Number);
  return { box: n.slice(0, 4), zoom: n[4]! };
}

describe('the map gives context and goes to an address', () => {
  it('finds a demo address first, says what Enter does, and Enter pins it with the nearest cameras', async () => {
    expect(point).toMatchObject({ address: ADDRESS, rank: 'exact' });
    await page.getByTestId('tab-cameras').click();
    const search = page.getByTestId('camera-search');
    await search.fill(ADDRESS.toLowerCase());
    const first = page.locator('#camera-results > li').first();
    await expect
      .poll(() => first.getAttribute('data-testid'), { timeout: 15_000 })
      .toBe('place-row');
    await expect.poll(() => first.textContent()).toContain(ADDRESS);
    expect(await page.getByTestId('camera-search-hint').textContent()).toContain(
      'drops a pin there and lists the nearest cameras',
    );
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await search.press('Enter');
    await page.getByTestId('address-pin').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('radius-place').textContent()).toContain(ADDRESS);
    // The list is the radius tool's, around the pin: every camera within 300 m of the point.
    const near = cameras.filter((c) => distanceMeters(point, c) <= 300).length;
    expect(near).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.getByTestId('radius-results').getAttribute('data-count')))
      .toBe(near);
    const nearest = [...cameras].sort(
      (a, b) => distanceMeters(point, a) - distanceMeters(point, b),
    )[0]!;
    expect(await page.getByTestId('radius-result').first().getAttribute('data-camera-id')).toBe(
      nearest.id,
    );
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
  }, 120_000);

  it('flies to street zoom, where the streets are drawn and named', async () => {
    await expect.poll(async () => (await view()).zoom, { timeout: 15_000 }).toBe(17);
    const { box } = await view();
    expect(point.lng).toBeGreaterThan(box[0]!);
    expect(point.lng).toBeLessThan(box[2]!);
    expect(point.lat).toBeGreaterThan(box[1]!);
    expect(point.lat).toBeLessThan(box[3]!);
    expect(Number(await page.getByTestId('map').getAttribute('data-streets'))).toBeGreaterThan(100);
    await expect
      .poll(() => page.locator('.street-label').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const names = await page.locator('.street-label').allTextContents();
    expect(names).toContain('N Main St');
    expect(await page.getByTestId('basemap-note').textContent()).toContain(
      'Synthetic demo streets (not real geography)',
    );
  }, 60_000);

  it('"whole city" fits the jurisdiction, and street names give way at that zoom', async () => {
    await page.getByTestId('whole-city').click();
    const ring = (
      agency.jurisdiction.type === 'Polygon'
        ? agency.jurisdiction.coordinates
        : agency.jurisdiction.coordinates.flat()
    ).flat() as number[][];
    const west = Math.min(...ring.map((p) => p[0]!));
    const east = Math.max(...ring.map((p) => p[0]!));
    const south = Math.min(...ring.map((p) => p[1]!));
    const north = Math.max(...ring.map((p) => p[1]!));
    await expect
      .poll(
        async () => {
          const { box } = await view();
          return box[0]! <= west && box[1]! <= south && box[2]! >= east && box[3]! >= north;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    // Fitted, not merely zoomed out: the city fills the map in one direction at least.
    const { box } = await view();
    const fill = Math.max(
      (east - west) / (box[2]! - box[0]!),
      (north - south) / (box[3]! - box[1]!),
    );
    expect(fill).toBeGreaterThan(0.5);
    await expect.poll(() => page.locator('.street-label').count()).toBe(0);
  }, 60_000);

  it("on a laptop's 1366x768 screen the side tabs keep to one row, and arrows and keys reach each", async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('tab-map').click();
    const tabs = page.locator('[role="tab"]');
    const count = await tabs.count();
    expect(count).toBeGreaterThan(8);
    const strip = (await page.getByTestId('tabs').boundingBox())!;
    const first = (await tabs.first().boundingBox())!;
    // One row: every tab at the same height, the strip no taller than one tab and its padding.
    for (let i = 0; i < count; i += 1) {
      expect((await tabs.nth(i).boundingBox())!.y).toBeCloseTo(first.y, 0);
    }
    expect(strip.height).toBeLessThan(first.height * 1.6);
    // More tabs than fit: the arrow on the right says so, and the keys reach the last one.
    await expect.poll(() => page.getByTestId('tabs-after').isVisible()).toBe(true);
    expect(await page.getByTestId('tabs-before').isVisible()).toBe(false);
    await tabs.first().focus();
    await page.keyboard.press('End');
    const last = tabs.nth(count - 1);
    await expect.poll(() => last.getAttribute('aria-selected')).toBe('true');
    expect(await last.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const inside = async (el: typeof last) => {
      const box = (await el.boundingBox())!;
      const shown = (await page.getByTestId('tabs').boundingBox())!;
      return box.x >= shown.x - 1 && box.x + box.width <= shown.x + shown.width + 1;
    };
    await expect.poll(() => inside(last)).toBe(true);
    await expect.poll(() => page.getByTestId('tabs-before').isVisible()).toBe(true);
    // Left goes back one tab; Home goes to the first, scrolled into view.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => tabs.nth(count - 2).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    await expect.poll(() => tabs.first().getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => inside(tabs.first())).toBe(true);
    // The arrow scrolls the strip to the tabs beyond the edge.
    const scrolled = () => page.getByTestId('tabs').evaluate((el) => el.scrollLeft);
    expect(await scrolled()).toBe(0);
    await page.getByTestId('tabs-after').click();
    await expect.poll(scrolled).toBeGreaterThan(0);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
  }, 60_000);
});
