import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { seriousAccessibilityProblems } from '../../support/axe';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import { setAgency } from '../../../server/agency/agencyRepository';
import { upsertAddressPoints } from '../../../server/addresses/addressRepository';
import { demoGeography } from '../../../server/demo/demoStreets';
import { ELIGIBLE_ANSWER } from '../../../shared/domain/onlineReports';
import { TEST_CITY } from '../../support/testCity';
import { linkIn, registrationFields, startPortalApp, type PortalApp } from './portalSupport';

/**
 * Every public page in Chromium at a phone's size (390x844) and a desktop's (1280x800), checked
 * with axe-core for serious WCAG 2.1 AA problems (there must be none), the forms' address search
 * with its matches listed; and the registration form's map pin: a click fills the two fields,
 * typing moves the pin, and without scripts the form still registers, map and search hidden.
 */

const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;

describe('the portal pages in Chromium', () => {
  let t: PortalApp;
  let browser: Browser;
  let base: string;
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await startPortalApp('pglite', { portalSubmissionsPerHour: 6 });
    // The demo's streets and address points: the map draws the streets, the search is offered.
    const agency = { ...TEST_CITY, demo: true };
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
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  async function open(opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: SIZES[0], ...opts });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  }

  /** axe-core at both sizes on the page as it stands; each problem named with where it was. */
  async function accessible(page: Page, label: string): Promise<string[]> {
    const found: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const p of await seriousAccessibilityProblems(page)) {
        found.push(`${label} at ${size.width}: ${p.rule} (${p.help}) on ${p.targets.join(', ')}`);
      }
    }
    return found;
  }

  it('has no serious accessibility problem on any public page, at either size', async () => {
    const problems: string[] = [];
    // A pending registration and a confirmed one, for the pages behind the emailed links.
    await t
      .visitor()
      .fill(
        '/portal/cameras/register',
        '/portal/cameras/register',
        registrationFields('pending@example.org'),
      );
    const confirmMail = await t.mail.next('pending@example.org');
    const confirmLink = linkIn(confirmMail, 'confirm');

    const page = await open();
    for (const [label, path] of [
      ['home', '/portal/'],
      ['register', '/portal/cameras/register'],
      ['manage-link', '/portal/cameras/manage'],
      ['transparency', '/portal/transparency'],
      ['transparency, a year', '/portal/transparency?period=2026'],
      ['confirm', confirmLink],
    ] as const) {
      await page.goto(`${base}${path}`);
      if (label === 'register') await page.locator('.pin-map svg path').first().waitFor();
      problems.push(...(await accessible(page, label)));
    }
    // The address search with its matches listed, on the register form.
    await page.goto(`${base}/portal/cameras/register`);
    await page.locator('#c1_find').fill('100 block');
    await page.locator('#c1_find-results button').first().waitFor();
    problems.push(...(await accessible(page, 'register, addresses found')));

    // The online report: the questions, then the form with its map and address search.
    await page.goto(`${base}/portal/reports`);
    problems.push(...(await accessible(page, 'report questions')));
    for (const [q, answer] of Object.entries(ELIGIBLE_ANSWER)) {
      await page.locator(`input[name="elig_${q}"][value="${answer}"]`).check();
    }
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.pin-map path.street').first().waitFor({ state: 'attached' });
    await page.locator('#find').fill('courthouse');
    await page.locator('#find-results button').first().waitFor();
    problems.push(...(await accessible(page, 'report form, addresses found')));
    await page.locator('#find-results button').first().click();
    await expect.poll(() => page.locator('#lat').inputValue()).not.toBe('');
    problems.push(...(await accessible(page, 'report form, address chosen')));

    // The register form with its problems shown.
    await page.goto(`${base}/portal/cameras/register`);
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: /Send/ }).click();
    await page.getByRole('alert').waitFor();
    problems.push(...(await accessible(page, 'register with errors')));

    // Confirm, then the manage page by its link, then the withdrawal's result.
    await page.goto(`${base}${confirmLink}`);
    await page.getByRole('button', { name: 'Confirm my registration' }).click();
    await page.getByRole('heading', { name: 'Your cameras are registered' }).waitFor();
    problems.push(...(await accessible(page, 'confirmed')));
    const manageLink = linkIn(await t.mail.next('pending@example.org', confirmMail.n), 'manage');
    await page.goto(`${base}${manageLink}`);
    await page.locator('.pin-map svg path').first().waitFor();
    problems.push(...(await accessible(page, 'manage')));
    await page.getByLabel('Yes, remove my cameras from the registry').check();
    await page.getByRole('button', { name: 'Withdraw my registration' }).click();
    await page.getByRole('heading', { name: 'Your registration is withdrawn' }).waitFor();
    problems.push(...(await accessible(page, 'withdrawn')));

    // Asking for links until the limit answers 429.
    for (let i = 0; i < 8; i += 1) {
      await page.goto(`${base}/portal/cameras/manage`);
      t.clock.advance(MIN_FILL_MS + 1000);
      await page.getByLabel('Email').fill('someone@example.org');
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.locator('h1').waitFor();
      if ((await page.locator('h1').textContent()) === 'Too many attempts') break;
    }
    expect(await page.locator('h1').textContent()).toBe('Too many attempts');
    problems.push(...(await accessible(page, '429')));

    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 240_000);

  it('fills the two fields from a click on the map, and moves the pin when they are typed', async () => {
    // The first test used up this address's hour of posts.
    t.clock.advance(3_600_000 + 1);
    const page = await open();
    await page.goto(`${base}/portal/cameras/register`);
    const map = page.getByRole('region', { name: /Map of the area for camera 1/ });
    await map.locator('svg path').first().waitFor();
    expect(await page.locator('#c1_lat').inputValue()).toBe('');
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('#c1_lat').inputValue()).not.toBe('');
    const lat = Number(await page.locator('#c1_lat').inputValue());
    const lng = Number(await page.locator('#c1_lng').inputValue());
    // Inside the test city's outline, which the map fits.
    expect(lat).toBeGreaterThan(35.9);
    expect(lat).toBeLessThan(36.3);
    expect(lng).toBeGreaterThan(-80.5);
    expect(lng).toBeLessThan(-80.0);
    const pin = map.locator('path.leaflet-interactive');
    expect(await pin.count()).toBe(1);
    const before = await pin.getAttribute('d');
    await page.locator('#c1_lat').fill(String(lat + 0.01));
    await expect.poll(() => pin.getAttribute('d')).not.toBe(before);

    // The pinned location registers like a typed one.
    await page.getByLabel('Me (a resident)').check();
    await page.getByLabel('Your name, or the business name').fill('Pin Tester');
    await page.getByLabel('Email').fill('pin@example.org');
    await page.getByLabel('Phone').fill('336 555 0199');
    await page.locator('#c1_lat').fill(String(lat));
    await page.locator('#c1_facing').selectOption('N');
    await page.locator('#c1_covers').fill('The porch');
    await page.locator('#c1_retention').fill('14');
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: /Send/ }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const res = await t.store.store.query<{ lat: number }>(
      "select submitted->0->>'lat' as lat from camera_registrations where email = 'pin@example.org'",
    );
    expect(Number(res.rows[0]?.lat)).toBeCloseTo(lat, 5);
    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('registers with the typed numbers when scripts are off, the map staying out of the way', async () => {
    t.clock.advance(3_600_000 + 1);
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${base}/portal/cameras/register`);
    expect(await page.locator('.pin-map').first().isVisible()).toBe(false);
    expect(await page.locator('.address-finder').first().isVisible()).toBe(false);
    await page.getByLabel('A business').check();
    await page.getByLabel('Your name, or the business name').fill('No Script Market');
    await page.getByLabel('Email').fill('noscript@example.org');
    await page.getByLabel('Phone').fill('336 555 0123');
    await page.getByLabel('Latitude').fill('36.1011');
    await page.getByLabel('Longitude').fill('-80.2451');
    await page.getByLabel('Direction it faces').selectOption('E');
    await page.getByLabel('What it covers').fill('The door');
    await page.getByLabel('Days of footage it keeps').fill('21');
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: /Send/ }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    expect(await t.count('camera_registrations', "email = 'noscript@example.org'")).toBe(1);
  }, 120_000);

  it('takes a report by its typed address when scripts are off, placed by the address point it names', async () => {
    t.clock.advance(3_600_000 + 1);
    const page = await open({ javaScriptEnabled: false });
    await page.goto(`${base}/portal/reports`);
    for (const [q, answer] of Object.entries(ELIGIBLE_ANSWER)) {
      await page.locator(`input[name="elig_${q}"][value="${answer}"]`).check();
    }
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your report' }).waitFor();
    expect(await page.locator('.pin-map').isVisible()).toBe(false);
    expect(await page.locator('.address-finder').isVisible()).toBe(false);
    await page.getByLabel('Kind of report').selectOption('vandalism');
    await page.locator('#occurredAt').fill('2026-01-14T21:30');
    await page.getByLabel('Street address or place').fill('100 block N Main St');
    await page
      .getByLabel('What happened', { exact: true })
      .fill('Someone sprayed paint over the front window of the shop overnight.');
    await page
      .getByLabel('Property', { exact: true })
      .fill('The shop window, about $300 to clean.');
    await page.getByLabel('Your full name').fill('No Script Reporter');
    await page.getByLabel('Your date of birth').fill('1985-07-08');
    await page.getByLabel('Email').fill('noscript.report@example.org');
    await page.locator('#acknowledged').check();
    t.clock.advance(MIN_FILL_MS + 1000);
    await page.getByRole('button', { name: 'Send my report' }).click();
    await page.getByRole('heading', { name: 'Your report is received' }).waitFor();
    const kept = await t.store.store.query<{ location_check: string }>(
      "select location_check from online_reports where reporter_email = 'noscript.report@example.org'",
    );
    expect(kept.rows).toEqual([{ location_check: 'address_point' }]);
  }, 120_000);
});
