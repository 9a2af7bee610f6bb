import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMediaStore, type MediaStore } from '../../../server/media/mediaStore';
import { findMediaTools } from '../../../server/media/mediaTools';
import {
  makeImagePreview,
  makePlayable,
  type PlayableVideo,
} from '../../../server/media/playableVideo';

/**
 * Browser-playable renditions of tip videos, made by the server's ffmpeg and checked with ffprobe
 * and by reading the MP4's top-level boxes. Inputs are made here with ffmpeg's test sources.
 */

const run = promisify(execFile);
const tools = findMediaTools();

let dir = '';
let store: MediaStore;
const inputs: Record<string, string> = {};

/** Makes a clip with ffmpeg's test picture (and a tone when `audio` names an encoder). */
async function clip(
  name: string,
  opts: { size: string; seconds: number; video: string[]; audio?: string[]; format: string },
): Promise<void> {
  const path = join(dir, name);
  await run(tools.ffmpeg, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${opts.size}:rate=15:duration=${opts.seconds}`,
    ...(opts.audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${opts.seconds}`] : []),
    ...opts.video,
    ...(opts.audio ?? ['-an']),
    '-f',
    opts.format,
    path,
  ]);
  inputs[name] = (await store.putFile(path)).sha256;
}

async function putBytes(bytes: Buffer): Promise<string> {
  const put = await store.putStream(Readable.from([bytes]), { maxBytes: bytes.length });
  if ('tooLarge' in put) throw new Error('unreachable');
  return put.sha256;
}

const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-playable-'));
  store = await openMediaStore(join(dir, 'media'));
  await Promise.all([
    clip('h263.3gp', {
      size: '176x144',
      seconds: 3,
      video: ['-c:v', 'h263'],
      audio: ['-c:a', 'aac', '-ar', '8000', '-ac', '1', '-b:a', '16k'],
      format: '3gp',
    }),
    clip('mpeg4-wide.mp4', {
      size: '1601x901',
      seconds: 2.5,
      video: ['-c:v', 'mpeg4', '-q:v', '10'],
      audio: ['-c:a', 'aac'],
      format: 'mp4',
    }),
  ]);
  await Promise.all([
    clip('faststart.mp4', {
      size: '320x240',
      seconds: 3,
      video: [...h264, '-movflags', '+faststart'],
      audio: ['-c:a', 'aac'],
      format: 'mp4',
    }),
    clip('index-last.mp4', {
      size: '320x240',
      seconds: 3,
      video: h264,
      audio: ['-c:a', 'aac'],
      format: 'mp4',
    }),
    clip('h264.mov', { size: '480x270', seconds: 3, video: h264, format: 'mov' }),
    clip('located.mp4', {
      size: '320x240',
      seconds: 2,
      video: [...h264, '-movflags', '+faststart', '-metadata', 'location=+40.7128-074.0060/'],
      format: 'mp4',
    }),
    clip('short.mp4', { size: '320x240', seconds: 0.4, video: h264, format: 'mp4' }),
  ]);
  const indexLast = await readFile(store.pathOf(inputs['index-last.mp4']!));
  inputs.truncated = await putBytes(indexLast.subarray(0, indexLast.length / 2));
  inputs.noise = await putBytes(
    Buffer.concat([
      Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'),
      randomBytes(20_000),
    ]),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Probe {
  readonly streams: readonly {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
  }[];
  readonly format: { format_name: string; duration?: string; tags?: Record<string, string> };
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/tip-media');

async function probe(sha: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,codec_name,width,height,pix_fmt:format=format_name,duration:format_tags',
    '-of',
    'json',
    store.pathOf(sha),
  ]);
  return JSON.parse(stdout) as Probe;
}

/** The types of the MP4's top-level boxes, in order. */
async function topLevelBoxes(sha: string): Promise<string[]> {
  const bytes = await readFile(store.pathOf(sha));
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = bytes.readUInt32BE(at);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    boxes.push(bytes.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

async function expectBrowserPlayable(
  result: PlayableVideo,
  size: { width: number; height: number },
  audio: boolean,
): Promise<void> {
  const p = await probe(result.playableSha);
  expect(p.format.format_name).toContain('mp4');
  const video = p.streams.filter((s) => s.codec_type === 'video');
  expect(video).toEqual([
    expect.objectContaining({ codec_name: 'h264', pix_fmt: 'yuv420p', ...size }),
  ]);
  const sound = p.streams.filter((s) => s.codec_type === 'audio');
  expect(sound.map((s) => s.codec_name)).toEqual(audio ? ['aac'] : []);
  const boxes = await topLevelBoxes(result.playableSha);
  expect(boxes[0]).toBe('ftyp');
  expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
}

async function expectPoster(result: PlayableVideo, size: { width: number; height: number }) {
  const bytes = await readFile(store.pathOf(result.posterSha));
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  const p = await probe(result.posterSha);
  expect(p.streams).toEqual([expect.objectContaining({ codec_name: 'mjpeg', ...size })]);
}

function playable(result: PlayableVideo | { failed: string }): PlayableVideo {
  if ('failed' in result) throw new Error(`expected a playable video, got: ${result.failed}`);
  return result;
}

describe('videos a browser cannot play', () => {
  it('converts a 3GPP phone clip (H.263 with AAC) to H.264 and AAC in a fast-start MP4', async () => {
    const result = playable(await makePlayable(store, inputs['h263.3gp']!, 'video/3gpp'));
    expect(result.playableSha).not.toBe(inputs['h263.3gp']);
    await expectBrowserPlayable(result, { width: 176, height: 144 }, true);
    await expectPoster(result, { width: 176, height: 144 });
    expect(result.durationSeconds).toBeGreaterThan(2.5);
    expect(result.durationSeconds).toBeLessThan(3.5);
  });

  it('scales a wide MPEG-4 Part 2 clip with odd dimensions down to 1280 px, even', async () => {
    const result = playable(await makePlayable(store, inputs['mpeg4-wide.mp4']!, 'video/mp4'));
    await expectBrowserPlayable(result, { width: 1280, height: 720 }, true);
    await expectPoster(result, { width: 640, height: 360 });
  });

  it('converts without ffprobe, looking at nothing first', async () => {
    const result = playable(
      await makePlayable(store, inputs['h263.3gp']!, 'video/3gpp', {
        tools: { ffmpeg: tools.ffmpeg, ffprobe: null },
      }),
    );
    await expectBrowserPlayable(result, { width: 176, height: 144 }, true);
    expect(result.durationSeconds).toBeNull();
  });
});

describe('videos that are H.264 already', () => {
  it('keeps a fast-start MP4 as it is', async () => {
    const sha = inputs['faststart.mp4']!;
    const result = playable(await makePlayable(store, sha, 'video/mp4'));
    expect(result.playableSha).toBe(sha);
    await expectBrowserPlayable(result, { width: 320, height: 240 }, true);
    await expectPoster(result, { width: 320, height: 240 });
  });

  it('moves the index of an MP4 to the front without converting', async () => {
    const sha = inputs['index-last.mp4']!;
    const boxes = await topLevelBoxes(sha);
    expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));
    const result = playable(await makePlayable(store, sha, 'video/mp4'));
    expect(result.playableSha).not.toBe(sha);
    await expectBrowserPlayable(result, { width: 320, height: 240 }, true);
    // A copy, not a conversion: the same number of bytes of picture and sound, give or take the
    // boxes around them.
    const before = (await store.size(sha))!;
    const after = (await store.size(result.playableSha))!;
    expect(Math.abs(after - before)).toBeLessThan(2_000);
  });

  it('rewraps a QuickTime clip as MP4', async () => {
    const result = playable(await makePlayable(store, inputs['h264.mov']!, 'video/quicktime'));
    expect(result.playableSha).not.toBe(inputs['h264.mov']);
    await expectBrowserPlayable(result, { width: 480, height: 270 }, false);
    await expectPoster(result, { width: 480, height: 270 });
  });

  it('leaves behind the place a phone wrote into the file', async () => {
    const sha = inputs['located.mp4']!;
    expect(JSON.stringify(await probe(sha))).toContain('+40.7128-074.0060/');
    const result = playable(await makePlayable(store, sha, 'video/mp4'));
    expect(result.playableSha).not.toBe(sha);
    await expectBrowserPlayable(result, { width: 320, height: 240 }, false);
    expect(JSON.stringify(await probe(result.playableSha))).not.toContain('40.7128');
    expect((await readFile(store.pathOf(result.playableSha))).includes('40.7128')).toBe(false);
  });

  it('takes the poster of a clip shorter than a second from its first frame', async () => {
    const result = playable(await makePlayable(store, inputs['short.mp4']!, 'video/mp4'));
    await expectPoster(result, { width: 320, height: 240 });
    expect(result.durationSeconds).toBeLessThan(1);
  });

  it('is the same rendition when made twice', async () => {
    const first = playable(await makePlayable(store, inputs['h264.mov']!, 'video/quicktime'));
    const second = playable(await makePlayable(store, inputs['h264.mov']!, 'video/quicktime'));
    expect(second).toEqual(first);
  });
});

describe('files that are not playable videos', () => {
  it.each(['truncated', 'noise'])('says the %s file could not be read', async (name) => {
    expect(await makePlayable(store, inputs[name]!, 'video/mp4')).toEqual({
      failed:
        'The video could not be read; the file may be damaged or in a format ffmpeg does not know.',
    });
  });

  it('says the same of a damaged file without ffprobe', async () => {
    const result = await makePlayable(store, inputs.noise!, 'video/mp4', {
      tools: { ffmpeg: tools.ffmpeg, ffprobe: null },
    });
    expect(result).toEqual({ failed: expect.stringMatching(/^The video could not be read;/) });
  });

  it('refuses a type that is not a video, and a file the store does not have', async () => {
    expect(await makePlayable(store, inputs['h264.mov']!, 'image/jpeg')).toEqual({
      failed: 'This file is not a video the tip line plays.',
    });
    expect(await makePlayable(store, 'f'.repeat(64), 'video/mp4')).toEqual({
      failed: 'The video is not in the media store.',
    });
  });

  it('stops ffmpeg at the time limit', async () => {
    const result = await makePlayable(store, inputs['mpeg4-wide.mp4']!, 'video/mp4', {
      timeoutMs: 1,
    });
    expect(result).toEqual({ failed: expect.stringContaining('took too long') });
  });
});

describe('image previews', () => {
  it('shows JPEG, PNG and GIF as they are', async () => {
    const sha = inputs['faststart.mp4']!; // any stored file: the type decides
    for (const type of ['image/jpeg', 'image/png', 'image/gif']) {
      expect(await makeImagePreview(store, sha, type)).toEqual({ previewSha: sha });
    }
  });

  it('turns a phone’s HEIC photo into a JPEG the console shows', async () => {
    // A synthetic 320x240 HEIC (HEVC) made with libheif's heif-enc; see test/fixtures/tip-media.
    const heic = await readFile(join(FIXTURES, 'synthetic.heic'));
    const path = join(dir, 'synthetic.heic');
    await writeFile(path, heic);
    const { sha256 } = await store.putFile(path);
    const made = await makeImagePreview(store, sha256, 'image/heic');
    if ('failed' in made) throw new Error(made.failed);
    expect(made.previewSha).not.toBe(sha256);
    const jpeg = await readFile(store.pathOf(made.previewSha));
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const probed = await probe(made.previewSha);
    expect(probed.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
  });

  it('says so when a HEIC photo cannot be decoded', async () => {
    const heic = Buffer.concat([
      Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'),
      randomBytes(5_000),
    ]);
    const path = join(dir, 'photo.heic');
    await writeFile(path, heic);
    const { sha256 } = await store.putFile(path);
    expect(await makeImagePreview(store, sha256, 'image/heic')).toEqual({
      failed: 'This HEIC photo could not be decoded; download it to view it.',
    });
  });

  it('refuses what is not an image', async () => {
    expect(await makeImagePreview(store, inputs['h264.mov']!, 'video/quicktime')).toEqual({
      failed: 'This file is not an image the tip line shows.',
    });
  });
});
