import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraListItem } from '../../shared/api/cameras';
import type { AuditRowDto } from '../../shared/api/audit';
import type { CaseEvidence } from '../../shared/api/evidence';
import { runServerCommand } from '../../server/cli/commands';
import { exportProblem } from '../../server/auditReview/auditExport';
import type { ExportSignature } from '../../shared/api/auditReview';
import { decideAccess } from '../../shared/policy/decideAccess';
import type { AgencyConfig } from '../../shared/domain/agency';
import { CAMERA_KINDS } from '../../shared/domain/cameras';
import { distanceMeters, type LatLng } from '../../shared/geo';
import { evaluateSharingPolicy } from '../../shared/policy/evaluateSharingPolicy';
import { ELIGIBILITY_QUESTIONS, ELIGIBLE_ANSWER } from '../../shared/domain/onlineReports';
import { DEMO_OWNER_EMAIL } from '../../server/demo/demoOwner';
import { MIN_FILL_MS } from '../../server/portal/formGuard';
import { questionText } from '../../server/portal/reportForm';
import { consoleContext, launchChromium, submitSignIn } from './support/chromium';
import {
  dragFromCameraList as dragOntoTile,
  expectPlaying as expectTilePlaying,
  giveReason as answerReason,
  signedInPage as signedInAt,
  tileFigures,
  tileOf,
} from './support/consolePage';
import { demoTipLinePhone } from './support/demoTipLine';
import {
  eventually,
  nextCode,
  startDemoSite,
  type Account,
  type ApiReply,
  type DemoSite,
} from './support/demoSite';

/**
 * A shift at the web console, against the real demo site started as `npm start` starts it: one
 * demo site and one browser for the whole file, the scenarios in the order an analyst meets them.
 * (That the page never holds a token or password is test/electron/host/web/rendererSecrets.test.ts.)
 */

const CASE_NUMBER = '2026-004512';
const LAYOUT_NAME = 'Downtown watch';
const RADIUS_M = 3000;
/**
 * The circle sits at the map's centre, which Leaflet keeps to a whole pixel: at the zoom that
 * shows the whole city a pixel is some 50 m, so distances are compared within this margin.
 */
const CENTRE_TOLERANCE_M = 100;

const INCIDENT_NUMBER = '2026-011873';
/** The call the center's-record scenario works: a robbery, its pull and its products. */
const RECORD_INCIDENT = '2026-011950';
/** The priority 1 call the demo's CAD connector posts downtown. */
const DOCKED_INCIDENT_NUMBER = '2026-011901';
/** The tipster's phone: a fictional number none of the demo's own tipsters use. */
const TIPSTER_NUMBER = '+13365550199';
/** That number however a page might write it: +1 336 555 0199, (336) 555-0199, 3365550199... */
const TIPSTER_NUMBER_WRITTEN = /336\D{0,3}555\D{0,2}0199/;

/** A command's standard output (poppler's tools here). */
const run = async (
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> =>
  (
    await promisify(execFile)(file, [...args], {
      cwd: ROOT,
      env,
      maxBuffer: 16 * 1024 * 1024,
    })
  ).stdout;

/** The project's root, where `npm run wf` runs. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a page element offers to the few functions that run inside the page here. */
interface ElementLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { readonly textContent: string | null } | null;
}

/** What the page's <img> and <video> offer to the checks below. */
interface MediaElementLike {
  readonly complete?: boolean;
  readonly naturalWidth?: number;
  readonly readyState?: number;
  readonly videoWidth?: number;
  readonly videoHeight?: number;
}

let site: DemoSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let analyst: Account;
let adminToken: string;
let analystToken: string;
let agency: AgencyConfig;
let cameras: readonly CameraListItem[];
/** What the page fetched from /media/ over HTTP, and the WebSockets it opened. */
const mediaHttpRequests: string[] = [];
const sockets: string[] = [];
const mediaSocketQueries: string[] = [];
const lockedOut: Account = { username: 'night-analyst', password: 'a long and correct password' };
let lockedOutId: string;

beforeAll(async () => {
  site = await startDemoSite({
    // The resident, the owner and the citizen below all post from this one address, more forms
    // in an hour than the portal's limit per address allows one person.
    env: { WF_PORTAL_SUBMISSIONS_PER_ADDRESS: '100' },
  });
  analyst = site.account('analyst');
  adminToken = await site.token(site.account('admin'));
  analystToken = await site.token(analyst);
  // A second analyst who will lock their own account, so that the others can still sign in.
  const created = await site.api<{ id: string }>(adminToken, 'POST', '/v1/users', {
    username: lockedOut.username,
    role: 'analyst',
    password: lockedOut.password,
  });
  expect(created.status).toBe(201);
  lockedOutId = created.body.id;
  agency = (await site.api<AgencyConfig>(analystToken, 'GET', '/v1/agency')).body;
  const list = await site.api<{ items: CameraListItem[]; nextCursor: string | null }>(
    analystToken,
    'GET',
    '/v1/cameras?limit=1000',
  );
  expect(list.body.nextCursor).toBeNull();
  cameras = list.body.items;
  browser = await launchChromium();
  context = await consoleContext(browser);
  page = await context.newPage();
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/media/')) mediaHttpRequests.push(r.url());
  });
  page.on('websocket', (ws) => {
    const path = new URL(ws.url()).pathname;
    sockets.push(path);
    if (path !== '/media-socket') return;
    ws.on('framesent', (f) => {
      const query = /"query":"([^"]*)"/.exec(String(f.payload))?.[1];
      if (query) mediaSocketQueries.push(query);
    });
  });
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await site?.stop();
}, 60_000);

const tile = (index: number): Locator => tileOf(page, index);

async function audit(query: string): Promise<AuditRowDto[]> {
  const reply = await site.api<{ rows: AuditRowDto[] }>(adminToken, 'GET', `/v1/audit?${query}`);
  expect(reply.status).toBe(200);
  return reply.body.rows;
}

/** Whether the owner shares the camera now, and will for the length of this file. */
function sharedNow(camera: CameraListItem): boolean {
  if (camera.kind === 'registered') return false;
  if (!camera.sharing) return true;
  const now = Date.now();
  const decision = evaluateSharingPolicy(camera.sharing, {
    at: now,
    timeZone: agency.timeZone,
    alarmActive: camera.alarmActive,
    access: 'live',
  });
  return decision.allowed && (decision.until === null || decision.until > now + 30 * 60_000);
}

/** The centre of the map as it opens: Leaflet fits the jurisdiction with even padding. */
function openingCentre(): LatLng {
  const rings =
    agency.jurisdiction.type === 'Polygon'
      ? [agency.jurisdiction.coordinates[0] ?? []]
      : agency.jurisdiction.coordinates.map((polygon) => polygon[0] ?? []);
  const points = rings.flat();
  const lats = points.map((p) => p[1]!);
  const lngs = points.map((p) => p[0]!);
  // Web Mercator: the centre between north and south is taken on the projected map.
  const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const midY = (y(Math.min(...lats)) + y(Math.max(...lats))) / 2;
  return {
    lat: (Math.atan(Math.sinh(midY)) * 180) / Math.PI,
    lng: (Math.min(...lngs) + Math.max(...lngs)) / 2,
  };
}

/** Starts noting every tile state other than "live" that any tile passes through. */
async function watchTileStates(): Promise<void> {
  // Run in the page, as written (this file is type-checked without the DOM's types).
  await page.evaluate(`(() => {
    const seen = [];
    const observer = new MutationObserver((changes) => {
      for (const c of changes) {
        const state = c.target.getAttribute('data-state');
        if (state !== 'live') seen.push('tile ' + c.target.getAttribute('data-tile-index') + ': ' + state);
      }
    });
    for (const t of document.querySelectorAll('[data-testid="wall-tile"]')) {
      observer.observe(t, { attributes: true, attributeFilter: ['data-state'] });
    }
    globalThis.tileStatesSeen = seen;
    globalThis.stopTileStates = () => observer.disconnect();
  })()`);
}

/** The states noted since watchTileStates, and stops noting. */
async function tileStatesSeen(): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { tileStatesSeen: string[]; stopTileStates: () => void };
    g.stopTileStates();
    return g.tileStatesSeen;
  });
}

/** A call posted as the demo CAD connector posts it, with the key the demo seed wrote. */
async function postDemoCadCall(
  call: Record<string, unknown>,
): Promise<ApiReply<{ incidents: { id: string; created: boolean }[] }>> {
  const { cad } = JSON.parse(
    await readFile(join(site.dataDir, 'demo-integrations.json'), 'utf8'),
  ) as { cad: { key: string } };
  return site.api(cad.key, 'POST', '/v1/ingest/cad/incidents', call);
}

/**
 * Clicks a button that downloads a PDF, then reads it as a person would: poppler renders each
 * page to an image (counted), and its text and embedded images are extracted.
 */
async function downloadedPdf(
  p: Page,
  button: Locator,
): Promise<{ pages: number; text: string; images: number }> {
  const [download] = await Promise.all([p.waitForEvent('download'), button.click()]);
  const dir = await mkdtemp(join(tmpdir(), 'wf-e2e-pdf-'));
  try {
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect((await readFile(file)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await run('pdftoppm', ['-r', '40', '-png', file, join(dir, 'page')]);
    const pages = (await readdir(dir)).filter((f) => /^page-\d+\.png$/.test(f)).length;
    const text = (await run('pdftotext', ['-layout', file, '-'])).replace(/[ \t]+/g, ' ');
    const listed = (await run('pdfimages', ['-list', file])).trim().split('\n').slice(2);
    return { pages, text, images: listed.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("an analyst's shift at the web console", () => {
  it('someone who gets the password wrong five times is locked out, and then even the right password is refused without being tried', async () => {
    await page.goto(site.consoleUrl);
    const failures = async () =>
      (await audit(`action=auth.login&targetId=${lockedOutId}`)).filter(
        (r) => r.outcome === 'failure',
      );
    for (let attempt = 1; attempt <= 5; attempt++) {
      await submitSignIn(page, {
        username: lockedOut.username,
        password: `wrong guess ${attempt}`,
      });
      await eventually(
        async () => (await failures()).length === attempt,
        `failed attempt ${attempt} to be recorded`,
        20_000,
      );
      await expect(page.getByTestId('sign-in-error').textContent()).resolves.toMatch(
        /Sign-in failed/,
      );
    }
    const lockouts = await audit(`action=auth.lockout&targetId=${lockedOutId}`);
    expect(lockouts).toHaveLength(1);

    // Past the failures the lockout allows, even the right password is not tried: the account is
    // throttled, and the console says for how long.
    await submitSignIn(page, lockedOut);
    await eventually(
      async () =>
        /Too many failed sign-ins for this account: try again in \d+ minutes?/.test(
          (await page.getByTestId('sign-in-error').textContent()) ?? '',
        ),
      'the throttled attempt to be refused',
      20_000,
    );
    expect(await failures()).toHaveLength(5);
    expect(await page.getByTestId('console').count()).toBe(0);
    const users = await site.api<{ users: { username: string; lockedUntil: string | null }[] }>(
      adminToken,
      'GET',
      '/v1/users',
    );
    const locked = users.body.users.find((u) => u.username === lockedOut.username);
    expect(Date.parse(locked?.lockedUntil ?? '')).toBeGreaterThan(Date.now() + 9 * 60_000);
  });

  it('the analyst signs in and the console opens', async () => {
    await page.goto(site.consoleUrl);
    await submitSignIn(page, analyst);
    await page.getByTestId('console').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('analyst');
  });

  it('sees the three camera layers, each with as many cameras as the server holds of its kind', async () => {
    await page.locator('[data-testid="map-layers"][data-status="ready"]').waitFor({
      timeout: 60_000,
    });
    for (const kind of CAMERA_KINDS) {
      const expected = cameras.filter((c) => c.kind === kind).length;
      expect(expected).toBeGreaterThan(0);
      const count = page.getByTestId(`layer-count-${kind}`);
      expect(Number(await count.getAttribute('data-count'))).toBe(expected);
      expect(await count.textContent()).toBe(expected.toLocaleString('en-US'));
      expect(await page.getByTestId(`layer-toggle-${kind}`).isChecked()).toBe(true);
    }
    // The cameras are drawn on the map, not only counted.
    const drawn = await page.locator('.leaflet-container').getAttribute('data-drawn-items');
    expect(Number(drawn)).toBeGreaterThan(0);
    // The owners' cameras that are not shared at this minute are counted, as the server decides.
    const closedNow = cameras.filter(
      (c) =>
        c.kind === 'integrated' && !decideAccess(c, 'live', Date.now(), agency.timeZone).allowed,
    ).length;
    expect(closedNow).toBeGreaterThan(0);
    await page
      .locator(`[data-testid="layer-count-closed"][data-count="${closedNow}"]`)
      .waitFor({ timeout: 10_000 });
    // The map's note keeps clear of its controls: the zoom, the tools, the layers and the scale.
    const note = (await page.getByTestId('basemap-note').boundingBox())!;
    for (const control of [
      page.getByTestId('map-layers'),
      page.getByTestId('radius-tool'),
      page.locator('.leaflet-control-zoom'),
      page.locator('.leaflet-control-scale'),
    ]) {
      const box = (await control.boundingBox())!;
      const apart =
        note.x + note.width <= box.x ||
        box.x + box.width <= note.x ||
        note.y + note.height <= box.y ||
        box.y + box.height <= note.y;
      expect(apart).toBe(true);
    }
  });

  it('uses the radius tool and sees the cameras within the radius, nearest first', async () => {
    await page.getByTestId('radius-tool').click();
    await page.getByTestId('radius-hint').waitFor();
    // Enter on the focused map puts the circle at the map's centre.
    await page.locator('.leaflet-container').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('radius-input').fill(String(RADIUS_M));
    const results = page.getByTestId('radius-results');
    await results.filter({ hasText: `within ${RADIUS_M} m` }).waitFor();

    const rows = await page.getByTestId('radius-result').evaluateAll((els: ElementLike[]) =>
      els.map((e) => ({
        id: e.getAttribute('data-camera-id') ?? '',
        distance: e.querySelector('.dist')?.textContent ?? '',
      })),
    );
    const listed = rows.map((r) => ({ id: r.id, distanceM: Number(r.distance.replace(' m', '')) }));
    const count = Number(await results.getAttribute('data-count'));
    expect(count).toBeGreaterThan(10);
    expect(listed).toHaveLength(count);
    const byKind = await Promise.all(
      CAMERA_KINDS.map(async (k) =>
        Number(await page.getByTestId(`radius-count-${k}`).getAttribute('data-count')),
      ),
    );
    expect(byKind.reduce((a, b) => a + b, 0)).toBe(count);
    for (const [i, hit] of listed.entries()) {
      expect(hit.distanceM).toBeLessThanOrEqual(RADIUS_M);
      if (i > 0) expect(hit.distanceM).toBeGreaterThanOrEqual(listed[i - 1]!.distanceM);
    }

    // The same cameras the registry places within the radius of the map's centre.
    const centre = openingCentre();
    const ids = new Set(listed.map((h) => h.id));
    for (const camera of cameras) {
      const d = distanceMeters(centre, camera);
      if (d < RADIUS_M - CENTRE_TOLERANCE_M) expect(ids.has(camera.id), camera.name).toBe(true);
      if (d > RADIUS_M + CENTRE_TOLERANCE_M) expect(ids.has(camera.id), camera.name).toBe(false);
    }
    for (const hit of listed) {
      const camera = cameras.find((c) => c.id === hit.id)!;
      expect(Math.abs(distanceMeters(centre, camera) - hit.distanceM)).toBeLessThan(
        CENTRE_TOLERANCE_M,
      );
    }
  });

  it('drops the nearest integrated camera its owner shares now on a tile, with a reason and case number, and watches it play', async () => {
    const hits = await page
      .getByTestId('radius-result')
      .evaluateAll((els: ElementLike[]) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
    const nearest = hits
      .map((id) => cameras.find((c) => c.id === id)!)
      .find((c) => c.kind === 'integrated' && sharedNow(c));
    expect(nearest).toBeDefined();
    const camera = nearest!;

    await page
      .locator(`[data-testid="radius-result"][data-camera-id="${camera.id}"]`)
      .dragTo(tile(0));
    await expect(page.getByTestId('reason-cameras').textContent()).resolves.toBe(camera.name);
    // The required field has the focus, not the first radio button.
    await expect(
      page
        .getByTestId('reason-reference')
        .evaluate(
          (el: { ownerDocument: { activeElement: unknown } }) =>
            el.ownerDocument.activeElement === el,
        ),
    ).resolves.toBe(true);
    await answerReason(page, CASE_NUMBER);

    await expect(tile(0).getAttribute('data-camera-id')).resolves.toBe(camera.id);
    await expect(tile(0).getByTestId('tile-name').textContent()).resolves.toBe(camera.name);
    await expectTilePlaying(page, 0, 90_000);
    // The tile's playlists and parts came over the page's one media socket, not HTTP requests.
    expect(sockets).toContain('/media-socket');
    expect(mediaHttpRequests.filter((u) => /\.(m3u8|m4s|mp4)(\?|$)/.test(u))).toEqual([]);
    // ...in low-latency mode: playlist reloads held until the next part exists.
    expect(mediaSocketQueries.some((q) => /_HLS_msn=\d+&_HLS_part=\d+/.test(q))).toBe(true);
    await expect(page.getByTestId('assignment').textContent()).resolves.toContain(CASE_NUMBER);
    // The view was granted for that reason and case, and the trail says so.
    const granted = await audit(`action=stream.grant&targetId=${camera.id}`);
    expect(granted.some((r) => JSON.stringify(r.details).includes(CASE_NUMBER))).toBe(true);
  }, 150_000);

  it('fills a 2x2 wall, maximises a tile and restores it, saves the layout, clears the wall and recalls it', async () => {
    await page.getByTestId('layout-2x2').click();
    await expect(page.getByTestId('wall').getAttribute('data-grid')).resolves.toBe('2x2');
    const onWall = await tile(0).getAttribute('data-camera-id');
    const more = cameras
      .filter((c) => c.id !== onWall && c.kind !== 'registered' && sharedNow(c))
      .slice(0, 3);
    expect(more).toHaveLength(3);
    // Three more cameras under the working case: no dialog for any of them, each tile marked
    // with the case it is viewed under, and each view granted and audited with it.
    for (const [i, camera] of more.entries()) {
      await dragOntoTile(page, camera, i + 1);
      await tile(i + 1)
        .and(page.locator(`[data-camera-id="${camera.id}"]`))
        .waitFor();
      expect(await page.getByTestId('reason-dialog').count()).toBe(0);
      await expect(
        tile(i + 1)
          .getByTestId('tile-case')
          .textContent(),
      ).resolves.toBe(CASE_NUMBER);
    }
    const wallIds = [onWall!, ...more.map((c) => c.id)];
    for (let i = 0; i < 4; i++) await expectTilePlaying(page, i, 120_000);
    for (const camera of more) {
      const granted = await audit(`action=stream.grant&targetId=${camera.id}`);
      expect(granted.some((r) => JSON.stringify(r.details).includes(CASE_NUMBER))).toBe(true);
    }

    // Maximise tile 2: it covers the wall and changes to the main stream; restore: back to a
    // quarter and the substream. The covered tiles never leave "live", and every one keeps decoding.
    await watchTileStates();
    const shownHeight = () =>
      tile(1)
        .locator('video:not(.standby)')
        .evaluate((v) => (v as MediaElementLike).videoHeight ?? 0);
    const subHeight = await shownHeight();
    const wallBox = (await page.getByTestId('wall').boundingBox())!;
    await tile(1).hover();
    await tile(1).getByTestId('tile-maximize').click();
    await expect(page.getByTestId('wall').getAttribute('data-maximized')).resolves.toBe('1');
    await expect(tile(1).getAttribute('data-maximized')).resolves.toBe('true');
    expect((await tile(1).boundingBox())!.width).toBeGreaterThan(wallBox.width * 0.9);
    await eventually(async () => (await shownHeight()) > subHeight, 'the main stream', 30_000);
    // The tile under the maximised one keeps decoding, hidden, so that a restore shows it at once.
    const covered = await tileFigures(page, 0);
    await eventually(
      async () => (await tileFigures(page, 0)).decodedFrames > covered.decodedFrames,
      'the covered tile to keep decoding',
      10_000,
    );
    await page.getByTestId('wall-restore').click();
    await expect(page.getByTestId('wall').getAttribute('data-maximized')).resolves.toBe('');
    expect((await tile(1).boundingBox())!.width).toBeLessThan(wallBox.width * 0.6);
    await eventually(async () => (await shownHeight()) === subHeight, 'the substream', 30_000);
    for (let i = 0; i < 4; i++) await expectTilePlaying(page, i, 10_000);
    // The tiles under the maximised one never left live. The maximised tile itself may pass
    // through "reconnecting" when its main stream takes longer than the start timeout to come, as
    // it does when the machine is loaded (docs/console.md, "Maximise and restore"); it plays again
    // on the main stream and back on the substream, as checked above.
    expect((await tileStatesSeen()).filter((s) => !s.startsWith('tile 1: '))).toEqual([]);

    await page.getByTestId('layouts-menu').click();
    await page.getByTestId('save-layout').click();
    await page.getByTestId('layout-name').fill(LAYOUT_NAME);
    await page.getByTestId('layout-save-submit').click();
    await page.getByTestId('save-layout-dialog').waitFor({ state: 'detached' });
    const saved = await site.api<{
      layouts: { name: string; layout: { grid: string; tiles: (string | null)[] } }[];
    }>(analystToken, 'GET', '/v1/layouts');
    const layout = saved.body.layouts.find((l) => l.name === LAYOUT_NAME);
    expect(layout?.layout.grid).toBe('2x2');
    expect(layout?.layout.tiles.slice(0, 4)).toEqual(wallIds);

    for (let i = 0; i < 4; i++) {
      await tile(i).hover();
      await tile(i).getByTestId('tile-clear').click();
      await expect(tile(i).getAttribute('data-camera-id')).resolves.toBe('');
    }

    await page.getByTestId('layouts-menu').click();
    await page.locator(`[data-testid="saved-layout"][data-name="${LAYOUT_NAME}"]`).click();
    for (const [i, id] of wallIds.entries()) {
      await tile(i)
        .and(page.locator(`[data-camera-id="${id}"]`))
        .waitFor();
    }
    // Already viewed under this case during the shift: no second question.
    expect(await page.getByTestId('reason-dialog').count()).toBe(0);
    for (let i = 0; i < 4; i++) await expectTilePlaying(page, i, 60_000);
  }, 300_000);

  it("shows a camera outside its owner's sharing window as not shared now, and asks no reason for it", async () => {
    const closed = cameras.find(
      (c) =>
        c.kind === 'integrated' &&
        c.sharing?.mode === 'schedule' &&
        c.sharing.windows.length === 1 &&
        c.sharing.windows[0]!.days.join() === 'sun' &&
        c.sharing.windows[0]!.start === '03:00' &&
        c.sharing.windows[0]!.end === '03:01',
    );
    expect(closed).toBeDefined();
    const camera = closed!;
    const decision = evaluateSharingPolicy(camera.sharing!, {
      at: Date.now(),
      timeZone: agency.timeZone,
      alarmActive: camera.alarmActive,
      access: 'live',
    });
    expect(decision.allowed).toBe(false);

    await dragOntoTile(page, camera, 3);
    // The row said so before anything was committed to.
    const row = page.locator(`[data-testid="camera-row"][data-camera-id="${camera.id}"]`);
    await expect(row.getByTestId('viewable-mark').getAttribute('data-viewable')).resolves.toBe(
      'false',
    );
    const notice = page.getByTestId('notice').filter({ hasText: camera.name });
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('cannot be viewed now');
    expect(text).toContain('Sun 03:00–03:01');
    if (!decision.allowed) expect(text).toContain(decision.reason.replace(/\.$/, ''));
    expect(await page.getByTestId('reason-dialog').count()).toBe(0);
    expect(await tile(3).getAttribute('data-camera-id')).not.toBe(camera.id);
    // Nothing was asked of the server, so the audit has no view that never happened.
    expect(await audit(`action=stream.grant&targetId=${camera.id}`)).toEqual([]);
  });

  it("a priority 1 incident posted by its key docks the nearest four cameras on the signed-in analyst's wall, playing, with no click", async () => {
    // Posted with the demo site's CAD connector key; the demo rules dock P1 calls.
    const number = DOCKED_INCIDENT_NUMBER;
    const posted = await postDemoCadCall({
      number,
      callType: { code: 'SHOTS', text: 'Shots fired' },
      priority: 1,
      status: 'pending',
      location: { address: 'Courthouse Square', position: { lat: 36.0968, lon: -80.2437 } },
      receivedAt: new Date().toISOString(),
    });
    expect(posted.status).toBe(200);
    const incidentId = posted.body.incidents[0]!.id;
    const nearest = await site.api<{ docked: { camera: { id: string } }[] }>(
      analystToken,
      'GET',
      `/v1/docking/incident/${incidentId}/nearest`,
    );
    const expected = nearest.body.docked.map((c) => c.camera.id);
    expect(expected).toHaveLength(4);

    await page
      .getByTestId('wall')
      .and(page.locator('[data-grid="2x2"]'))
      .waitFor({ timeout: 30_000 });
    for (const [i, id] of expected.entries()) {
      await tile(i)
        .and(page.locator(`[data-camera-id="${id}"]`))
        .waitFor({ timeout: 30_000 });
    }
    for (let i = 0; i < 4; i++) await expectTilePlaying(page, i, 60_000);
    // Nobody was asked for a reason: each view was granted for the incident, and audited so.
    expect(await page.getByTestId('reason-dialog').count()).toBe(0);
    for (const id of expected) {
      const granted = await audit(`action=stream.grant&targetId=${id}`);
      expect(
        granted.some(
          (r) =>
            r.outcome === 'success' &&
            JSON.stringify(r.details).includes('active_incident') &&
            JSON.stringify(r.details).includes(number),
        ),
      ).toBe(true);
    }
  }, 150_000);

  it('a tip texted with a photo and a video arrives live; the analyst opens its media for a reason, triages it, links it to an incident, takes it and replies, never seeing the number', async () => {
    const phone = await demoTipLinePhone(site);
    // Access tokens live five minutes: those from the start of the shift have run out.
    adminToken = await site.token(site.account('admin'));
    analystToken = await site.token(analyst);
    const tipMediaRequests: string[] = [];
    const serverRequests: string[] = [];
    page.on('request', (r) => {
      const url = r.url();
      if (new URL(url).pathname.startsWith('/tip-media/')) tipMediaRequests.push(url);
      if (url.startsWith(site.serverUrl)) serverRequests.push(url);
    });
    await page.getByTestId('tab-tips').click();
    await page.getByTestId('tips-panel').waitFor();

    // The demo's own tipsters text now and then too: this tip is told apart by its text.
    const text = `Silver pickup hit the bus shelter on W 4th St and drove off, photo and video (${Date.now()})`;
    const photo = await phone.addMedia(
      await readFile(phone.samples.photo.path),
      phone.samples.photo.contentType,
    );
    const video = await phone.addMedia(
      await readFile(phone.samples.phoneVideo.path),
      phone.samples.phoneVideo.contentType,
      photo.messageSid,
    );
    const answer = await phone.text({ from: TIPSTER_NUMBER, body: text, media: [photo, video] });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/xml/);

    // Live: the panel was open before the tip was sent, and nothing reloads it.
    const row = page.getByTestId('tip-row').filter({ hasText: text.slice(0, 40) });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const detail = page.getByTestId('tip-detail');
    await expect(detail.getByTestId('tip-body').textContent()).resolves.toBe(text);
    // The tipster is known by the thread's alias alone.
    const alias = /^Tipster ([A-Z0-9]+)$/.exec(
      (await row.locator('.tip-who').textContent()) ?? '',
    )?.[1];
    expect(alias).toBeDefined();

    // The server fetched both files after answering (the phone video is converted to play).
    await detail.locator('[data-testid="tip-attachment"][data-state="stored"]').nth(1).waitFor({
      timeout: 90_000,
    });
    await detail.getByTestId('tip-open-media').click();
    await expect(page.getByTestId('reason-dialog').getAttribute('data-purpose')).resolves.toBe(
      'tip_media',
    );
    await answerReason(page, CASE_NUMBER);
    // The server records the opening as it grants it, just after the dialog closes.
    await eventually(
      async () =>
        (await audit(`action=tip.media.view`)).some((r) =>
          JSON.stringify(r.details).includes(CASE_NUMBER),
        ),
      'the tip media opening audited with the case number',
      10_000,
    );

    await detail.getByTitle('Open Photo 1').click();
    const shown = page.getByTestId('tip-photo');
    await shown.waitFor();
    await page.waitForFunction(
      (el) => {
        const img = el as MediaElementLike | null;
        return !!img?.complete && (img.naturalWidth ?? 0) > 0;
      },
      await shown.elementHandle(),
      { timeout: 30_000 },
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('tip-media-overlay').waitFor({ state: 'detached' });

    await detail.getByTitle('Open Video 2').waitFor({ timeout: 90_000 });
    await detail.getByTitle('Open Video 2').click();
    const playing = page.getByTestId('tip-video');
    await playing.waitFor();
    // HAVE_CURRENT_DATA: a frame is decoded and drawn.
    await page.waitForFunction(
      (el) => {
        const v = el as MediaElementLike | null;
        return (v?.readyState ?? 0) >= 2 && (v?.videoWidth ?? 0) > 0;
      },
      await playing.elementHandle(),
      { timeout: 30_000 },
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('tip-media-overlay').waitFor({ state: 'detached' });
    // Every file came through the console's host, none from the server itself.
    // The host's route for this tab: /tip-media/<tab key>/<grant token>/<n>/<variant>.
    const paths = tipMediaRequests.map((u) => new URL(u).pathname);
    expect(paths.some((p) => /^\/tip-media\/[\w-]+\/[\w-]+\/0\/original$/.test(p))).toBe(true);
    expect(paths.some((p) => /^\/tip-media\/[\w-]+\/[\w-]+\/1\/playable$/.test(p))).toBe(true);
    for (const u of tipMediaRequests)
      expect(u.startsWith(`${site.consoleUrl}/tip-media/`)).toBe(true);
    expect(serverRequests).toEqual([]);

    // Triage: reviewing, then actionable, each by this analyst.
    await detail.getByTestId('tip-set-reviewing').click();
    await page.locator('[data-testid="tip-detail"][data-state="reviewing"]').waitFor();
    await detail.getByTestId('tip-set-actionable').click();
    await page.locator('[data-testid="tip-detail"][data-state="actionable"]').waitFor();
    await expect(detail.getByTestId('tip-detail-state').textContent()).resolves.toMatch(
      /Actionable/,
    );

    await detail.getByTestId('tip-incident').fill(INCIDENT_NUMBER);
    await detail.getByTestId('tip-link-save').click();

    // The analyst takes the tip: the "Me" entry of the on-shift list.
    const assign = detail.getByTestId('tip-assign');
    const me = await assign.locator('option', { hasText: /^Me \(/ }).getAttribute('value');
    expect(me).toBeTruthy();
    await assign.selectOption(me!);
    await row.filter({ hasText: '→' }).waitFor();

    // The analyst replies to the alias; the number stays with the server.
    await expect(detail.getByTestId('tip-reply').textContent()).resolves.toContain(
      `Reply to Tipster ${alias}`,
    );
    const replyText = 'Thank you. Did the pickup have any writing on the doors?';
    await detail.getByTestId('tip-reply-body').fill(replyText);
    await detail.getByTestId('tip-reply-send').click();
    const reply = detail.getByTestId('thread-reply').filter({ hasText: replyText });
    await reply
      .getByTestId('reply-state')
      .filter({ hasText: 'Sent' })
      .or(reply.getByTestId('reply-state').filter({ hasText: 'Queued' }))
      .waitFor({ timeout: 30_000 });

    // The provider was asked to send it to the tipster's own phone, from the tip line.
    const delivered = await eventually(
      async () => (await phone.sent()).find((m) => m.body === replyText),
      'the reply to reach the SMS provider',
      20_000,
    );
    expect(delivered.to).toBe(TIPSTER_NUMBER);
    expect(delivered.from).toBe(phone.number);

    // The server kept what the analyst did.
    const tipId = await row.getAttribute('data-tip-id');
    const kept = await site.api<{
      tip: { state: string; incidentNumber: string | null; assignedTo: { id: string } | null };
    }>(analystToken, 'GET', `/v1/tips/${tipId}`);
    expect(kept.status).toBe(200);
    expect(kept.body.tip.state).toBe('actionable');
    expect(kept.body.tip.incidentNumber).toBe(INCIDENT_NUMBER);
    expect(kept.body.tip.assignedTo?.id).toBe(me);
    expect(JSON.stringify(kept.body)).not.toMatch(TIPSTER_NUMBER_WRITTEN);

    // The number is nowhere in the page: not in its text, not in its markup.
    for (const written of [TIPSTER_NUMBER, '(336) 555-0199', '336.555.0199'])
      expect(written).toMatch(TIPSTER_NUMBER_WRITTEN);
    expect(await page.locator('body').innerText()).not.toMatch(TIPSTER_NUMBER_WRITTEN);
    expect(await page.content()).not.toMatch(TIPSTER_NUMBER_WRITTEN);
    await page.getByTestId('tab-cameras').click();
  }, 240_000);

  it("a call posted with the demo CAD's key is on the board and the map; the analyst opens it from the board, finds it on the map, sees its camera views and adds a note", async () => {
    // A call posted with the demo CAD's key, numbered as the case the analyst viewed cameras for.
    const held = JSON.parse(await readFile(`${site.dataDir}/demo-integrations.json`, 'utf8')) as {
      cad: { key: string; name: string };
    };
    expect(held.cad.name).toBe('demo CAD');
    const near = cameras.find((c) => c.kind === 'integrated')!;
    const receivedAt = new Date(Date.now() - 4 * 60_000).toISOString();
    const posted = await fetch(`${site.serverUrl}/v1/ingest/cad/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${held.cad.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        number: CASE_NUMBER,
        callType: { code: 'BURGC', text: 'Commercial burglary' },
        priority: 3,
        status: 'en_route',
        location: {
          address: '[SYNTHETIC DEMO] 400 block W 4th St',
          position: { lat: near.lat + 0.0005, lon: near.lng },
        },
        receivedAt,
        units: [{ id: '2B31', status: 'en route' }],
        narrative: [
          { at: receivedAt, author: 'calltaker 3', text: '[SYNTHETIC DEMO] Alarm, rear door' },
        ],
      }),
    });
    expect(posted.status).toBe(200);
    const incidentId = ((await posted.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
    const marker = page.locator(
      `[data-testid="incident-marker"][data-incident-id="${incidentId}"]`,
    );
    await page.getByTestId('tab-map').click();
    await marker.waitFor();
    await expect(marker.getAttribute('data-priority')).resolves.toBe('P3');

    // From the board, by keyboard.
    await page.getByTestId('tab-incidents').click();
    const row = page.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`);
    await row.focus();
    await page.keyboard.press('Enter');
    const detail = page.locator(
      `[data-testid="incident-detail"][data-incident-id="${incidentId}"]`,
    );
    await detail.waitFor();
    await expect(detail.getByTestId('incident-detail-priority').textContent()).resolves.toBe(
      'Priority 3 · prompt',
    );
    await expect(detail.getByTestId('incident-detail-status').textContent()).resolves.toBe(
      '◑ En route',
    );
    await expect(detail.getByTestId('incident-detail-age').textContent()).resolves.toMatch(
      /^open \d+m$/,
    );
    await expect(detail.getByTestId('incident-narrative').textContent()).resolves.toContain(
      'Alarm, rear door',
    );
    await expect(detail.getByTestId('incident-units').textContent()).resolves.toContain('2B31');
    await expect(detail.getByTestId('incident-actions').count()).resolves.toBe(1);
    // The cameras viewed earlier in the shift for this number, as the audit trail has them.
    const granted = (await audit('action=stream.grant&outcome=success')).filter((r) =>
      JSON.stringify(r.details).includes(CASE_NUMBER),
    );
    expect(granted.length).toBeGreaterThan(0);
    await detail
      .locator(`[data-testid="incident-views"] [data-camera-id="${granted[0]!.targetId}"]`)
      .first()
      .waitFor();

    // Shown on the map, and opened again from its symbol there.
    await detail.getByTestId('incident-show-on-map').click();
    // The map flies to the call and regroups its clusters when it lands: a click while it
    // moves may meet the map instead of the symbol, so the click is repeated until it opens.
    await eventually(
      async () => {
        if (await detail.isVisible()) return true;
        await marker.click({ timeout: 5_000 });
        return detail.isVisible();
      },
      "the call's detail, opened from its symbol",
      30_000,
    );

    const note = 'Checked the rear lot cameras: nobody in view. [SYNTHETIC DEMO]';
    await detail.getByTestId('incident-note-text').fill(note);
    await detail.getByTestId('incident-note-add').click();
    await detail.getByTestId('incident-note').filter({ hasText: note }).waitFor();
    const kept = await site.api<{ notes: { text: string; authorName: string }[] }>(
      analystToken,
      'GET',
      `/v1/incidents/${incidentId}`,
    );
    expect(kept.body.notes).toEqual([expect.objectContaining({ text: note })]);
    expect(kept.body.notes[0]!.authorName).toBe(analyst.username);

    // The case it belongs to, linked from the detail.
    await detail.getByTestId('incident-link-kind').selectOption('case');
    await detail.getByTestId('incident-link-ref').fill('2026-CASE-0077');
    await detail.getByTestId('incident-link-add').click();
    await detail
      .locator('[data-testid="incident-link"][data-kind="case"]')
      .filter({ hasText: '2026-CASE-0077' })
      .waitFor();
    await page.getByTestId('tab-cameras').click();
  }, 180_000);

  it("an LPR hit posted with the demo LPR key is in the alert tray and on the map, its plate image shown once opened for a reason; the drone's symbol moves as its track arrives", async () => {
    // Access tokens live five minutes: the audit reads below need a fresh one.
    adminToken = await site.token(site.account('admin'));
    const keys = JSON.parse(
      await readFile(join(site.dataDir, 'demo-integrations.json'), 'utf8'),
    ) as {
      lpr: { key: string; name: string };
      tracks: { key: string; name: string };
    };
    expect(keys.lpr.name).toBe('demo LPR');
    const reader = cameras.find((c) => c.kind === 'agency' && c.name !== 'Drone 1')!;
    const plate = 'E2E-4412';
    const posted = await site.api<{ alerts: { id: string; created: boolean }[] }>(
      keys.lpr.key,
      'POST',
      '/v1/ingest/lpr/hits',
      {
        id: 'SYN-E2E-LPR-1',
        plate,
        state: 'NC',
        confidence: 0.93,
        reader: { id: 'SYN-READER-E2E', position: { lat: reader.lat, lon: reader.lng } },
        time: new Date(Date.now() - 20_000).toISOString(),
        hotList: { name: 'stolen-vehicle', reason: '[SYNTHETIC DEMO] Reported stolen' },
        // The demo's plate images come from its camera simulator, the origin the agency allows.
        imageUrl: `${site.simulatorUrl}/plates/${plate}.jpg`,
      },
    );
    expect(posted.status).toBe(200);
    const alertId = posted.body.alerts[0]!.id;

    await page.getByTestId('tab-alerts').click();
    const row = page.getByTestId('alert-row').filter({ hasText: plate });
    await row.waitFor();
    await page.getByTestId('tab-map').click();
    await page
      .locator(`[data-testid="alert-marker"][data-alert-id="${alertId}"][data-kind="lpr"]`)
      .waitFor();
    await page.getByTestId('tab-alerts').click();
    // Offered once the server has fetched the image from the reader's server.
    const open = row.getByTestId('alert-open-evidence');
    await open.waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('alert-evidence-image').count()).toBe(0);
    await open.click();
    await expect(page.getByTestId('reason-dialog').getAttribute('data-purpose')).resolves.toBe(
      'alert_evidence',
    );
    await answerReason(page, CASE_NUMBER);
    const image = row.getByTestId('alert-evidence-image');
    await image.waitFor();
    await page.waitForFunction(
      (el) => {
        const i = el as MediaElementLike | null;
        return (i?.complete ?? false) && (i?.naturalWidth ?? 0) > 0;
      },
      await image.elementHandle(),
      { timeout: 30_000 },
    );
    // Through the console's host, on the tab's own route, as tip media are.
    const src = new URL((await image.getAttribute('src')) ?? '', site.consoleUrl);
    expect(src.origin).toBe(new URL(site.consoleUrl).origin);
    expect(src.pathname).toMatch(new RegExp(`^/tip-media/[\\w-]+/alert/${alertId}/1/original$`));
    const viewed = await audit(`action=alert.evidence.view&targetId=${alertId}`);
    expect(viewed).toHaveLength(1);
    expect(JSON.stringify(viewed[0]!.details)).toContain(CASE_NUMBER);

    // The demo drone: a camera whose position and heading arrive as a track.
    const drone = cameras.find((c) => c.name === 'Drone 1')!;
    expect(drone.kind).toBe('agency');
    const fly = async (north: number, heading: number, ageMs: number) => {
      const lat = Math.round((drone.lat + north) * 1e6) / 1e6;
      const lon = drone.lng;
      const sent = await site.api(keys.tracks.key, 'POST', '/v1/ingest/tracks', {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [lon, lat] },
            properties: {
              subject: drone.id,
              time: new Date(Date.now() - ageMs).toISOString(),
              heading,
            },
          },
        ],
      });
      expect(sent.status).toBe(200);
      return lat;
    };
    await page.getByTestId('tab-map').click();
    const symbol = page.locator(`[data-testid="drone-marker"][data-camera-id="${drone.id}"]`);
    const first = await fly(0.002, 90, 5_000);
    await symbol.and(page.locator(`[data-lat="${first}"]`)).waitFor();
    const before = await symbol.boundingBox();
    const second = await fly(0.004, 0, 1_000);
    await symbol.and(page.locator(`[data-lat="${second}"][data-heading="0"]`)).waitFor();
    const after = await symbol.boundingBox();
    // Further north: higher on the screen.
    expect(after!.y).toBeLessThan(before!.y);
    await page.getByTestId('tab-cameras').click();
  }, 150_000);

  it("the center's record: a lieutenant opens and assigns a case; the analyst logs a radio pull at an incident, works its candidates, fetches footage and exports the signed package; an officer plays the clip by link; the lieutenant approves an assist report; the supervisor signs off the shift; both PDFs read as they should", async () => {
    // A camera whose owner shares live and recordings at all hours, with a recordings source,
    // among others (the one with the most cameras within 250 m of it).
    const fetchable = (c: CameraListItem) =>
      c.kind === 'integrated' &&
      c.hasRecordings &&
      c.sharing?.mode === 'always' &&
      c.sharing.recordings &&
      !c.sharing.withdrawn;
    const neighbours = (c: CameraListItem) =>
      cameras.filter((o) => o.id !== c.id && distanceMeters(c, o) <= 250).length;
    const rec = cameras.filter(fetchable).sort((a, b) => neighbours(b) - neighbours(a))[0]!;
    expect(rec).toBeDefined();
    expect(neighbours(rec)).toBeGreaterThan(0);
    const receivedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const cad = await postDemoCadCall({
      number: RECORD_INCIDENT,
      callType: { code: 'ROBC', text: 'Commercial robbery' },
      priority: 2,
      status: 'on_scene',
      location: {
        address: '[SYNTHETIC DEMO] 200 block N Cherry St',
        position: { lat: rec.lat + 0.0004, lon: rec.lng },
      },
      receivedAt,
      units: [{ id: '2B12', status: 'on scene' }],
    });
    expect(cad.status).toBe(200);

    // The lieutenant opens the case and assigns the analyst, in a console of their own.
    const demoAnalyst = (
      await site.api<{ users: { username: string; displayName: string }[] }>(
        adminToken,
        'GET',
        '/v1/users',
      )
    ).body.users.find((u) => u.username === analyst.username)!;
    const lieutenantContext = await consoleContext(browser);
    const lt = await signedInAt(lieutenantContext, site.consoleUrl, site.account('lieutenant'));
    await lt.getByTestId('tab-cases').click();
    await lt.getByTestId('case-view-new').click();
    await lt.getByTestId('case-form-title').fill('Robbery at the corner market [SYNTHETIC DEMO]');
    await lt
      .getByTestId('case-form')
      .locator('label.check', { hasText: demoAnalyst.displayName })
      .getByRole('checkbox')
      .check();
    await lt.getByTestId('case-form-submit').click();
    const caseDetail = lt.getByTestId('case-detail');
    await caseDetail.waitFor();
    const caseNumber = (await caseDetail.getAttribute('data-number'))!;
    expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);
    await expect(caseDetail.getByTestId('case-detail-analysts').textContent()).resolves.toContain(
      demoAnalyst.displayName,
    );

    // The analyst logs the officer's radio request at the incident, for the last few minutes.
    await page.getByTestId('tab-pulls').click();
    await page.getByTestId('pull-new').click();
    await page.getByTestId('pull-officer').fill('Ofc. R. Diaz');
    await page.getByTestId('pull-badge').fill('4471');
    await page.getByTestId('pull-unit').fill('2B12');
    await page.getByTestId('pull-case').fill(caseNumber);
    const incidentOption = page
      .getByTestId('pull-incident')
      .locator('option', { hasText: RECORD_INCIDENT });
    await incidentOption.waitFor({ state: 'attached' });
    await page
      .getByTestId('pull-incident')
      .selectOption((await incidentOption.getAttribute('value'))!);
    await expect(page.getByTestId('pull-picked').textContent()).resolves.toContain(
      `at incident ${RECORD_INCIDENT}`,
    );
    const localInput = (ms: number) =>
      page.evaluate((t) => {
        const d = new Date(t);
        const two = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
      }, ms);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    await page.getByTestId('pull-from').fill(await localInput(minute - 12 * 60_000));
    await page.getByTestId('pull-to').fill(await localInput(minute - 11 * 60_000));
    await page.getByTestId('pull-look-for').fill('Man in a red hoodie leaving on foot, north');
    await page.getByTestId('pull-submit').click();

    // The candidates: the integrated camera near the incident can be fetched now.
    const detail = page.getByTestId('pull-detail');
    await detail.waitFor();
    const pullId = (await detail.getAttribute('data-pull-id'))!;
    const candidate = detail.locator(`[data-testid="pull-candidate"][data-camera-id="${rec.id}"]`);
    await candidate.waitFor();
    await expect(candidate.getAttribute('data-action')).resolves.toBe('fetch_now');
    const candidates = await detail.getByTestId('pull-candidate').count();
    expect(candidates).toBeGreaterThan(1);
    // Another camera is marked by keyboard: contacted, with who and when.
    const other = detail
      .locator(`[data-testid="pull-candidate"]:not([data-camera-id="${rec.id}"])`)
      .first();
    const otherId = (await other.getAttribute('data-camera-id'))!;
    const otherRow = detail.locator(`[data-testid="pull-candidate"][data-camera-id="${otherId}"]`);
    await otherRow.click();
    await otherRow.getByTestId('outcome-contacted').click();
    await detail
      .locator(
        `[data-testid="pull-candidate"][data-camera-id="${otherId}"][data-outcome="contacted"]`,
      )
      .waitFor();

    // Footage fetched through the server, and the candidate marked footage obtained.
    await candidate.click();
    await candidate.getByTestId('pull-fetch').click();
    await detail
      .locator(
        `[data-testid="pull-candidate"][data-camera-id="${rec.id}"][data-outcome="footage_obtained"]`,
      )
      .waitFor({ timeout: 90_000 });
    await detail.getByTestId('pull-export').click();
    await page.getByTestId('notice').filter({ hasText: 'Signed package of' }).waitFor({
      timeout: 90_000,
    });
    const evidence = await site.api<CaseEvidence>(
      analystToken,
      'GET',
      `/v1/evidence/cases/${caseNumber}`,
    );
    expect(evidence.status).toBe(200);
    const pkg = evidence.body.exports.at(-1)!;
    expect(pkg).toMatchObject({ pullId });
    const verified: string[] = [];
    const problems: string[] = [];
    const code = await runServerCommand(
      ['evidence', 'verify', join(site.dataDir, 'evidence', pkg.dir)],
      (l) => verified.push(l),
      (l) => problems.push(l),
    );
    expect(code, problems.join('\n')).toBe(0);
    expect(verified.join('\n')).toContain(`case ${caseNumber}`);

    // The analyst sends the officer a link; the officer plays the clip in the web console.
    await page.getByTestId('tab-evidence').click();
    await page
      .getByTestId('evidence-panel')
      .getByLabel('Case number', { exact: true })
      .fill(caseNumber);
    await page.getByTestId('evidence-panel').getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('evidence-file').first().waitFor();
    const evidencePanel = page.getByTestId('evidence-panel');
    await evidencePanel.getByLabel('Officer', { exact: true }).fill('Ofc. R. Diaz #4471');
    await evidencePanel.getByRole('button', { name: 'Make link' }).click();
    const token = (await page.getByTestId('evidence-new-link').locator('code').textContent())!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const officerContext = await consoleContext(browser);
    const officerPage = await signedInAt(officerContext, site.consoleUrl, site.account('officer'));
    await officerPage.getByTestId('tab-evidence').click();
    await officerPage.getByLabel('Evidence link').fill(token);
    await officerPage.getByRole('button', { name: 'Open' }).click();
    await expect(officerPage.getByTestId('evidence-opened').textContent()).resolves.toContain(
      `Case ${caseNumber}`,
    );
    const clip = officerPage.getByTestId('evidence-link-video');
    await eventually(
      () => clip.evaluate((v) => ((v as MediaElementLike).videoWidth ?? 0) > 0),
      "the officer's clip to load",
      30_000,
    );
    await officerContext.close();

    // The analyst uses the exported still in an assist report.
    await page.getByTestId('evidence-still-to-product').first().click();
    await page.getByTestId('tab-products').click();
    const products = page.getByTestId('products');
    await products.getByLabel('Case number', { exact: true }).fill(caseNumber);
    await products.getByRole('button', { name: 'Show' }).click();
    await products.getByTestId('still-tray').waitFor();
    await products
      .getByLabel('Title', { exact: true })
      .fill('Assist: robbery at the corner market');
    await products.getByLabel('Product case number').fill(caseNumber);
    await products.getByLabel('Incident number').fill(RECORD_INCIDENT);
    await products
      .getByLabel('Product text')
      .fill('Footage fetched from the camera nearest the scene [SYNTHETIC DEMO].');
    await products.getByRole('button', { name: 'Make draft' }).click();
    await products.getByTestId('product').filter({ hasText: 'draft' }).waitFor();

    // The lieutenant approves it and downloads the PDF.
    await lt.getByTestId('tab-products').click();
    const ltProducts = lt.getByTestId('products');
    await ltProducts.getByLabel('Case number', { exact: true }).fill(caseNumber);
    await ltProducts.getByRole('button', { name: 'Show' }).click();
    const row = ltProducts.getByTestId('product').filter({ hasText: 'Assist report' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.filter({ hasText: 'approved by' }).waitFor();
    const report = await downloadedPdf(lt, row.getByRole('button', { name: 'PDF' }));
    expect(report.pages).toBeGreaterThanOrEqual(1);
    for (const words of [
      'Assist: robbery at the corner market',
      caseNumber,
      RECORD_INCIDENT,
      'Footage kept with the case',
      rec.name,
      'Signed evidence package exported',
    ]) {
      expect(report.text).toContain(words);
    }
    expect(report.text).toMatch(/Approved by\s+lieutenant/);
    expect(report.text).toMatch(/Still 1: .*\(evidence\)/);
    expect(report.images).toBeGreaterThanOrEqual(1);
    await lieutenantContext.close();

    // The supervisor signs off the shift and downloads its report.
    const supervisorContext = await consoleContext(browser);
    const sup = await signedInAt(supervisorContext, site.consoleUrl, site.account('supervisor'));
    await sup.getByTestId('tab-shifts').click();
    const log = sup.getByTestId('shift-log');
    await log.getByRole('button', { name: 'Sign off the shift…' }).click();
    await log.getByRole('button', { name: 'Sign off now' }).click();
    await log.getByRole('button', { name: 'Sign off the shift…' }).waitFor({ state: 'detached' });
    const shift = await downloadedPdf(sup, log.getByRole('button', { name: 'Report (PDF)' }));
    expect(shift.pages).toBeGreaterThanOrEqual(1);
    expect(shift.text).toContain('Camera pulls logged');
    expect(shift.text).toMatch(/Signed off\s+supervisor at/);
    expect(shift.text).not.toContain('Not signed off');
    await supervisorContext.close();
  }, 420_000);

  it('with a short idle timeout the console locks itself, and the password unlocks it', async () => {
    // The wall of the first window is done with; its streams stop.
    await context.close();
    const idle = await consoleContext(browser);
    const idlePage = await idle.newPage();
    // Time in this page is Playwright's to move on: five idle minutes pass in an instant.
    await idlePage.clock.install();
    await idlePage.goto(site.consoleUrl);
    await submitSignIn(idlePage, analyst);
    await idlePage.getByTestId('console').waitFor({ timeout: 30_000 });

    await idlePage.getByTestId('user-menu').click();
    await idlePage.getByTestId('idle-lock-minutes').selectOption('5');
    // The menu shows the host's answer: once it reads 5, the console's idle watch has it too.
    await expect
      .poll(() => idlePage.getByTestId('idle-lock-minutes').inputValue(), { timeout: 10_000 })
      .toBe('5');
    await idlePage.keyboard.press('Escape');
    await idlePage.clock.fastForward('04:30');
    await idlePage.getByTestId('idle-warning').waitFor();
    expect(await idlePage.getByTestId('lock-screen').count()).toBe(0);
    await idlePage.clock.fastForward('00:40');
    await idlePage.getByTestId('lock-screen').waitFor();
    await expect(idlePage.getByTestId('console').getAttribute('aria-hidden')).resolves.toBe('true');

    await idlePage.getByTestId('unlock-password').fill('not my password');
    await idlePage.getByTestId('unlock-submit').click();
    await idlePage.getByTestId('unlock-error').waitFor();
    expect(await idlePage.getByTestId('lock-screen').count()).toBe(1);

    await idlePage.getByTestId('unlock-password').fill(analyst.password);
    await idlePage.getByTestId('unlock-submit').click();
    await idlePage.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await expect(idlePage.getByTestId('console').getAttribute('aria-hidden')).resolves.toBeNull();
    await idle.close();
  });

  it('a new analyst enrols an authenticator at first sign-in with the code the administrator handed over, then changes the password', async () => {
    const password = 'a long and correct password';
    // Access tokens live five minutes: the one from the start of the shift has run out.
    adminToken = await site.token(site.account('admin'));
    const created = await site.api<{ id: string; enrolmentCode: string }>(
      adminToken,
      'POST',
      '/v1/users',
      { username: 'new-analyst', role: 'analyst', password },
    );
    expect(created.status).toBe(201);
    const ctx = await consoleContext(browser);
    const newPage = await ctx.newPage();
    await newPage.goto(site.consoleUrl);
    // The workstation may still be signed in from the scene before: sign out first.
    await newPage.locator('[data-testid="console"], [data-testid="sign-in"]').first().waitFor();
    if ((await newPage.getByTestId('console').count()) > 0) {
      await newPage.getByTestId('user-menu').click();
      await newPage.getByTestId('sign-out').click();
    }
    await submitSignIn(newPage, { username: 'new-analyst', password });
    // A password alone reaches the enrolment step and nothing else.
    await newPage.locator('[data-testid="sign-in"][data-step="enrol-code"]').waitFor();
    expect(await newPage.getByTestId('console').count()).toBe(0);
    await newPage.getByTestId('enrolment-code').fill('0000-0000-0000-0000-0000');
    await newPage.getByTestId('sign-in-submit').click();
    await eventually(
      async () =>
        /does not match/.test((await newPage.getByTestId('sign-in-error').textContent()) ?? ''),
      'a wrong enrolment code to be refused',
      20_000,
    );
    await newPage.getByTestId('enrolment-code').fill(created.body.enrolmentCode.toLowerCase());
    await newPage.getByTestId('sign-in-submit').click();
    await newPage.locator('[data-testid="sign-in"][data-step="enrol-scan"]').waitFor();
    // The QR code is drawn in the page; the key beside it is what a person would type instead.
    const qr = newPage.getByTestId('enrolment-qr');
    await expect(qr.evaluate((el) => el.tagName.toLowerCase())).resolves.toBe('svg');
    await expect(
      qr.evaluate((el) => el.querySelector('path')?.getAttribute('d')?.length ?? 0),
    ).resolves.toBeGreaterThan(1000);
    const key = ((await newPage.getByTestId('enrolment-key').textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    const account: Account = { username: 'new-analyst', password, totpSecret: key };
    await newPage.getByTestId('sign-in-totp').fill(await nextCode(account));
    await newPage.getByTestId('sign-in-submit').click();
    await newPage.getByTestId('console').waitFor({ timeout: 30_000 });

    // The change-password screen, from the user menu.
    await newPage.getByTestId('user-menu').click();
    await newPage.getByTestId('change-password').click();
    const dialog = newPage.getByTestId('change-password-dialog');
    await dialog.waitFor();
    await newPage.getByTestId('current-password').fill(password);
    await newPage.getByTestId('new-password').fill('qwerty123456');
    await newPage.getByTestId('repeat-password').fill('qwerty123456');
    await newPage.getByTestId('change-password-submit').click();
    await eventually(
      async () =>
        /common and breached/.test(
          (await newPage.getByTestId('change-password-error').textContent()) ?? '',
        ),
      'a breached password to be refused',
      20_000,
    );
    const next = 'amber kite over the quiet harbour';
    await newPage.getByTestId('new-password').fill(next);
    await newPage.getByTestId('repeat-password').fill(next);
    await newPage.getByTestId('change-password-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const changes = await audit(`action=auth.password_change&targetId=${created.body.id}`);
    expect(changes.map((r) => r.outcome)).toEqual(['success']);

    // The new password (and the app's code) signs in; the old one does not.
    await newPage.getByTestId('user-menu').click();
    await newPage.getByTestId('sign-out').click();
    await submitSignIn(newPage, { ...account, password });
    await newPage.getByTestId('sign-in-error').waitFor();
    expect(await newPage.getByTestId('console').count()).toBe(0);
    await newPage.reload();
    await submitSignIn(newPage, { ...account, password: next });
    await newPage.getByTestId('console').waitFor({ timeout: 30_000 });
    await ctx.close();
  });
});

describe('the public side: a resident, a camera owner and a citizen at the portal, the center at the console', () => {
  /** The resident's street, which names their registered cameras. */
  const RESIDENT_STREET = '41 Larkspur Ct';
  const RESIDENT = 'larkspur.resident@example.org';
  const CITIZEN = 'theft.reporter@example.org';
  let floorContext: BrowserContext;
  let floor: Page;
  let publicContext: BrowserContext;

  beforeAll(async () => {
    floorContext = await consoleContext(browser);
    floor = await signedInAt(floorContext, site.consoleUrl, analyst);
    publicContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  }, 120_000);
  afterAll(async () => {
    await floorContext?.close().catch(() => undefined);
    await publicContext?.close().catch(() => undefined);
  });

  /** The cameras whose name or address holds `q`, as the API lists them to the analyst. */
  async function camerasNamed(q: string): Promise<CameraListItem[]> {
    const reply = await site.api<{ items: CameraListItem[] }>(
      analystToken,
      'GET',
      `/v1/cameras?q=${encodeURIComponent(q)}&limit=1000`,
    );
    expect(reply.status).toBe(200);
    return reply.body.items;
  }

  /** When each portal page last loaded: its form may be sent once the minimum fill time has passed. */
  const loadedAt = new WeakMap<Page, number>();

  /** A page for a member of the public, at a portal address. */
  async function portalPage(context: BrowserContext, path: string): Promise<Page> {
    const p = await context.newPage();
    p.on('load', () => loadedAt.set(p, Date.now()));
    await p.goto(`${site.serverUrl}${path}`);
    return p;
  }

  /**
   * Waits out the portal's minimum fill time since the page's form was served: a person takes
   * longer than this to fill a form, and a script that is faster is turned away.
   */
  async function fillTimePassed(p: Page): Promise<void> {
    const wait = (loadedAt.get(p) ?? 0) + MIN_FILL_MS + 250 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** Waits for a heading or a status line; a timeout says what the page said instead. */
  async function shows(p: Page, what: Locator): Promise<void> {
    await what.waitFor({ timeout: 30_000 }).catch(async (error: Error) => {
      const said = await p
        .locator('main')
        .innerText()
        .catch(() => '(no page)');
      throw new Error(`${error.message}\nthe page said:\n${said}`);
    });
  }

  /**
   * The newest email to `to` whose subject matches, as the demo's inbox page shows it (the mail
   * catcher `npm start` runs). The outbox sends in the background: the page is read again until
   * it is there, as a person would press reload.
   */
  async function inbox(p: Page, to: string, subject: RegExp): Promise<Locator> {
    const mail = p
      .locator('article')
      .filter({ hasText: `To ${to}` })
      .filter({ has: p.getByRole('heading', { name: subject }) })
      .first();
    await eventually(
      async () => {
        await p.goto(site.mailUrl);
        return (await mail.count()) > 0;
      },
      `an email to ${to} about ${subject}`,
      60_000,
      500,
    );
    return mail;
  }

  it("a resident registers two cameras, confirms by the emailed link, and both appear on the analyst's map at once", async () => {
    const resident = await portalPage(publicContext, '/portal/');
    await resident.getByRole('link', { name: 'Register your security cameras' }).click();
    await resident.getByLabel('Me (a resident)').check();
    await resident.getByLabel('Your name, or the business name').fill('Pat Larkspur');
    await resident.getByLabel('Email').fill(RESIDENT);
    await resident.getByLabel('Phone').fill('336 555 0142');
    // Camera 1 placed by typing its position: a few steps from one of the demo's own cameras.
    const near = cameras.find((c) => c.kind === 'agency')!;
    await resident.getByLabel('Latitude').fill((near.lat + 0.0009).toFixed(6));
    await resident.getByLabel('Longitude').fill((near.lng + 0.0009).toFixed(6));
    await resident.getByLabel('Street address (optional)').fill(RESIDENT_STREET);
    await resident.getByLabel('Direction it faces').selectOption('N');
    await resident.getByLabel('What it covers').fill('The driveway and the street');
    await resident.getByLabel('Days of footage it keeps').fill('14');
    await resident.getByRole('button', { name: 'Add another camera' }).click();
    await resident.getByRole('group', { name: 'Camera 2' }).waitFor();
    // Camera 2 placed on its map: a tap drops the pin and fills the two numbers.
    const pinMap = resident.locator('.pin-map[data-lat="c2_lat"]');
    await pinMap.scrollIntoViewIfNeeded();
    // Drawn: the city's outline (and the streets, some of them outside the view) are paths.
    await expect.poll(() => pinMap.locator('path').count()).toBeGreaterThan(0);
    await pinMap.click();
    await expect.poll(() => resident.locator('#c2_lat').inputValue()).toMatch(/^\d+\.\d+$/);
    const pinned = {
      lat: Number(await resident.locator('#c2_lat').inputValue()),
      lng: Number(await resident.locator('#c2_lng').inputValue()),
    };
    await resident.locator('#c2_address').fill(RESIDENT_STREET);
    await resident.locator('#c2_facing').selectOption('S');
    await resident.locator('#c2_covers').fill('The back garden');
    await resident.locator('#c2_retention').fill('14');
    // Nothing is wider than the phone's screen.
    expect(
      Number(await resident.evaluate('document.documentElement.scrollWidth')),
    ).toBeLessThanOrEqual(390);
    await fillTimePassed(resident);
    await resident.getByRole('button', { name: /Send/ }).click();
    await shows(resident, resident.getByRole('heading', { name: 'Check your email' }));
    // Nothing is in the registry before the owner confirms.
    expect(await camerasNamed('Larkspur')).toEqual([]);

    const mail = await inbox(resident, RESIDENT, /Confirm your camera registration/);
    await mail.getByRole('link', { name: /\/portal\/cameras\/confirm\?token=/ }).click();
    await resident.getByRole('button', { name: 'Confirm my registration' }).click();
    await resident.getByRole('heading', { name: 'Your cameras are registered' }).waitFor();

    // The analyst's console was open all along: the cameras come to it live, location only.
    await floor.getByTestId('tab-cameras').click();
    await floor.getByTestId('camera-search').fill('Larkspur');
    const rows = floor.locator('[data-testid="camera-row"][data-kind="registered"]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const ids = await rows.evaluateAll((els: ElementLike[]) =>
      els.map((e) => e.getAttribute('data-camera-id') ?? ''),
    );
    const registered = (await camerasNamed('Larkspur')).filter((c) => ids.includes(c.id));
    expect(registered.map((c) => c.name).sort()).toEqual([
      `${RESIDENT_STREET} (camera 1)`,
      `${RESIDENT_STREET} (camera 2)`,
    ]);
    expect(registered.every((c) => c.kind === 'registered')).toBe(true);
    const second = registered.find((c) => c.name.endsWith('(camera 2)'))!;
    expect(distanceMeters(second, pinned)).toBeLessThan(1);
    // Each is on the map: choosing its row opens its pop-up there, with nothing to view.
    for (const id of ids) {
      await floor.getByTestId('tab-cameras').click();
      await floor.getByTestId('camera-search').fill('Larkspur');
      await floor.locator(`[data-testid="camera-row"][data-camera-id="${id}"]`).dblclick();
      const popup = floor.locator(`[data-testid="camera-popup"][data-camera-id="${id}"]`);
      await popup.waitFor();
      expect(await popup.getByTestId('popup-put-on-wall').count()).toBe(0);
    }
  }, 180_000);

  it("an owner tightens a camera's schedule on the portal, and the analyst's live view of it stops with the owner's reason", async () => {
    const owner = await portalPage(
      await browser.newContext({ viewport: { width: 1280, height: 800 } }),
      '/portal/owners/sign-in',
    );
    await owner.getByLabel('Email').fill(DEMO_OWNER_EMAIL);
    await fillTimePassed(owner);
    await owner.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await owner.getByRole('heading', { name: 'Check your email' }).waitFor();
    const mail = await inbox(owner, DEMO_OWNER_EMAIL, /Your link to sign in/);
    await mail.getByRole('link', { name: /\/portal\/owners\/sign-in\?token=/ }).click();
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.getByRole('heading', { name: 'Your cameras' }).waitFor();
    // The cameras whose policy the owner keeps have a link to change it.
    const change = owner.getByRole('link', { name: /^Change what “.+” shares$/ }).first();
    const name = /^Change what “(.+)” shares$/.exec((await change.textContent())!.trim())![1]!;
    const camera = cameras.find((c) => c.name === name)!;
    expect(camera.kind).toBe('integrated');

    // First the owner shares it at all times, so that the analyst can be watching it...
    await change.click();
    await owner.getByLabel('At all times').check();
    await owner.getByLabel('Live video').check();
    await fillTimePassed(owner);
    await owner.getByRole('button', { name: /Save/ }).click();
    await shows(owner, owner.getByRole('status').filter({ hasText: 'Saved.' }));

    await dragOntoTile(floor, camera, 0);
    await answerReason(floor, CASE_NUMBER);
    await expectTilePlaying(floor, 0, 90_000);

    // ...then keeps it to one weekly window that is not today.
    const day = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      timeZone: agency.timeZone,
    }).format(Date.now() + 2 * 86_400_000);
    await owner.getByRole('link', { name: `Change what “${name}” shares` }).click();
    await owner.getByLabel('Only in the weekly windows below').check();
    // Windows the demo gave the camera go first: the one left is the owner's new one.
    const remove = owner.getByRole('button', { name: /^Remove window \d$/ });
    for (let left = await remove.count(); left > 0; left--) {
      await remove.first().click();
      await expect.poll(() => remove.count()).toBe(left - 1);
    }
    await owner.getByRole('button', { name: 'Add a weekly window' }).click();
    const window1 = owner.getByRole('group', { name: 'Window 1' });
    await window1.waitFor();
    await window1.getByRole('checkbox', { name: day }).check();
    await fillTimePassed(owner);
    await owner.getByRole('button', { name: /Save/ }).click();
    await shows(owner, owner.getByRole('status').filter({ hasText: 'Saved.' }));
    await owner.context().close();

    const now = (await camerasNamed(camera.name)).find((c) => c.id === camera.id)!;
    const decision = evaluateSharingPolicy(now.sharing!, {
      at: Date.now(),
      timeZone: agency.timeZone,
      alarmActive: now.alarmActive,
      access: 'live',
    });
    expect(decision.allowed).toBe(false);
    const stopped = tileOf(floor, 0).and(
      floor.locator('[data-state="revoked"], [data-state="outside_window"]'),
    );
    await stopped.waitFor({ timeout: 30_000 });
    const reason = (await tileOf(floor, 0).getByTestId('tile-reason').textContent()) ?? '';
    expect(reason).toContain(`${day} 08:00–18:00`);
    if (!decision.allowed) expect(reason).toContain(decision.reason.replace(/\.$/, ''));
    // The tile's head keeps its name readable and its state badge inside the tile: the body says
    // the state in words, so a narrow tile's badge keeps only its symbol.
    interface Box {
      readonly clientWidth: number;
      readonly scrollWidth: number;
      getBoundingClientRect(): { readonly right: number };
      querySelector(selector: string): Box | null;
    }
    const head = await tileOf(floor, 0).evaluate((el) => {
      const tile = el as unknown as Box;
      const name = tile.querySelector('[data-testid="tile-name"]')!;
      const badge = tile.querySelector('[data-testid="tile-state"]')!;
      return {
        nameShownPx: name.clientWidth,
        nameWholePx: name.scrollWidth,
        badgeOverflowPx: badge.getBoundingClientRect().right - tile.getBoundingClientRect().right,
      };
    });
    expect(head.badgeOverflowPx).toBeLessThanOrEqual(0);
    expect(head.nameShownPx).toBeGreaterThanOrEqual(Math.min(head.nameWholePx, 100));
    // The picture is let go of, not frozen on the last frame.
    await expect
      .poll(() =>
        tileOf(floor, 0)
          .locator('video')
          .evaluateAll((vs: MediaElementLike[]) => vs.every((v) => (v.readyState ?? 0) === 0)),
      )
      .toBe(true);
  }, 240_000);

  it('a citizen is turned away for a weapon, files a theft report, adds what the analyst asks for, and gets the permanent case number', async () => {
    const citizen = await portalPage(publicContext, '/portal/');
    const answer = async (weapon: 'yes' | 'no') => {
      await citizen.goto(`${site.serverUrl}/portal/reports`);
      for (const q of ELIGIBILITY_QUESTIONS) {
        const a = q === 'weapons' ? weapon : ELIGIBLE_ANSWER[q];
        await citizen
          .getByRole('group', { name: questionText(agency, q) })
          .getByLabel(a === 'yes' ? 'Yes' : 'No')
          .check();
      }
      await fillTimePassed(citizen);
      await citizen.getByRole('button', { name: 'Continue' }).click();
    };
    await answer('yes');
    await citizen.getByRole('heading', { name: 'This cannot be reported online' }).waitFor();
    expect(await citizen.locator('main').textContent()).toContain(agency.onlineReports.officerHelp);

    await answer('no');
    await citizen.getByRole('heading', { name: 'Your report' }).waitFor();
    await citizen.getByLabel('Kind of report').selectOption('theft_of_property');
    const yesterday = new Date(Date.now() - 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: agency.timeZone,
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(yesterday)
      .replace(' ', 'T');
    await citizen.getByLabel('When it happened (or the earliest it could have)').fill(local);
    const where = cameras.find((c) => c.kind === 'agency')!;
    await citizen.getByLabel('Latitude (optional)').fill(where.lat.toFixed(6));
    await citizen.getByLabel('Longitude (optional)').fill(where.lng.toFixed(6));
    await citizen
      .getByLabel('What happened', { exact: true })
      .fill('My bicycle was taken from the rack outside the library overnight.');
    await citizen
      .getByLabel('Property', { exact: true })
      .fill('Blue Trek FX 2 bicycle, serial WTU123X4567, worth about $650');
    await citizen.getByLabel('Your full name').fill('Robin Example');
    await citizen.getByLabel('Your date of birth').fill('1980-04-02');
    await citizen.getByLabel('Email', { exact: true }).fill(CITIZEN);
    await citizen.getByLabel(/This report is true/).check();
    await fillTimePassed(citizen);
    await citizen.getByRole('button', { name: 'Send my report' }).click();
    await citizen.getByRole('heading', { name: 'Your report is received' }).waitFor();
    const temporary = ((await citizen.locator('strong.number').textContent()) ?? '').trim();
    expect(temporary).not.toBe('');
    const copy = await inbox(citizen, CITIZEN, new RegExp(`Your online report ${temporary}`));
    expect(await copy.textContent()).toMatch(/not the official copy/i);

    // The report is in the analyst's queue, live.
    await floor.getByTestId('tab-public').click();
    const item = floor.getByTestId('online-report').filter({ hasText: temporary });
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button', { name: 'Ask for more' }).click();
    await item
      .getByLabel('What the reporter should add')
      .fill('Where exactly was the rack, and when did you last see the bicycle?');
    await item.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => item.getByTestId('report-clock').textContent(), { timeout: 15_000 })
      .toMatch(/waiting/i);

    const asked = await inbox(
      citizen,
      CITIZEN,
      new RegExp(`More information is needed for your report ${temporary}`),
    );
    await asked.getByRole('link', { name: /\/portal\/reports\/status\?token=/ }).click();
    await citizen.getByRole('heading', { name: `Report ${temporary}` }).waitFor();
    expect(await citizen.locator('main').textContent()).toContain('Where exactly was the rack');
    await citizen
      .getByLabel('Your answer')
      .fill('The rack by the east door. I last saw it at 9 pm.');
    await fillTimePassed(citizen);
    await citizen.getByRole('button', { name: 'Send this information' }).click();
    await citizen.getByRole('status').filter({ hasText: 'your information is added' }).waitFor();

    // Back in the queue with the addition; the analyst approves it and a case is opened.
    await expect
      .poll(() => item.textContent(), { timeout: 30_000 })
      .toContain('The rack by the east door');
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.getByRole('button', { name: 'Send' }).click();
    await item.waitFor({ state: 'detached', timeout: 30_000 });

    const approved = await inbox(
      citizen,
      CITIZEN,
      new RegExp(`Your report ${temporary} is approved`),
    );
    const subject = (await approved.getByRole('heading').textContent()) ?? '';
    const permanent = /case number (\S+)$/.exec(subject.trim())?.[1];
    expect(permanent).toBeDefined();
    expect(permanent).not.toBe(temporary);
    await approved.getByRole('link', { name: /\/portal\/reports\/status\?token=/ }).click();
    await citizen.getByRole('heading', { name: `Report ${temporary}` }).waitFor();
    await expect(citizen.locator('strong.number').textContent()).resolves.toBe(permanent);
    // The case it opened is the center's, under that number.
    const opened = await site.api<{ number: string }>(
      analystToken,
      'GET',
      `/v1/cases/${encodeURIComponent(permanent!)}`,
    );
    expect(opened.status).toBe(200);
    expect(opened.body.number).toBe(permanent);
  }, 240_000);
});

describe('an administrator at the Users panel of the web console', () => {
  const admin = () => site.account('admin');
  const newOfficer = 'night-officer';
  let adminContext: BrowserContext;
  let adminPage: Page;

  const usersPanel = () => adminPage.getByTestId('users-panel');
  const row = (username: string) =>
    usersPanel().locator(`[data-testid="user-row"][data-username="${username}"]`);

  afterAll(async () => {
    await adminContext?.close().catch(() => undefined);
  });

  it('an admin creates a user, who enrols and signs in', async () => {
    adminContext = await consoleContext(browser);
    await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(site.consoleUrl).origin,
    });
    adminPage = await adminContext.newPage();
    await adminPage.goto(site.consoleUrl);
    await submitSignIn(adminPage, admin());
    await adminPage.getByTestId('console').waitFor({ timeout: 30_000 });
    // The panel's key.
    await adminPage.keyboard.press('j');
    await usersPanel().waitFor();
    await row(admin().username).waitFor();

    await adminPage.getByTestId('new-user').click();
    // The contract's message shows beside the field before anything is sent.
    await adminPage.getByTestId('new-user-username').fill('Night Officer');
    await adminPage.getByTestId('new-user-submit').click();
    await expect(adminPage.getByTestId('new-user-error-username').textContent()).resolves.toBe(
      'a username is lower-case letters, digits, dot, dash, underscore',
    );
    await adminPage.getByTestId('new-user-username').fill(newOfficer);
    await adminPage.getByTestId('new-user-display-name').fill('Ofc. Night');
    await adminPage.getByTestId('new-user-role').selectOption('officer');
    await adminPage.getByTestId('new-user-submit').click();

    // The temporary password and the enrolment code, shown only now, with a button to copy them.
    const shown = adminPage.getByTestId('user-shown-once');
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toContain('Shown only now.');
    const password = (
      (await adminPage.getByTestId('shown-temporary-password').textContent()) ?? ''
    ).trim();
    const enrolmentCode = (
      (await adminPage.getByTestId('shown-enrolment-code').textContent()) ?? ''
    ).trim();
    expect(password).toMatch(/^[0-9a-z]{5}(-[0-9a-z]{5}){3}$/);
    await adminPage.getByTestId('user-copy').click();
    await expect
      .poll(() => adminPage.getByTestId('user-copy').textContent(), { timeout: 10_000 })
      .toBe('Copied');
    // What the page's clipboard holds (the page's own navigator; this file has no DOM types).
    const copied = await adminPage.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toContain(`Temporary password: ${password}`);
    expect(copied).toContain(`Enrolment code: ${enrolmentCode}`);
    await adminPage.getByTestId('user-shown-done').click();
    await shown.waitFor({ state: 'detached' });
    // Gone from the page for good: the list holds neither secret.
    expect(await usersPanel().textContent()).not.toContain(password);
    await row(newOfficer).and(adminPage.locator('[data-state="not_enrolled"]')).waitFor();
    const created = await audit('action=user.create');
    const mine = created.find((r) => r.details?.username === newOfficer);
    expect(mine).toMatchObject({ actorName: admin().username, outcome: 'success' });
    expect(JSON.stringify(created)).not.toContain(password);

    // The officer, at another workstation: the temporary password, then the enrolment code.
    const officerContext = await consoleContext(browser);
    const officerPage = await officerContext.newPage();
    await officerPage.goto(site.consoleUrl);
    await submitSignIn(officerPage, { username: newOfficer, password });
    await officerPage.locator('[data-testid="sign-in"][data-step="enrol-code"]').waitFor();
    await officerPage.getByTestId('enrolment-code').fill(enrolmentCode);
    await officerPage.getByTestId('sign-in-submit').click();
    await officerPage.locator('[data-testid="sign-in"][data-step="enrol-scan"]').waitFor();
    const key = ((await officerPage.getByTestId('enrolment-key').textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    const account: Account = { username: newOfficer, password, totpSecret: key };
    await officerPage.getByTestId('sign-in-totp').fill(await nextCode(account));
    await officerPage.getByTestId('sign-in-submit').click();
    // The temporary password opens nothing but its own replacement.
    await officerPage.locator('[data-testid="sign-in"][data-step="new-password"]').waitFor();
    const chosen = 'night shift lantern by the river';
    await officerPage.getByTestId('sign-in-new-password').fill(chosen);
    await officerPage.getByTestId('sign-in-repeat-password').fill(chosen);
    await officerPage.getByTestId('sign-in-submit').click();
    await officerPage.getByTestId('console').waitFor({ timeout: 30_000 });
    await expect(officerPage.getByTestId('user-menu').textContent()).resolves.toContain(
      'Ofc. Night',
    );

    // The administrator's list follows without a reload: enrolled, signed in.
    await row(newOfficer).and(adminPage.locator('[data-state="active"]')).waitFor({
      timeout: 20_000,
    });
    await expect(row(newOfficer).textContent()).resolves.not.toContain('last sign-in never');
    // Access tokens live five minutes: a fresh one for the trail.
    adminToken = await site.token(admin());
    const [replaced] = await audit('action=auth.password_change');
    expect(replaced).toMatchObject({ actorName: newOfficer, outcome: 'success' });
    expect(replaced?.details).toMatchObject({ temporaryReplaced: true });
    await officerContext.close();
  }, 180_000);

  it('the admin unlocks a locked-out officer', async () => {
    const officer = site.account('officer');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const reply = await site.api('', 'POST', '/v1/auth/login', {
        username: officer.username,
        password: `wrong guess ${attempt}`,
      });
      expect(reply.status).toBe(401);
    }
    // The lockout reaches the open panel as it happens.
    const locked = row(officer.username).and(adminPage.locator('[data-state="locked"]'));
    await locked.waitFor({ timeout: 20_000 });
    await expect(row(officer.username).getByTestId('user-state').textContent()).resolves.toMatch(
      // Today's time, or the date too when the lock ends after midnight in the agency's zone.
      /^locked until ([A-Z][a-z]{2} \d{1,2}, )?\d\d:\d\d$/,
    );

    // Found by the filter (the analyst locked out at the start of the shift may still be locked
    // too), unlocked from the keyboard.
    await adminPage.getByTestId('users-state-filter').selectOption('locked');
    await adminPage.getByTestId('users-filter').fill(officer.username);
    const listed = usersPanel().locator('[data-testid="user-row"]');
    await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(1);
    expect(await row(officer.username).count()).toBe(1);
    await row(officer.username).getByTestId('user-action-unlock').focus();
    await adminPage.keyboard.press('Enter');
    await adminPage.getByTestId('users-notice').waitFor();
    await expect(adminPage.getByTestId('users-notice').textContent()).resolves.toBe(
      `${officer.username} is unlocked.`,
    );
    await adminPage.getByTestId('users-state-filter').selectOption('all');
    await adminPage.getByTestId('users-filter').fill('');
    await row(officer.username).and(adminPage.locator('[data-state="active"]')).waitFor();
    // Newest first.
    const [unlock] = await audit('action=user.unlock');
    expect(unlock).toMatchObject({ actorName: admin().username, outcome: 'success' });
    expect(unlock?.details).toMatchObject({ username: officer.username, failuresCleared: 5 });

    // The right password works again at once, at the officer's workstation.
    const officerContext = await consoleContext(browser);
    const officerPage = await officerContext.newPage();
    await officerPage.goto(site.consoleUrl);
    await submitSignIn(officerPage, officer);
    await officerPage.getByTestId('console').waitFor({ timeout: 30_000 });
    await officerContext.close();
  }, 120_000);
});

describe('an auditor at the audit review of the web console', () => {
  it('filters the trail by case, follows an entry to its camera, exports the range signed, and the command line verifies the chain', async () => {
    const auditorContext = await consoleContext(browser);
    const aud = await signedInAt(auditorContext, site.consoleUrl, site.account('auditor'));
    // The auditor reads the audit trail and nothing else: no wall, no cases, no tips.
    await aud.getByTestId('tab-audit').click();
    expect(await aud.getByTestId('tab-cases').count()).toBe(0);
    expect(await aud.getByTestId('tab-tips').count()).toBe(0);
    const review = aud.getByTestId('audit-review');
    await review.getByTestId('audit-filter-caseNumber').fill(CASE_NUMBER);
    await review.getByTestId('audit-filter-action').fill('stream.grant');
    await review.getByRole('button', { name: 'Search' }).click();
    const rows = review.getByTestId('audit-entry');
    await rows.first().waitFor();
    const listed = await rows.allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    for (const row of listed) {
      expect(row).toContain('stream.grant');
      expect(row).toContain(CASE_NUMBER);
    }
    // The entry's camera, opened on the map.
    const granted = (await audit(`action=stream.grant&outcome=success`)).filter((r) =>
      JSON.stringify(r.details).includes(CASE_NUMBER),
    );
    expect(granted.length).toBeGreaterThan(0);
    await rows.first().getByTestId('audit-entry-target').click();
    const popup = aud.getByTestId('camera-popup');
    await popup.waitFor();
    expect(granted.map((r) => r.targetId)).toContain(await popup.getAttribute('data-camera-id'));

    // The range exported: a CSV and its signature, which the agency's key verifies.
    await aud.getByTestId('tab-audit').click();
    const downloads: Download[] = [];
    aud.on('download', (d) => downloads.push(d));
    await review.getByRole('button', { name: 'Export CSV (signed)' }).click();
    await eventually(() => downloads.length === 2, 'the CSV and its signature', 30_000);
    const dir = await mkdtemp(join(tmpdir(), 'wf-e2e-audit-'));
    try {
      const saved = new Map<string, string>();
      for (const d of downloads) {
        const file = join(dir, d.suggestedFilename());
        await d.saveAs(file);
        saved.set(d.suggestedFilename(), await readFile(file, 'utf8'));
      }
      const csvName = [...saved.keys()].find((n) => n.endsWith('.csv'))!;
      const csv = saved.get(csvName)!;
      const signature = JSON.parse(saved.get(`${csvName}.sig.json`)!) as ExportSignature;
      expect(csv.split('\n').filter((l) => l.includes('stream.grant')).length).toBe(signature.rows);
      const key = await site.api<{ publicKeyPem: string }>(analystToken, 'GET', '/v1/evidence/key');
      expect(exportProblem(csv, signature, key.body.publicKeyPem)).toBeNull();
      expect(exportProblem(`${csv} `, signature, key.body.publicKeyPem)).toMatch(/SHA-256/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await auditorContext.close();

    // `wf audit verify` on the running demo site's own data folder accepts the chain.
    const verified = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/wf.ts'), 'audit', 'verify'],
      { ...process.env, WF_DATA_DIR: site.dataDir, WF_DATABASE_URL: '' },
    );
    expect(verified).toMatch(/head/i);
  }, 240_000);
});

describe('when the shift is over', () => {
  it('stopping the demo site with SIGTERM leaves nothing running', async () => {
    await browser.close();
    const running = site.processes();
    // The server, the web console, and the video processes they started.
    expect(running.length).toBeGreaterThanOrEqual(2);
    const { exitCode, leftRunning } = await site.stop();
    expect(leftRunning.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
    expect(exitCode).toBe(0);
    await expect(fetch(`${site.serverUrl}/v1/health`)).rejects.toThrow();
  }, 60_000);
});
