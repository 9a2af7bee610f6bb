import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSimulator } from '../../../../electron/host/simulator/index';
import { ffprobe } from '../fixtures/ffprobe';
import { startTestSimulator } from '../fixtures/harness';
import { eventually } from '../fixtures/processes';

let dir: string;
let simulator: CameraSimulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-sim-'));
  simulator = await startTestSimulator(dir);
});

afterAll(async () => {
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Reads `ms` of a live HTTP stream, then hangs up; resolves with status and bytes read. */
function pull(url: string, ms: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, bytes });
      }, ms);
    });
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}

describe('camera simulator', () => {
  it('serves a named camera as live H.264 MPEG-TS that a client can read', async () => {
    const url = simulator.urlFor('Market Square');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cameras\/market-square-[0-9a-f]{6}\.ts$/);
    const probe = await ffprobe(url, { extra: ['-f', 'mpegts', '-analyzeduration', '1000000'] });
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    const sub = await ffprobe(simulator.urlFor('Market Square', 'sub'), {
      extra: ['-f', 'mpegts'],
    });
    expect(sub.streams[0]).toMatchObject({ codec_name: 'h264', width: 160, height: 120 });
  });

  it('starts a camera on first pull, shares it, and stops it when idle', async () => {
    const url = simulator.urlFor('Library Steps');
    await eventually(() => simulator.runningPids().length === 0, 5000);
    const idleBefore = simulator.runningPids().length;
    const pulls = Promise.all([pull(url, 1500), pull(url, 1500)]);
    await eventually(() => simulator.runningPids().length > idleBefore, 5000);
    // Two viewers of one camera: one loop.
    expect(simulator.runningPids().length).toBe(idleBefore + 1);
    const results = await pulls;
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.bytes % 188).toBe(0);
      expect(r.bytes).toBeGreaterThan(188 * 10);
    }
    expect(await eventually(() => simulator.runningPids().length === 0, 5000)).toBe(true);
  });

  it('encodes each clip once and reuses it on the next start', async () => {
    simulator.urlFor('Market Square');
    const clips = join(dir, 'clips');
    const files = (await readdir(clips)).filter((f) => f.endsWith('.ts') && !f.includes('partial'));
    expect(files.length).toBeGreaterThan(0);
    const mtimes = await Promise.all(files.map(async (f) => (await stat(join(clips, f))).mtimeMs));
    const second = await startTestSimulator(dir);
    try {
      await second.prepare(['Market Square']);
      const again = await Promise.all(files.map(async (f) => (await stat(join(clips, f))).mtimeMs));
      expect(again).toEqual(mtimes);
    } finally {
      await second.stop();
    }
  });

  it('serves a camera seeded by URL alone, named from its slug, and refuses malformed paths', async () => {
    const known = new URL(simulator.urlFor('Market Square'));
    const seeded = await pull(`${known.origin}/cameras/corner-market-12.ts`, 1500);
    expect(seeded.status).toBe(200);
    expect(seeded.bytes).toBeGreaterThan(188 * 10);
    const traversal = await pull(`${known.origin}/cameras/..%2f..%2fetc%2fpasswd.ts`, 200);
    expect(traversal.status).toBe(404);
    const upper = await pull(`${known.origin}/cameras/Corner-Market.ts`, 200);
    expect(upper.status).toBe(404);
    const notTs = await pull(`${known.origin}/cameras/corner-market-12.mp4`, 200);
    expect(notTs.status).toBe(404);
  });

  it("serves a demo plate's synthetic JPEG, made once, and nothing for a plate it would not make", async () => {
    const origin = new URL(simulator.urlFor('Market Square')).origin;
    const first = await fetch(`${origin}/plates/DEMO-123.jpg`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const again = Buffer.from(await (await fetch(`${origin}/plates/DEMO-123.jpg`)).arrayBuffer());
    expect(again.equals(bytes)).toBe(true);
    expect(await readdir(join(dir, 'plates'))).toEqual(['DEMO-123.jpg']);
    for (const bad of ['demo-123.jpg', 'DEMO-123.png', '..%2fDEMO.jpg', 'TOO-LONG-PLATE.jpg']) {
      expect((await fetch(`${origin}/plates/${bad}`)).status).toBe(404);
    }
  });
});
