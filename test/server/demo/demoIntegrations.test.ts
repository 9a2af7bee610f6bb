import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_INTEGRATIONS_FILE,
  ensureDemoIntegrations,
} from '../../../server/demo/demoIntegrations';
import { startDemoCadReplay, type CadPoster } from '../../../server/demo/demoCadReplay';
import { loadDemoAgency, seedDemoSite } from '../../../server/demo/seedDemo';
import type { Incident } from '../../../shared/domain/incidents';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { cadIncident } from '../incidents/incidentFixtures';

let t: TestApp | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const readFile = () => JSON.parse(readFileSync(join(dir, DEMO_INTEGRATIONS_FILE), 'utf8'));

async function seeded(kind: (typeof STORE_KINDS)[number]): Promise<TestApp> {
  t = await startTestApp(kind);
  dir = mkdtempSync(join(tmpdir(), 'wf-demo-cad-'));
  await seedDemoSite(t.app.ctx, { dataDir: dir, simulatorUrl: 'http://127.0.0.1:7430' });
  return t;
}

/** Posts as the demo CAD would, through the server's own HTTP handling. */
function injectPoster(app: TestApp, key: string, statuses: number[]): CadPoster {
  return {
    async send(method, path, body) {
      const res = await app.app.api.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${key}` },
        payload: body as object,
      });
      statuses.push(res.statusCode);
      return res.statusCode;
    },
  };
}

describe.each(STORE_KINDS)("the demo site's CAD on %s", (kind) => {
  it('seeding writes the demo CAD key (mode 600) that the CAD ingest takes, and keeps it on later starts', async () => {
    const t = await seeded(kind);
    const file = join(dir, DEMO_INTEGRATIONS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const held = readFile();
    expect(Object.keys(held)).toEqual(['cad', 'lpr', 'gunshot', 'tracks']);
    expect(held.cad.name).toBe('demo CAD');
    expect(held.lpr.name).toBe('demo LPR');
    expect(held.gunshot.name).toBe('demo gunshot sensors');
    expect(held.tracks.name).toBe('demo tracking');
    expect(held.cad.key).toMatch(/^wfi_/);

    const res = await t.app.api.inject({
      method: 'POST',
      url: '/v1/ingest/cad/incidents',
      headers: { authorization: `Bearer ${held.cad.key}` },
      payload: cadIncident('2026-004512'),
    });
    expect(res.statusCode, res.body).toBe(200);

    // A later start of the seeded site keeps the key that works.
    const again = await seedDemoSite(t.app.ctx, { dataDir: dir, simulatorUrl: 'http://x' });
    expect(again.seeded).toBe(false);
    expect(readFile()).toEqual(held);
  });

  it('makes a new key when the file loses it, keeping the entries of other scopes', async () => {
    const t = await seeded(kind);
    const first = readFile();
    writeFileSync(
      join(dir, DEMO_INTEGRATIONS_FILE),
      JSON.stringify({
        lpr: first.lpr,
        gunshot: first.gunshot,
        tracks: first.tracks,
        cap: { key: 'wfi_other', name: 'a CAP sender' },
      }),
    );
    const made = await ensureDemoIntegrations(t.app.ctx, dir);
    expect(made.created).toBe(true);
    const now = readFile();
    // The keys that still work are kept; a scope the demo does not post is left as it is.
    expect(now.cap).toEqual({ key: 'wfi_other', name: 'a CAP sender' });
    expect(now.lpr).toEqual(first.lpr);
    expect(now.tracks).toEqual(first.tracks);
    expect(now.cad.key).not.toBe(first.cad.key);
    // The lost key's integration still holds the name: the new one is numbered.
    expect(now.cad.name).toBe('demo CAD 2');
    expect(statSync(join(dir, DEMO_INTEGRATIONS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('the day replay drives incidents through the real ingest: they open, move on and close', async () => {
    const t = await seeded(kind);
    const statuses: number[] = [];
    const cad = startDemoCadReplay({
      poster: injectPoster(t, readFile().cad.key, statuses),
      agency: loadDemoAgency(),
      clock: t.clock,
      speed: 24,
      autoTick: false,
    });
    await cad.tick();
    // Two replayed hours of the night: some calls done, some still open.
    for (let i = 0; i < 60; i++) {
      t.clock.advance(5_000);
      await cad.tick();
    }
    cad.stop();
    expect(statuses.length).toBeGreaterThan(20);
    expect(new Set(statuses)).toEqual(new Set([200]));

    const analyst = await t.user('analyst');
    const list = (await t.as(analyst, 'GET', '/v1/incidents')).json().incidents as Incident[];
    const demo = list.filter((i) => i.number.startsWith('SYN-'));
    expect(demo.length).toBeGreaterThan(5);
    expect(demo.every((i) => !i.outsideJurisdiction)).toBe(true);
    // Placed calls have their position; the few sent as an EIDO with a civic address have none.
    for (const i of demo) expect(i.needsPlacement).toBe(i.position === null);
    expect(demo.filter((i) => i.position !== null).length).toBeGreaterThan(5);
    const open = demo.filter((i) => i.closedAt === null).map((i) => i.number);
    expect(open.sort()).toEqual([...cad.open()].sort());
    // The call a drone would be sent over: open, placed, of the most urgent open priority.
    const hottest = cad.hottest()!;
    const placedOpen = demo.filter((i) => i.closedAt === null && i.position !== null);
    const top = Math.min(...placedOpen.map((i) => i.priority ?? 9));
    const chosen = placedOpen.find((i) => i.number === hottest.number)!;
    expect(chosen.priority).toBe(top);
    expect({ lat: hottest.lat, lon: hottest.lng }).toEqual(chosen.position);
    expect(demo.some((i) => i.closedAt !== null)).toBe(true);
    expect(new Set(demo.map((i) => i.status)).size).toBeGreaterThan(1);

    const one = demo.find((i) => i.status !== 'pending')!;
    const detail = (await t.as(analyst, 'GET', `/v1/incidents/${one.id}`)).json();
    expect(detail.statusChanges[0].status).toBe('pending');
    expect(detail.narrative[0].text).toContain('[SYNTHETIC DEMO]');
    expect(detail.units.length).toBeGreaterThan(0);
  });
});
