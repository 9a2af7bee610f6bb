import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { consoleContext } from '../../test/e2e/support/chromium';
import { launchBenchChromium } from '../support/chromium';
import { nextCode, startDemoSite, type DemoSite } from '../../test/e2e/support/demoSite';
import { percentile, printTable, round, writeResult } from '../support/results';
import { armDockProbe, dockFirstFrames } from './dockProbe';
import { describeTrace, readConsoleTrace } from './dockTrace';

/**
 * `npm run bench -- autodock [--cameras 1,4,9,16] [--runs 3] [--trace]`
 *
 * From a CAD call's acknowledgement to its nearest cameras playing on the analyst's wall, with
 * no click: the demo site as `npm start` runs it (its rules dock priority 1 calls), N agency
 * cameras set around a point, the analyst signed in to the web console in headless Chromium.
 * A priority 1 call is posted there with the demo CAD key; the clock starts when the ingest
 * answers and stops at each tile's first decoded frame. Cold: the gateway has not run those
 * cameras; warm: the same call docked again while their streams still run. The simulator's own
 * first encoding of a clip is a cost of the demo, so each camera is pulled once beforehand.
 * `--trace` prints where each tile's time went (dockTrace.ts); it turns the site's logs up to info.
 */

const POINT = { lat: 36.128, lng: -80.236 };

function warmSimulator(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no video from ${url}`));
    }, 180_000);
    const req = request(url, (res) => {
      res.once('data', () => {
        clearTimeout(timer);
        req.destroy();
        resolve();
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Metres north and east of the point. */
const near = (north: number, east: number) => ({
  lat: POINT.lat + north / 111_320,
  lng: POINT.lng + east / (111_320 * Math.cos((POINT.lat * Math.PI) / 180)),
});

interface Run {
  readonly cameras: number;
  readonly temperature: 'cold' | 'warm';
  /** ms from the acknowledgement to each tile's first frame; null: none within 30 s. */
  readonly perTileMs: (number | null)[];
  readonly ackMs: number;
}

async function oneSize(n: number, runs: number, trace: boolean): Promise<Run[]> {
  const site: DemoSite = await startDemoSite({
    env: { WF_DEMO_DOCK_COUNT: String(n), ...(trace ? { WF_LOG_LEVEL: 'info' } : {}) },
  });
  const browser = await launchBenchChromium();
  try {
    const adminToken = await site.token(site.account('admin'));
    const { cad } = JSON.parse(
      await readFile(join(site.dataDir, 'demo-integrations.json'), 'utf8'),
    ) as { cad: { key: string } };
    const results: Run[] = [];
    const page: Page = await (await consoleContext(browser)).newPage();
    await page.addInitScript('globalThis.__name = (fn) => fn');
    const analyst = site.account('analyst');
    await page.goto(site.consoleUrl);
    await page.getByTestId('sign-in-username').fill(analyst.username);
    await page.getByTestId('sign-in-password').fill(analyst.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('sign-in-totp').fill(await nextCode(analyst));
    await page.getByTestId('sign-in-submit').click();
    await page
      .locator('[data-testid="map-layers"][data-status="ready"]')
      .waitFor({ timeout: 120_000 });

    for (let r = 0; r < runs; r++) {
      // Fresh cameras for each cold run, so the gateway has never run them.
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const slug = `bench-dock-${n}-${r}-${i}`;
        const angle = (2 * Math.PI * i) / n;
        const dist = 15 + 5 * i;
        const made = await site.api<{ id: string }>(adminToken, 'POST', '/v1/cameras', {
          kind: 'agency',
          name: `Bench dock ${n} ${r} ${i}`,
          ...near(Math.cos(angle) * dist + r * 2000, Math.sin(angle) * dist),
          source: {
            protocol: 'http-ts',
            url: `${site.simulatorUrl}/cameras/${slug}.ts`,
            substreamUrl: `${site.simulatorUrl}/cameras/${slug}.sub.ts`,
            codecHint: 'h264',
          },
        });
        if (made.status !== 201) throw new Error(`camera not created: ${made.status}`);
        ids.push(made.body.id);
        await warmSimulator(`${site.simulatorUrl}/cameras/${slug}.sub.ts`);
      }
      for (const temperature of ['cold', 'warm'] as const) {
        await page.evaluate(armDockProbe, ids);
        const position = near(r * 2000, 0);
        const sent = Date.now();
        // The clock starts when the ingest answers: committed, and its event on its way.
        const ack = await site.api(cad.key, 'POST', '/v1/ingest/cad/incidents', {
          number: `BENCH-${n}-${r}-${temperature}`,
          callType: { code: 'SHOTS', text: 'Shots fired (benchmark)' },
          priority: 1,
          status: 'pending',
          location: {
            address: 'Benchmark point',
            position: { lat: position.lat, lon: position.lng },
          },
          receivedAt: new Date().toISOString(),
        });
        const ackAt = Date.now();
        if (ack.status !== 200) throw new Error(`ingest refused: ${ack.status}`);
        const ackMs = ackAt - sent;
        const deadline = ackAt + 30_000;
        let frames: Record<string, number> = {};
        while (Date.now() < deadline) {
          frames = await page.evaluate(dockFirstFrames);
          if (ids.every((id) => frames[id] !== undefined)) break;
          await sleep(50);
        }
        const perTileMs = ids.map((id) =>
          frames[id] === undefined ? null : Math.round(frames[id]! - ackAt),
        );
        results.push({ cameras: n, temperature, perTileMs, ackMs });
        process.stdout.write(
          `  ${n} cameras ${temperature}: ${perTileMs.map((m) => m ?? 'none').join(', ')} ms\n`,
        );
        if (trace) {
          const seen = await page.evaluate(readConsoleTrace);
          for (const line of describeTrace(ackAt, ids, seen, site.output())) {
            process.stdout.write(`${line}\n`);
          }
        }
        // Warm: docked again at once, while the streams run (they linger 10 s after a tile).
        await sleep(temperature === 'cold' ? 3_000 : 1_000);
      }
    }
    return results;
  } finally {
    await browser.close().catch(() => undefined);
    await site.stop();
  }
}

export async function runAutodockBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cameras: { type: 'string', default: '1,4,9,16' },
      runs: { type: 'string', default: '3' },
      trace: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.cameras.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
    throw new Error('--cameras is a list of 1 to 16');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 10) throw new Error('--runs is 1-10');
  const loadStart = loadavg().map((l) => round(l, 1));
  const all: Run[] = [];
  for (const n of sizes) {
    process.stdout.write(`autodock: ${n} cameras, ${runs} runs; starting the demo site...\n`);
    all.push(...(await oneSize(n, runs, values.trace)));
  }
  const rows = sizes.flatMap((n) =>
    (['cold', 'warm'] as const).map((temperature) => {
      const mine = all.filter((r) => r.cameras === n && r.temperature === temperature);
      const tiles = mine.flatMap((r) => r.perTileMs);
      const got = tiles.filter((m): m is number => m !== null);
      // A dock is playing when its last tile is: the figure the target is about.
      const whole = mine
        .map((r) => (r.perTileMs.includes(null) ? null : Math.max(...(r.perTileMs as number[]))))
        .filter((m): m is number => m !== null);
      return {
        cameras: n,
        start: temperature,
        runs: mine.length,
        'tile p50 ms': got.length ? round(percentile(got, 50), 0) : null,
        'tile p95 ms': got.length ? round(percentile(got, 95), 0) : null,
        'all tiles p95 ms': whole.length ? round(percentile(whole, 95), 0) : null,
        'no frame': tiles.length - got.length,
        'ack p50 ms': round(
          percentile(
            mine.map((r) => r.ackMs),
            50,
          ),
          0,
        ),
      };
    }),
  );
  printTable('autodock: ingest acknowledgement to first frame of each docked tile', rows);
  const file = writeResult('autodock', {
    at: new Date().toISOString(),
    loadAverage: { start: loadStart, end: loadavg().map((l) => round(l, 1)) },
    rows,
    runs: all,
  });
  process.stdout.write(`written to ${file}\n`);
}
