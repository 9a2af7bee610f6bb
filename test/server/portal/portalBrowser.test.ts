import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import { setAgency } from '../../../server/agency/agencyRepository';
import { upsertAddressPoints } from '../../../server/addresses/addressRepository';
import { streetLayerOf } from '../../../server/addresses/streetLayer';
import { demoGeography } from '../../../server/demo/demoStreets';
import { ELIGIBLE_ANSWER } from '../../../shared/domain/onlineReports';
import { TEST_CITY } from '../../support/testCity';
import { linkIn, startPortalApp, type PortalApp } from './portalSupport';

/**
 * The portal in Chromium on a phone's screen (390x844): a resident registers two cameras with
 * the keyboard and the form's own buttons, confirms by the emailed link, and the cameras are in
 * the registry; a reporter finds the address on the report form's map, over the agency's streets.
 * Nothing is wider than the screen and the CSP blocks nothing the pages use.
 */
describe('the portal in Chromium at 390x844', () => {
  let t: PortalApp;
  let browser: Browser;
  let base: string;
  const cspViolations: string[] = [];

  // The demo's streets and address points, in the test city: what a resident finds.
  const agency = { ...TEST_CITY, demo: true };
  const streets = streetLayerOf(agency)!;
  const MAIN = demoGeography(agency).addressPoints.find(
    (p) => p.address === '100 block N Main St',
  )!;

  beforeAll(async () => {
    t = await startPortalApp('pglite');
    await setAgency(t.store.store, agency, new Date(t.clock.now()));
    await upsertAddressPoints(
      t.store.store,
      new Date(t.clock.now()),
      demoGeography(agency).addressPoints,
    );
    await t.app.api.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.api.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phone(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  }

  async function fitsTheScreen(page: Page): Promise<void> {
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(390);
  }

  it('registers two cameras and confirms them by the emailed link', async () => {
    const page = await phone();
    await page.goto(`${base}/portal/`);
    await fitsTheScreen(page);
    await page.getByRole('link', { name: 'Register your security cameras' }).click();
    await page.getByLabel('A business').check();
    await page.getByLabel('Your name, or the business name').fill('Corner Market');
    await page.getByLabel('Email').fill('browser@example.org');
    await page.getByLabel('Phone').fill('336 555 0177');
    await page.getByLabel('Latitude').fill('36.1011');
    await page.getByLabel('Longitude').fill('-80.2451');
    await page.getByLabel('Street address (optional)').fill('200 W 4th St');
    await page.getByLabel('Direction it faces').selectOption('E');
    await page.getByLabel('What it covers').fill('The door and the sidewalk');
    await page.getByLabel('Days of footage it keeps').fill('21');
    await page.getByRole('button', { name: 'Add another camera' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Camera 2' }).count()).toBe(1);
    // What was typed for camera 1 is still there.
    expect(await page.locator('#c1_covers').inputValue()).toBe('The door and the sidewalk');
    await page.locator('#c2_lat').fill('36.1012');
    await page.locator('#c2_lng').fill('-80.2452');
    await page.locator('#c2_facing').selectOption('W');
    await page.locator('#c2_covers').fill('The parking lot');
    await page.locator('#c2_retention').fill('21');
    await fitsTheScreen(page);

    // Too quick: the form comes back with what was typed.
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.locator('.summary').count()).toBe(1);
    expect(await page.locator('#c2_covers').inputValue()).toBe('The parking lot');
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: /Send/ }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const mail = await t.mail.next('browser@example.org');
    await page.goto(`${base}${linkIn(mail, 'confirm')}`);
    await fitsTheScreen(page);
    await page.getByRole('button', { name: 'Confirm my registration' }).click();
    await page.getByRole('heading', { name: 'Your cameras are registered' }).waitFor();

    const res = await t.store.store.query<{ name: string }>(
      `select c.name from cameras c join camera_owner_contacts o on o.camera_id = c.id
       where o.email = 'browser@example.org' and c.status = 'active' order by c.name`,
    );
    expect(res.rows.map((r) => r.name)).toEqual([
      '200 W 4th St (camera 1)',
      // No address given: a neutral name, never the owner's.
      expect.stringMatching(/^Registered camera [0-9a-f]{8} \(camera 2\)$/),
    ]);
    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('finds an address on the report form: the streets are drawn, and the choice fills the fields and moves the pin', async () => {
    const page = await phone();
    await page.goto(`${base}/portal/reports`);
    for (const [q, answer] of Object.entries(ELIGIBLE_ANSWER)) {
      await page.locator(`input[name="elig_${q}"][value="${answer}"]`).check();
    }
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your report' }).waitFor();
    const map = page.getByRole('region', {
      name: /Map of the area: click or tap where it happened/,
    });
    // The console's street layer under the city's outline.
    await map.locator('path.street').first().waitFor({ state: 'attached' });
    expect(await map.locator('path.street').count()).toBe(streets.streets.length);
    expect(await map.textContent()).toContain(streets.attribution);
    expect(await map.locator('path.leaflet-interactive').count()).toBe(0);

    // By the keyboard: type, go down to the first match, choose it.
    const find = page.getByRole('searchbox', { name: 'Find the address' });
    await find.focus();
    await page.keyboard.type('100 block n main');
    const status = page.locator('#find-status');
    await expect.poll(() => status.textContent()).toMatch(/addresses? found: choose one/);
    expect(await status.getAttribute('role')).toBe('status');
    await page.keyboard.press('ArrowDown');
    // The first match, a button in the list, has the focus.
    expect(await page.evaluate('document.activeElement.tagName')).toBe('BUTTON');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(MAIN.address);
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('#address').inputValue()).toBe(MAIN.address);
    expect(Number(await page.locator('#lat').inputValue())).toBe(MAIN.lat);
    expect(Number(await page.locator('#lng').inputValue())).toBe(MAIN.lng);
    expect(await status.textContent()).toBe(
      `Location set to ${MAIN.address}. The pin is on the map.`,
    );
    expect(await page.evaluate('document.activeElement.id')).toBe('find');
    await expect.poll(() => map.locator('path.leaflet-interactive').count()).toBe(1);
    await fitsTheScreen(page);

    // The rest of the report, and it is kept where the chosen address is.
    await page.getByLabel('Kind of report').selectOption('theft_of_property');
    await page.locator('#occurredAt').fill('2026-01-14T21:30');
    await page
      .getByLabel('What happened', { exact: true })
      .fill('My bicycle was taken from the rack outside the shop on the corner.');
    await page.getByLabel('Property', { exact: true }).fill('A green city bicycle, worth $400.');
    await page.getByLabel('Your full name').fill('Robin Lee');
    await page.getByLabel('Your date of birth').fill('1988-02-03');
    await page.getByLabel('Email').fill('finder@example.org');
    await page.locator('#acknowledged').check();
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: 'Send my report' }).click();
    await page.getByRole('heading', { name: 'Your report is received' }).waitFor();
    const kept = await t.store.store.query<{ lat: number; lng: number; location_check: string }>(
      "select lat, lng, location_check from online_reports where reporter_email = 'finder@example.org'",
    );
    expect(kept.rows.map((r) => [Number(r.lat), Number(r.lng), r.location_check])).toEqual([
      [MAIN.lat, MAIN.lng, 'coordinates'],
    ]);
    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('shows each problem by its field, and the summary links to it', async () => {
    const page = await phone();
    await page.goto(`${base}/portal/cameras/register`);
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: /Send/ }).click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Enter your name, or the business name');
    const email = page.getByLabel('Email');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toContain('email-error');
    const link = summary.getByRole('link', { name: /email address/ });
    expect(await link.getAttribute('href')).toBe('#email');
    await fitsTheScreen(page);
    expect(cspViolations).toEqual([]);
  }, 60_000);
});
