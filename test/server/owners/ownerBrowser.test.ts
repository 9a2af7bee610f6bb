import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { seriousAccessibilityProblems } from '../../support/axe';
import type { TestUser } from '../../support/testApp';
import { MIN_FILL_MS } from '../../../server/portal/formGuard';
import { startPortalApp, type PortalApp } from '../portal/portalSupport';
import { codeAt, notACode, ownerLinkIn, ownersCamera } from './ownerSupport';

/**
 * An owner's pages in Chromium, on a phone (390x844) and a desktop (1280x800): sign in by the
 * emailed link, see the cameras, change a policy (with a mistake first), see who viewed them,
 * add an authenticator and sign in again with its code, raise and end an alarm, remove the
 * authenticator. axe-core finds no serious WCAG 2.1 AA problem on any page, nothing is wider than
 * a phone's screen, and the CSP blocks nothing the pages use.
 */
describe('the owners’ pages in Chromium', () => {
  let t: PortalApp;
  let browser: Browser;
  let base: string;
  let admin: TestUser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // One browser posts every form of the flow from one address: more than the default limit.
    t = await startPortalApp('pglite', { portalSubmissionsPerHour: 1000 });
    await t.app.api.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.api.server.address() as AddressInfo).port}`;
    admin = await t.user('admin');
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  }

  /** Every page the owner sees is checked the same way. */
  async function check(page: Page, width: number, what: string): Promise<void> {
    expect(await seriousAccessibilityProblems(page), what).toEqual([]);
    const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(scroll, what).toBeLessThanOrEqual(width);
  }

  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    it(`works at ${width}x${height} with no serious accessibility problem`, async () => {
      const owner = `browser.owner.${width}@example.org`;
      const camera = await ownersCamera(t, admin, owner, { name: `Shop front ${width}` });
      await ownersCamera(t, admin, owner, { name: `Stockroom ${width}`, keeper: 'agency' });
      // Someone at the center viewed the shop front.
      const analyst = await t.user('analyst');
      const grant = await t.as(analyst, 'POST', `/v1/cameras/${camera.id}/grants`, {
        reason: { code: 'camera_pull', reference: 'CASE-2026-0101' },
        access: 'live',
      });
      expect(grant.statusCode).toBe(200);

      const page = await open(width, height);
      await page.goto(`${base}/portal/owners/sign-in`);
      await check(page, width, 'ask for a link');
      await page.getByLabel('Email').fill(owner);
      t.clock.advance(MIN_FILL_MS + 1000);
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await page.goto(`${base}${ownerLinkIn(await t.mail.next(owner))}`);
      await check(page, width, 'the link’s page');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Your cameras' }).waitFor();
      await check(page, width, 'the cameras');
      expect(await page.getByText('keeps this camera’s policy on your behalf').count()).toBe(1);

      await page.getByRole('link', { name: `Change what “Shop front ${width}” shares` }).click();
      await page.getByRole('heading', { name: `What “Shop front ${width}” shares` }).waitFor();
      await check(page, width, 'the policy form');
      await page.getByLabel('Only in the weekly windows below').check();
      await page.getByRole('button', { name: 'Add a weekly window' }).click();
      await page.getByRole('group', { name: 'Window 1' }).waitFor();
      t.clock.advance(MIN_FILL_MS + 1000);
      // No day ticked: the form comes back with the message tied to the days.
      await page.getByRole('button', { name: /Save/ }).click();
      await page.locator('.summary').waitFor();
      await check(page, width, 'the policy form with a mistake');
      expect(await page.locator('#w1_mon').getAttribute('id')).toBe('w1_mon');
      expect(await page.locator('[aria-describedby~="w1_mon-error"]').count()).toBe(1);
      await page.getByRole('link', { name: /at least one day/ }).click();
      await page.getByRole('checkbox', { name: 'Sat' }).check();
      await page.getByRole('checkbox', { name: 'Sun' }).check();
      t.clock.advance(MIN_FILL_MS + 1000);
      await page.getByRole('button', { name: /Save/ }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      await page.getByRole('link', { name: 'Who viewed them' }).click();
      await page.getByRole('heading', { name: 'Who viewed your cameras' }).waitFor();
      await check(page, width, 'who viewed');
      expect(await page.getByRole('cell', { name: 'CASE-2026-0101' }).count()).toBe(1);

      await page.getByRole('link', { name: 'Sign-in security' }).click();
      await check(page, width, 'sign-in security');
      await page.getByRole('button', { name: 'Add an authenticator app' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      await check(page, width, 'the authenticator’s QR code');
      const secret = (await page.locator('code').innerText()).trim();
      await page.getByLabel('The 6-digit code from the app').fill('000000');
      await page.getByRole('button', { name: 'Add the app' }).click();
      await page.locator('#code-error').waitFor();
      await check(page, width, 'a wrong code');
      await page.getByLabel('The 6-digit code from the app').fill(await codeAt(t, secret));
      await page.getByRole('button', { name: 'Add the app' }).click();
      await page.getByRole('status').filter({ hasText: 'is added' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
      await check(page, width, 'signed out');
      t.clock.advance(60_000);
      await page.goto(`${base}/portal/owners/sign-in`);
      await page.getByLabel('Email').fill(owner);
      t.clock.advance(MIN_FILL_MS + 1000);
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      const first = await t.mail.next(owner);
      await page.goto(`${base}${ownerLinkIn(await t.mail.next(owner, first.n))}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
      await check(page, width, 'the code page');
      await page
        .getByLabel('The 6-digit code from your authenticator app')
        .fill(await codeAt(t, secret));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Your cameras' }).waitFor();

      await page.getByLabel('15 minutes').check();
      await page.getByRole('button', { name: 'Raise an alarm: share everything now' }).click();
      await page.getByRole('heading', { name: 'Your alarm is raised' }).waitFor();
      await check(page, width, 'an alarm raised');
      await page.getByRole('button', { name: 'End the alarm now' }).click();
      await page.getByRole('status').filter({ hasText: 'Your alarm has ended.' }).waitFor();

      // The app is removed with a code it shows now (one newer than the sign-in's).
      t.clock.advance(30_000);
      await page.getByRole('link', { name: 'Sign-in security' }).click();
      await page.getByRole('heading', { name: 'Remove the app' }).waitFor();
      await check(page, width, 'the authenticator’s removal');
      await page.getByLabel('The 6-digit code from the app').fill(await notACode(t, secret));
      await page.getByRole('button', { name: 'Remove the app' }).click();
      await page.locator('#code-error').waitFor();
      await check(page, width, 'a wrong code to remove the app');
      await page.getByLabel('The 6-digit code from the app').fill(await codeAt(t, secret));
      await page.getByRole('button', { name: 'Remove the app' }).click();
      await page.getByRole('status').filter({ hasText: 'is removed' }).waitFor();
      expect(await page.getByRole('button', { name: 'Add an authenticator app' }).count()).toBe(1);
      expect(cspViolations).toEqual([]);
    }, 180_000);
  }
});
