import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMediaServer,
  StreamGateway,
  type MediaServer,
} from '../../../../electron/host/gateway/index';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { httpTs, startTestSimulator } from '../fixtures/harness';

const PAGE = `<!doctype html><html><body><video muted autoplay playsinline></video>
<script src="/hls.js"></script>
<script>
  window.result = { frames: 0, errors: [], fatal: 0 };
  window.play = (src) => {
    const video = document.querySelector('video');
    const hls = new Hls({ lowLatencyMode: true });
    window.hls = hls;
    hls.on(Hls.Events.ERROR, (_e, d) => { window.result.errors.push(d.details); if (d.fatal) window.result.fatal++; });
    hls.loadSource(src);
    hls.attachMedia(video);
    const onFrame = () => { window.result.frames++; video.requestVideoFrameCallback(onFrame); };
    video.requestVideoFrameCallback(onFrame);
  };
</script></body></html>`;

interface PageState {
  readonly frames: number;
  readonly fatal: number;
  readonly parts: number;
  readonly canBlockReload: boolean;
  readonly lowLatency: boolean;
  readonly playingDate: number | null;
  readonly currentTime: number;
}

let dir: string;
let simulator: CameraSimulator;
let gateway: StreamGateway;
let server: MediaServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-hlsjs-'));
  simulator = await startTestSimulator(join(dir, 'sim'));
  gateway = new StreamGateway({ dataDir: join(dir, 'gw') });
  const hlsJs = await readFile(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  server = await startMediaServer({
    gateway,
    transport: 'h1',
    fallback: (req, res) => {
      const r = res as ServerResponse;
      if (req.url === '/hls.js') r.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
      else r.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await server?.close();
  await simulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('hls.js in Chromium', () => {
  it('plays the live playlist in low-latency mode, with parts, blocking reload and PDT', async () => {
    const { playlistPath } = gateway.open('Quay', httpTs(simulator.urlFor('Quay')), 'main', 'tile');
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate(
      (src) => (globalThis as unknown as { play(s: string): void }).play(src),
      `/media/${playlistPath}`,
    );
    const read = (): Promise<PageState> =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          result: { frames: number; fatal: number };
          hls: {
            latestLevelDetails: { partList: unknown[] | null; canBlockReload: boolean } | null;
            lowLatencyMode: boolean;
            playingDate: Date | null;
            media: { currentTime: number } | null;
          };
        };
        const details = g.hls.latestLevelDetails;
        return {
          frames: g.result.frames,
          fatal: g.result.fatal,
          parts: details?.partList?.length ?? 0,
          canBlockReload: details?.canBlockReload ?? false,
          lowLatency: g.hls.lowLatencyMode,
          playingDate: g.hls.playingDate ? g.hls.playingDate.getTime() : null,
          currentTime: g.hls.media?.currentTime ?? 0,
        };
      });
    let state = await read();
    for (let i = 0; i < 100 && state.frames < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await read();
    }
    expect(state.frames).toBeGreaterThanOrEqual(30);
    expect(state.fatal).toBe(0);
    expect(state.lowLatency).toBe(true);
    expect(state.canBlockReload).toBe(true);
    expect(state.parts).toBeGreaterThan(0);
    expect(state.playingDate).not.toBeNull();
    // Playback moves on, and the playing date with it.
    const before = state;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await read();
    expect(after.currentTime).toBeGreaterThan(before.currentTime);
    expect(after.playingDate!).toBeGreaterThan(before.playingDate!);
    await page.close();
  });
});
