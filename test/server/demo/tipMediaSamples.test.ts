import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTipMediaSamples, type TipMediaSamples } from '../../../server/demo/tipMediaSamples';
import { selectRelayFfmpeg } from '../../../server/relay/ffmpegBinary';

const run = promisify(execFile);
let folder: string;
let samples: TipMediaSamples;

/** What ffmpeg says of a file's streams (it exits non-zero without an output: that is expected). */
async function describeStreams(path: string): Promise<string> {
  try {
    await run(selectRelayFfmpeg().path, ['-hide_banner', '-i', path]);
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wf-tip-media-'));
  samples = await ensureTipMediaSamples(folder);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('demo tip media samples', () => {
  it('makes a JPEG photo and a PNG', async () => {
    const jpeg = await readFile(samples.photo.path);
    expect(samples.photo.contentType).toBe('image/jpeg');
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const png = await readFile(samples.screenshot.path);
    expect(samples.screenshot.contentType).toBe('image/png');
    expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  });

  it('makes a short 3GPP phone video with H.263 and AAC, and an H.264 MP4', async () => {
    expect(samples.phoneVideo.contentType).toBe('video/3gpp');
    const phone = await describeStreams(samples.phoneVideo.path);
    expect(phone).toMatch(/Input #0, mov,mp4,m4a,3gp,3g2,mj2/);
    expect(phone).toMatch(/Video: h263/);
    expect(phone).toMatch(/Audio: aac/);
    expect(phone).toMatch(/Duration: 00:00:0[12]\./);
    const mp4 = await describeStreams(samples.video.path);
    expect(samples.video.contentType).toBe('video/mp4');
    expect(mp4).toMatch(/Video: h264/);
    expect(mp4).toMatch(/Duration: 00:00:0[12]\./);
  });

  it('keeps them small enough for an MMS', async () => {
    for (const s of Object.values(samples)) {
      expect((await stat(s.path)).size).toBeGreaterThan(0);
      expect((await stat(s.path)).size).toBeLessThan(600 * 1024);
    }
  });

  it('makes them once: a second call finds them and leaves them untouched', async () => {
    const before = await stat(samples.video.path);
    const again = await ensureTipMediaSamples(folder, { ffmpegPath: '/nonexistent/ffmpeg' });
    expect(again).toEqual(samples);
    expect((await stat(samples.video.path)).mtimeMs).toBe(before.mtimeMs);
  });

  it('says which sample and which ffmpeg when it cannot make one', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'wf-tip-media-'));
    try {
      await expect(
        ensureTipMediaSamples(empty, { ffmpegPath: '/nonexistent/ffmpeg' }),
      ).rejects.toThrow(/tip-photo\.jpg with \/nonexistent\/ffmpeg/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
