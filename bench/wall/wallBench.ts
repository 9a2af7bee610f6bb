import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BareChromium } from '../support/bareChromium';
import { memoryWindow } from '../support/results';
import { CHROMIUM_PATH } from '../support/chromium';
import { resolveFfmpegPath } from '../../electron/host/gateway/ffmpegPath';
import { CameraSimulator } from '../../electron/host/simulator/index';

/**
 * `npm run bench -- wall --tiles 16 --minutes 10 [--transport h2|h1] [--loader socket|http]
 *   [--variant sub|main] [--fps 25] [--main-size 1280x720]`
 *
 * A wall of N hls.js players in headless Chromium against the gateway (in its own process), fed
 * by the camera simulator. Prints a table and writes JSON to bench/results/: time to first frame
 * (cold: the whole wall started at once, and single cameras started alone; warm: a tile opened
 * on a running stream), live latency p50/p95 (hls.playingDate vs Date.now()), stalls, dropped
 * frames, renderer memory at start and end, and gateway CPU per stream against plain
 * `ffmpeg -c copy` on the same source. Never fails a build: it reports.
 */

const CLK_TCK = 100;

interface Options {
  readonly tiles: number;
  readonly minutes: number;
  readonly transport: 'h1' | 'h2';
  /** How the players load media: the media socket (as the web console does) or HTTP requests. */
  readonly loader: 'socket' | 'http';
  readonly variant: 'main' | 'sub';
  readonly referenceSeconds: number;
  /** Frame rate of the simulated cameras (substreams of real cameras often run at 15). */
  readonly fps: number;
  /** Size of the simulated main streams (the CPU target's figure is for 1920x1080 at 30 fps). */
  readonly mainSize: { readonly width: number; readonly height: number };
  /** Pull the cameras through the server's relay, as consoles do (docs/decisions/0016-camera-credentials-stay-in-the-server.md). */
  readonly relay: boolean;
}

function parseOptions(argv: string[]): Options {
  const args = argv[0] === 'wall' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args,
    options: {
      tiles: { type: 'string', default: '16' },
      minutes: { type: 'string', default: '1' },
      transport: { type: 'string', default: 'h2' },
      loader: { type: 'string', default: 'socket' },
      variant: { type: 'string', default: 'sub' },
      'reference-seconds': { type: 'string', default: '20' },
      fps: { type: 'string', default: '25' },
      'main-size': { type: 'string', default: '1280x720' },
      relay: { type: 'string', default: 'on' },
    },
    strict: true,
  });
  const tiles = Number(values.tiles);
  const minutes = Number(values.minutes);
  if (!Number.isInteger(tiles) || tiles < 1 || tiles > 64) throw new Error('--tiles is 1-64');
  if (!(minutes > 0 && minutes <= 60)) throw new Error('--minutes is more than 0, at most 60');
  if (values.transport !== 'h1' && values.transport !== 'h2')
    throw new Error('--transport is h1 or h2');
  if (values.loader !== 'socket' && values.loader !== 'http')
    throw new Error('--loader is socket or http');
  if (values.variant !== 'main' && values.variant !== 'sub')
    throw new Error('--variant is main or sub');
  if (values.relay !== 'on' && values.relay !== 'off') throw new Error('--relay is on or off');
  const size = /^(\d{3,4})x(\d{3,4})$/.exec(values['main-size']);
  if (!size) throw new Error('--main-size is WIDTHxHEIGHT, e.g. 1920x1080');
  return {
    mainSize: { width: Number(size[1]), height: Number(size[2]) },
    tiles,
    minutes,
    transport: values.transport,
    loader: values.loader,
    variant: values.variant,
    referenceSeconds: Number(values['reference-seconds']),
    fps: Number(values.fps),
    relay: values.relay === 'on',
  };
}

// ---- /proc readings (Linux) ----

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly cpuTicks: number;
  readonly rssKb: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    return {
      pid,
      ppid: Number(f[1]),
      comm,
      cpuTicks: Number(f[11]) + Number(f[12]),
      rssKb: rss ? Number(rss[1]) : 0,
    };
  } catch {
    return null;
  }
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((e) => readStat(Number(e)))
    .filter((s): s is ProcStat => s !== null);
}

/** A process and all its descendants. */
function tree(rootPid: number): ProcStat[] {
  const stats = allStats();
  const out: ProcStat[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const s = stats.find((x) => x.pid === pid);
    if (s) out.push(s);
    for (const child of stats.filter((x) => x.ppid === pid)) queue.push(child.pid);
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** CPU ticks of the gateway process and of its ffmpeg children, keyed by pid. */
function gatewayTicks(rootPid: number): Map<number, { ticks: number; ffmpeg: boolean }> {
  return new Map(
    tree(rootPid).map((s) => [s.pid, { ticks: s.cpuTicks, ffmpeg: s.comm.startsWith('ffmpeg') }]),
  );
}

function cpuDelta(
  before: Map<number, { ticks: number; ffmpeg: boolean }>,
  after: Map<number, { ticks: number; ffmpeg: boolean }>,
): { node: number; ffmpeg: number } {
  let node = 0;
  let ffmpeg = 0;
  for (const [pid, a] of after) {
    // A process that started in the window counts from zero.
    const d = a.ticks - (before.get(pid)?.ticks ?? 0);
    if (a.ffmpeg) ffmpeg += d;
    else node += d;
  }
  return { node, ffmpeg };
}

function treeTicks(rootPid: number | null): number {
  return rootPid === null ? 0 : tree(rootPid).reduce((sum, s) => sum + s.cpuTicks, 0);
}

/** Busy ticks of the whole machine (all cores), from /proc/stat. */
function systemTicks(): { busy: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: cpu.slice(0, 8).reduce((a, b) => a + b, 0) - idle };
}

function rendererRssMb(browserPid: number | null): number | null {
  if (browserPid === null) return null;
  const renderers = tree(browserPid).filter((s) => cmdline(s.pid).includes('--type=renderer'));
  return Math.round(renderers.reduce((sum, s) => sum + s.rssKb, 0) / 1024);
}

function chromiumPid(): number | null {
  const candidates = allStats().filter(
    (s) =>
      cmdline(s.pid).startsWith('/usr/lib/chromium/chromium') &&
      !cmdline(s.pid).includes('--type='),
  );
  const mine = candidates.filter((s) => tree(process.pid).some((t) => t.pid === s.pid));
  return (mine[0] ?? candidates[0])?.pid ?? null;
}

// ---- helpers ----

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps a simulator camera running (as a real camera is) by reading and discarding it. */
function keepPulling(url: string): () => void {
  const req = request(url, (res) => res.resume());
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

async function startGatewayHost(
  config: unknown,
  name = 'gatewayHost.ts',
): Promise<{ child: ChildProcess; origin: string; spki: string | null }> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('gateway host did not start')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, nl));
      }
    });
    child.once('exit', () => reject(new Error('gateway host exited')));
  });
  const ready = JSON.parse(line) as { origin: string; spkiSha256: string | null };
  return { child, origin: ready.origin, spki: ready.spkiSha256 };
}

/** CPU of plain `ffmpeg -c copy` on the same sources: the reference the gateway is held to. */
async function referenceCopyCpu(urls: readonly string[], seconds: number): Promise<number> {
  const children = urls.map((url) =>
    spawn(
      resolveFfmpegPath(),
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'mpegts',
        '-i',
        url,
        '-map',
        '0:v:0',
        '-c',
        'copy',
        '-f',
        'mp4',
        '-movflags',
        'empty_moov+default_base_moof+frag_keyframe',
        '-y',
        '/dev/null',
      ],
      {
        stdio: 'ignore',
      },
    ),
  );
  await sleep(2000);
  const before = children.map((c) => readStat(c.pid!)?.cpuTicks ?? 0);
  await sleep(seconds * 1000);
  const after = children.map((c) => readStat(c.pid!)?.cpuTicks ?? 0);
  for (const c of children) c.kill('SIGKILL');
  const ticks = after.reduce((s, a, i) => s + a - before[i]!, 0);
  return (100 * ticks) / CLK_TCK / seconds / urls.length;
}

interface PageReport {
  readonly tiles: number;
  readonly tilesPlaying: number;
  readonly requestQueueP50Ms: number | null;
  readonly requestQueueP95Ms: number | null;
  readonly requests: number;
  readonly protocols: Readonly<Record<string, number>>;
  readonly latencySamples: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly latencyMaxMs: number | null;
  readonly hlsLatencyP50Ms: number | null;
  readonly hlsTargetLatencyMs: number | null;
  readonly bufferAheadP50Ms: number | null;
  readonly stalls: number;
  readonly stallMs: number;
  readonly startupWaits: number;
  readonly liveEdgeJumps: number;
  readonly droppedFrames: number;
  readonly totalFrames: number;
  readonly fatalErrors: number;
  readonly errors: number;
  readonly errorKinds: readonly string[];
  readonly perTile: readonly unknown[];
}

export async function runWallBench(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const loadAtStart = loadAverage();
  const extraCold = 3;
  const cameraCount = options.tiles + extraCold;
  const names = Array.from(
    { length: cameraCount },
    (_, i) => `Bench camera ${String(i + 1).padStart(2, '0')}`,
  );
  process.stdout.write(
    `wall bench: ${options.tiles} tiles, ${options.minutes} min, ${options.transport}, ${options.loader} loader, ${options.variant} streams at ${options.fps} fps, ${options.relay ? 'through the relay' : 'cameras pulled directly'}\n`,
  );

  const simulator = new CameraSimulator({
    dataDir: join(tmpdir(), 'watchfloor-bench-sim'),
    fps: options.fps,
    mainSize: options.mainSize,
    idleMs: 30_000,
  });
  await simulator.start();
  process.stdout.write('encoding demo clips (once per camera)...\n');
  await simulator.prepare(names);
  const cameras = names.map((name) => ({
    key: name,
    url: simulator.urlFor(name),
    substreamUrl: simulator.urlFor(name, 'sub'),
  }));
  const pulled =
    options.variant === 'sub' ? cameras.map((c) => c.substreamUrl) : cameras.map((c) => c.url);
  const stopPulling = pulled.map(keepPulling);
  await sleep(1500);

  // The relay pulls the simulator; the gateway pulls the relay with a grant's token.
  const tokens = cameras.map(() => randomBytes(32).toString('base64url'));
  const relay = options.relay
    ? await startGatewayHost(
        { cameras: cameras.map((c, i) => ({ ...c, token: tokens[i]! })) },
        'relayHost.ts',
      )
    : null;
  const gatewayCameras = relay
    ? cameras.map((c, i) => ({
        key: c.key,
        url: `${relay.origin}/v1/relay/${tokens[i]!}/main`,
        substreamUrl: `${relay.origin}/v1/relay/${tokens[i]!}/sub`,
      }))
    : cameras;
  const host = await startGatewayHost({
    transport: options.transport,
    variant: options.variant,
    cameras: gatewayCameras,
  });
  let browser: BareChromium | null = null;
  try {
    // Not Playwright: its Network instrumentation would copy every media message to the driver.
    browser = BareChromium.launch(
      [
        ...(host.spki ? [`--ignore-certificate-errors-spki-list=${host.spki}`] : []),
        '--js-flags=--expose-gc',
      ],
      { width: 1600, height: 900 },
      (text) => process.stderr.write(`bench ${text}\n`),
    );
    const page = await browser.open(`${host.origin}/bench/?loader=${options.loader}`);
    const browserPid = chromiumPid();

    const coldWall = (await page.evaluate(
      (n) => (globalThis as unknown as BenchPage).benchStart(n),
      options.tiles,
    )) as number[];
    process.stdout.write(
      `wall playing: first frames ${coldWall.map((v) => Math.round(v)).join(' ')} ms\n`,
    );
    await sleep(5000);
    const memoryStart = {
      jsHeapMb: mb(await page.evaluate(() => (globalThis as unknown as BenchPage).benchMemory())),
      rendererRssMb: rendererRssMb(browserPid),
    };
    const cpuBefore = gatewayTicks(host.child.pid!);
    const relayBefore = relay ? treeTicks(relay.child.pid!) : 0;
    const browserBefore = treeTicks(browserPid);
    const systemBefore = systemTicks();
    const steadyStart = Date.now();
    const endAt = steadyStart + options.minutes * 60_000;
    while (Date.now() < endAt) {
      await sleep(Math.min(30_000, endAt - Date.now()));
      const p50 = await page.evaluate(() => (globalThis as unknown as BenchPage).benchLatencyP50());
      process.stdout.write(
        `  ${Math.round((Date.now() - steadyStart) / 1000)} s: latency p50 ${p50 ?? '-'} ms\n`,
      );
    }
    const cpuAfter = gatewayTicks(host.child.pid!);
    const relayAfter = relay ? treeTicks(relay.child.pid!) : 0;
    const browserAfter = treeTicks(browserPid);
    const systemAfter = systemTicks();
    const steadySec = (Date.now() - steadyStart) / 1000;
    const memoryEnd = {
      jsHeapMb: mb(await page.evaluate(() => (globalThis as unknown as BenchPage).benchMemory())),
      rendererRssMb: rendererRssMb(browserPid),
    };
    const report = (await page.evaluate(() =>
      (globalThis as unknown as BenchPage).benchReport(),
    )) as PageReport;

    // Warm: a new tile on a stream the gateway already runs.
    const warm: (number | null)[] = [];
    for (let i = 0; i < 5; i++) {
      warm.push(
        await page.evaluate(([c, v]) => (globalThis as unknown as BenchPage).benchProbe(c, v), [
          i % options.tiles,
          `warm-${i}`,
        ] as const),
      );
      await sleep(500);
    }
    // Cold, one at a time: a camera the gateway is not running yet.
    const coldSingle: (number | null)[] = [];
    for (let i = 0; i < extraCold; i++) {
      coldSingle.push(
        await page.evaluate(([c, v]) => (globalThis as unknown as BenchPage).benchProbe(c, v), [
          options.tiles + i,
          `cold-${i}`,
        ] as const),
      );
      await sleep(500);
    }
    await browser.close();
    browser = null;
    // The streams keep running (their viewers never left): the gateway's cost without players.
    const ingestBefore = gatewayTicks(host.child.pid!);
    const relayIngestBefore = relay ? treeTicks(relay.child.pid!) : 0;
    const ingestStart = Date.now();
    await sleep(options.referenceSeconds * 1000);
    const ingestAfter = gatewayTicks(host.child.pid!);
    const relayIngestAfter = relay ? treeTicks(relay.child.pid!) : 0;
    const ingestSec = (Date.now() - ingestStart) / 1000;
    const ingestStreams = [...ingestAfter.values()].filter((p) => p.ffmpeg).length;
    const ingest = cpuDelta(ingestBefore, ingestAfter);
    const ingestPerStreamPct =
      ingestStreams > 0
        ? (100 * (ingest.node + ingest.ffmpeg)) / CLK_TCK / ingestSec / ingestStreams
        : 0;
    host.child.kill('SIGTERM');
    await new Promise((resolve) => host.child.once('exit', resolve));
    if (relay) {
      relay.child.kill('SIGTERM');
      await new Promise((resolve) => relay.child.once('exit', resolve));
    }

    process.stdout.write(
      `reference: plain ffmpeg -c copy on the same sources, ${options.referenceSeconds} s...\n`,
    );
    const referencePct = await referenceCopyCpu(
      pulled.slice(0, Math.min(2, pulled.length)),
      options.referenceSeconds,
    );

    const cpu = cpuDelta(cpuBefore, cpuAfter);
    const perStream = (ticks: number): number =>
      (100 * ticks) / CLK_TCK / steadySec / options.tiles;
    const gatewayPerStreamPct = perStream(cpu.node + cpu.ffmpeg);
    const result = {
      bench: 'wall',
      at: new Date().toISOString(),
      // Other work on this shared machine shows here: compare runs with similar load only.
      machine: {
        cores: 2,
        chromium: CHROMIUM_PATH,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadAverage(),
      },
      options,
      source: {
        variant: options.variant,
        size:
          options.variant === 'sub'
            ? '640x360'
            : `${options.mainSize.width}x${options.mainSize.height}`,
        fps: options.fps,
        gopSec: 1,
      },
      tilesPlaying: report.tilesPlaying,
      /** Time media requests waited in the browser before being sent: the connection limit. */
      mediaRequests: {
        queueP50Ms: round(report.requestQueueP50Ms ?? 0, 1),
        queueP95Ms: round(report.requestQueueP95Ms ?? 0, 1),
        count: report.requests,
        protocols: report.protocols,
      },
      timeToFirstFrameMs: {
        coldWall: summary(coldWall),
        coldSingle: summary(coldSingle.filter((v): v is number => v !== null)),
        coldSingleNeverPlayed: coldSingle.filter((v) => v === null).length,
        warm: summary(warm.filter((v): v is number => v !== null)),
        warmNeverPlayed: warm.filter((v) => v === null).length,
      },
      latencyMs: {
        p50: report.latencyP50Ms,
        p95: report.latencyP95Ms,
        max: report.latencyMaxMs,
        samples: report.latencySamples,
        hlsJsLatencyP50: report.hlsLatencyP50Ms,
        hlsJsTarget: report.hlsTargetLatencyMs,
        bufferAheadP50: report.bufferAheadP50Ms,
      },
      stalls: report.stalls,
      stallMs: report.stallMs,
      startupWaits: report.startupWaits,
      liveEdgeJumps: report.liveEdgeJumps,
      droppedFrames: report.droppedFrames,
      totalFrames: report.totalFrames,
      droppedRatioPct: report.totalFrames
        ? round((100 * report.droppedFrames) / report.totalFrames, 3)
        : null,
      hlsErrors: { count: report.errors, fatal: report.fatalErrors, kinds: report.errorKinds },
      memory: memoryWindow(memoryStart, memoryEnd),
      cpu: {
        windowSec: round(steadySec, 1),
        gatewayPerStreamPctOfCore: round(gatewayPerStreamPct, 2),
        gatewayNodePerStreamPct: round(perStream(cpu.node), 2),
        gatewayFfmpegPerStreamPct: round(perStream(cpu.ffmpeg), 2),
        /** ffmpeg + packaging with no player pulling: the like-for-like comparison with -c copy. */
        ingestOnlyPerStreamPct: round(ingestPerStreamPct, 2),
        ingestOnlyRatioToPlainCopy:
          referencePct > 0 ? round(ingestPerStreamPct / referencePct, 2) : null,
        plainFfmpegCopyPerStreamPct: round(referencePct, 2),
        /** The server's relay (its own process), per stream, serving the wall and with no player. */
        relayPerStreamPct: relay ? round(perStream(relayAfter - relayBefore), 2) : null,
        relayIngestOnlyPerStreamPct:
          relay && ingestStreams > 0
            ? round(
                (100 * (relayIngestAfter - relayIngestBefore)) /
                  CLK_TCK /
                  ingestSec /
                  ingestStreams,
                2,
              )
            : null,
        ratioToPlainCopy: referencePct > 0 ? round(gatewayPerStreamPct / referencePct, 2) : null,
        /** Chromium (all its processes) and the whole machine, in % of one core, during the wall. */
        chromiumPctOfCore: round((100 * (browserAfter - browserBefore)) / CLK_TCK / steadySec, 1),
        machineBusyPctOfCore: round(
          (100 * (systemAfter.busy - systemBefore.busy)) / CLK_TCK / steadySec,
          1,
        ),
      },
      targets: {
        latencyP50Ms: 800,
        latencyP95Ms: 1500,
        stalls: 0,
        droppedRatioPct: 0.5,
        warmFirstFrameP95Ms: 1000,
        coldFirstFrameP95Ms: 2000,
        rendererGrowthMb: 50,
        cpuRatio: 1.5,
      },
      perTile: report.perTile,
    };
    printTable(result);
    const dir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(dir, { recursive: true });
    const file = join(
      dir,
      `wall-${options.tiles}t-${options.transport}-${options.loader}${options.relay ? '-relay' : ''}-${result.at.replace(/[:.]/g, '-')}.json`,
    );
    await writeFile(file, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`written ${file}\n`);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    if (host.child.exitCode === null) host.child.kill('SIGTERM');
    if (relay && relay.child.exitCode === null) relay.child.kill('SIGTERM');
    for (const stop of stopPulling) stop();
    await simulator.stop();
  }
}

function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

function mb(bytes: unknown): number | null {
  return typeof bytes === 'number' ? Math.round(bytes / 1024 / 1024) : null;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function summary(values: readonly number[]): {
  p50: number | null;
  p95: number | null;
  max: number | null;
  n: number;
} {
  const r = (v: number | null): number | null => (v === null ? null : Math.round(v));
  return {
    p50: r(percentile(values, 50)),
    p95: r(percentile(values, 95)),
    max: r(values.length ? Math.max(...values) : null),
    n: values.length,
  };
}

function printTable(r: {
  options: Options;
  tilesPlaying: number;
  mediaRequests: {
    queueP50Ms: number;
    queueP95Ms: number;
    protocols: Readonly<Record<string, number>>;
  };
  machine: { loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  timeToFirstFrameMs: {
    coldWall: { p50: number | null; p95: number | null };
    coldSingle: { p50: number | null; p95: number | null };
    warm: { p50: number | null; p95: number | null };
  };
  latencyMs: { p50: number | null; p95: number | null };
  stalls: number;
  droppedRatioPct: number | null;
  memory: {
    start: { rendererRssMb: number | null; jsHeapMb: number | null };
    end: { rendererRssMb: number | null; jsHeapMb: number | null };
    rendererGrowthMb: number | null;
  };
  cpu: {
    gatewayPerStreamPctOfCore: number;
    plainFfmpegCopyPerStreamPct: number;
    ratioToPlainCopy: number | null;
    ingestOnlyPerStreamPct: number;
    ingestOnlyRatioToPlainCopy: number | null;
    relayPerStreamPct: number | null;
    relayIngestOnlyPerStreamPct: number | null;
  };
}): void {
  const rows: [string, string, string][] = [
    ['tiles playing', `${r.tilesPlaying} / ${r.options.tiles}`, 'all'],
    [
      'media request queueing p50 / p95',
      `${r.mediaRequests.queueP50Ms} / ${r.mediaRequests.queueP95Ms} ms (${Object.keys(r.mediaRequests.protocols).join(', ')})`,
      '',
    ],
    ['latency p50 / p95', `${r.latencyMs.p50} / ${r.latencyMs.p95} ms`, '<= 800 / 1500 ms'],
    [
      'first frame, whole wall cold p50 / p95',
      `${r.timeToFirstFrameMs.coldWall.p50} / ${r.timeToFirstFrameMs.coldWall.p95} ms`,
      '',
    ],
    [
      'first frame, single cold p50 / p95',
      `${r.timeToFirstFrameMs.coldSingle.p50} / ${r.timeToFirstFrameMs.coldSingle.p95} ms`,
      'p95 <= 2000 ms',
    ],
    [
      'first frame, warm p50 / p95',
      `${r.timeToFirstFrameMs.warm.p50} / ${r.timeToFirstFrameMs.warm.p95} ms`,
      'p95 <= 1000 ms',
    ],
    ['stalls', String(r.stalls), '0'],
    ['dropped frames', `${r.droppedRatioPct} %`, '< 0.5 %'],
    [
      'renderer RSS start -> end',
      `${r.memory.start.rendererRssMb} -> ${r.memory.end.rendererRssMb} MB (${r.memory.rendererGrowthMb} MB)`,
      '< 50 MB growth',
    ],
    ['JS heap start -> end', `${r.memory.start.jsHeapMb} -> ${r.memory.end.jsHeapMb} MB`, ''],
    ['gateway CPU per stream', `${r.cpu.gatewayPerStreamPctOfCore} % of a core`, ''],
    ['plain ffmpeg -c copy per stream', `${r.cpu.plainFfmpegCopyPerStreamPct} % of a core`, ''],
    ['gateway / plain copy (serving the wall)', `${r.cpu.ratioToPlainCopy}x`, ''],
    ['gateway ingest only (no players)', `${r.cpu.ingestOnlyPerStreamPct} % of a core`, ''],
    ['ingest only / plain copy', `${r.cpu.ingestOnlyRatioToPlainCopy}x`, '<= 1.5x'],
    [
      'server relay per stream (wall / no players)',
      `${r.cpu.relayPerStreamPct ?? '-'} / ${r.cpu.relayIngestOnlyPerStreamPct ?? '-'} % of a core`,
      '',
    ],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  process.stdout.write(
    `\n${r.options.tiles} tiles, ${r.options.transport}, ${r.options.loader} loader, ${r.options.minutes} min\n`,
  );
  for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
}

/** The bench page's functions, called inside page.evaluate (browser context). */
interface BenchPage {
  benchStart(n: number): Promise<(number | null)[]>;
  benchProbe(camera: number, viewer: string): Promise<number | null>;
  benchMemory(): number | null;
  benchLatencyP50(): number | null;
  benchReport(): unknown;
}
