import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFfmpeg } from '../../../../electron/host/gateway/ffmpegArgs';
import { resolveFfmpegPath } from '../../../../electron/host/gateway/ffmpegPath';
import { BoxSplitter, parseFragment } from '../../../../electron/host/gateway/fmp4Boxes';
import { encodeClip } from '../fixtures/clips';

/**
 * A camera (or the demo simulator, or an encoder with a GOP cache) that sends its last GOP at
 * once gives the gateway a keyframe in the very bytes ffmpeg probes. ffmpeg must pass those frames
 * on: dropping them (`-fflags nobuffer`) made every cold start wait for the next keyframe, up to a
 * GOP later (docs/docking.md, "The time it takes").
 */

const FPS = 25;

describe("the gateway's ffmpeg at a cold start", () => {
  let dir: string;
  let camera: Server;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-probed-'));
    const clip = await readFile(
      await encodeClip(dir, 'gop.ts', { size: '320x180', seconds: 2, codec: 'libx264', fps: FPS }),
    );
    // The whole clip at once, as a GOP cache hands over what it holds.
    camera = createServer((_req, res) => res.end(clip));
    await new Promise<void>((r) => camera.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(camera.address() as AddressInfo).port}/cam.ts`;
  });

  afterAll(async () => {
    await new Promise((r) => camera.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('passes on every frame it read while probing the source, from the first keyframe', async () => {
    const { args } = planFfmpeg(
      { protocol: 'http-ts', url, codecHint: 'h264', ptz: false },
      'main',
    );
    const child = spawn(resolveFfmpegPath(), [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const splitter = new BoxSplitter();
    let frames = 0;
    let firstIsKeyframe: boolean | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const box of splitter.push(chunk)) {
        if (box.type !== 'moof') continue;
        const info = parseFragment(box);
        firstIsKeyframe ??= info.startsWithKeyframe;
        frames += info.sampleCount;
      }
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(firstIsKeyframe).toBe(true);
    expect(frames).toBe(2 * FPS);
  });
});
