import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../../../electron/host/gateway/ffmpegPath';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { startTestSimulator } from '../fixtures/harness';
import { eventually } from '../fixtures/processes';

let dir: string;
let simulator: CameraSimulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-sim-ptz-'));
  simulator = await startTestSimulator(dir);
});

afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

const W = 160;
const H = 120;

/** Decodes a live stream to grey frames as they come. */
function frames(url: string): { child: ChildProcess; all: Buffer[] } {
  const all: Buffer[] = [];
  const child = spawn(
    resolveFfmpegPath(),
    ['-v', 'error', '-i', url, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let pending = Buffer.alloc(0);
  child.stdout!.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= W * H) {
      all.push(pending.subarray(0, W * H));
      pending = pending.subarray(W * H);
    }
  });
  return { child, all };
}

/**
 * The sideways shift (in output pixels) that best lines `later` up with `earlier`: s when
 * later's column x shows what earlier's column x - s showed. The demo picture's colour bars stand
 * still while its boxes and clock move, so a pan shows as a shift and motion alone as none.
 */
function bestShift(earlier: Buffer, later: Buffer): number {
  let best = { shift: 0, difference: Infinity };
  for (let s = -100; s <= 100; s += 2) {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < H; y++) {
      for (let x = Math.max(0, s); x < Math.min(W, W + s); x++) {
        sum += Math.abs(later[y * W + x]! - earlier[y * W + x - s]!);
        n++;
      }
    }
    if (sum / n < best.difference) best = { shift: s, difference: sum / n };
  }
  return best.shift;
}

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('the simulator’s PTZ camera', () => {
  it('moves its window on a command, and the picture moves with it', async () => {
    const urls = simulator.ptzUrlsFor('Dome Camera 7');
    expect(urls.ptzUrl).toMatch(/\/ptz\/dome-camera-7-[0-9a-f]{6}$/);
    const home = simulator.ptzWindowOf('Dome Camera 7');
    const stream = frames(urls.substreamUrl);
    try {
      // About a second of frames without a move, then the move.
      expect(await eventually(() => stream.all.length >= 30, 20_000)).toBe(true);
      const a = stream.all[stream.all.length - 1]!;
      const n = stream.all.length;
      expect(await eventually(() => stream.all.length >= n + 25, 10_000)).toBe(true);
      const b = stream.all[stream.all.length - 1]!;

      for (const command of ['left', 'left']) {
        expect((await post(urls.ptzUrl, JSON.stringify({ command }))).status).toBe(204);
      }
      expect(simulator.ptzWindowOf('Dome Camera 7').x).toBeLessThan(home.x);
      const m = stream.all.length;
      expect(await eventually(() => stream.all.length >= m + 25, 10_000)).toBe(true);
      const c = stream.all[stream.all.length - 1]!;

      // Still, the picture lines up with itself; two steps left (half the window, 80 of the
      // 160 pixels) move what was seen to the right by as much.
      expect(Math.abs(bestShift(a, b))).toBeLessThanOrEqual(4);
      expect(bestShift(b, c)).toBeGreaterThanOrEqual(70);
      expect(bestShift(b, c)).toBeLessThanOrEqual(90);
    } finally {
      stream.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a command it does not know with 400, and a GET on the control URL with 404', async () => {
    const urls = simulator.ptzUrlsFor('Dome Camera 8');
    const bad = await post(urls.ptzUrl, '{"command":"spin"}');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^send \{"command"/);
    expect((await post(urls.ptzUrl, 'not json')).status).toBe(400);
    expect((await fetch(urls.ptzUrl)).status).toBe(404);
    expect(simulator.ptzWindowOf('Dome Camera 8')).toEqual({ x: 80, y: 60, w: 160, h: 120 });
  });
});
