import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeHeic from 'heic-decode';
import { findMediaTools, type MediaTools } from './mediaTools';
import type { MediaStore } from './mediaStore';

/**
 * Renditions of tip media that a browser shows: a video as H.264 (with AAC sound, or none) in an
 * MP4 whose index (moov) comes before its data (mdat), so that it starts playing before it is all
 * loaded, with a JPEG poster frame; a HEIC photo as a JPEG. Renditions go into the same store.
 *
 * The files come from strangers' phones, so ffmpeg is held short: the input is read only from the
 * store's own file (the file protocol, the QuickTime/MP4 demuxer, whatever the bytes claim), no
 * text from outside is ever an argument, and every run is killed after a time limit.
 */

export interface PlayableVideo {
  readonly playableSha: string;
  readonly posterSha: string;
  readonly durationSeconds: number | null;
}

export interface Failed {
  /** A sentence an analyst can read. */
  readonly failed: string;
}

export interface RenditionOptions {
  /** Default: found as the server finds them (server/media/mediaTools.ts). */
  readonly tools?: MediaTools;
  /** For each ffmpeg or ffprobe run. */
  readonly timeoutMs?: number;
  /** Where the scratch folder is made; default the system's temporary folder. */
  readonly workDir?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_VIDEO_WIDTH = 1280;
const MAX_POSTER_WIDTH = 640;
/** A photo's preview is for a screen, not for print. */
const MAX_PREVIEW_WIDTH = 1600;

/** Video types the tip line takes; all are ISO base media files (QuickTime's family). */
const VIDEO_TYPES = new Set(['video/mp4', 'video/3gpp', 'video/3gpp2', 'video/quicktime']);
const BROWSER_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif']);
const HEIF_TYPES = new Set(['image/heic', 'image/heif']);

const DAMAGED =
  'The video could not be read; the file may be damaged or in a format ffmpeg does not know.';

let foundTools: MediaTools | null = null;
const toolsOf = (opts: RenditionOptions): MediaTools =>
  opts.tools ?? (foundTools ??= findMediaTools());

export async function makePlayable(
  store: MediaStore,
  sha: string,
  contentType: string,
  opts: RenditionOptions = {},
): Promise<PlayableVideo | Failed> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!VIDEO_TYPES.has(type)) return { failed: 'This file is not a video the tip line plays.' };
  if (!(await store.has(sha))) return { failed: 'The video is not in the media store.' };
  const input = store.pathOf(sha);
  const run = runner(toolsOf(opts), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const work = await mkdtemp(join(opts.workDir ?? tmpdir(), 'wf-rendition-'));
  try {
    const playable = await playableSha(store, sha, type, input, work, run);
    if ('failed' in playable) return playable;
    const playablePath = store.pathOf(playable.sha);
    const probed = await run.probe(playablePath);
    const durationSeconds = 'failed' in probed ? null : probed.durationSeconds;
    const poster = await makePoster(playablePath, durationSeconds, work, run);
    if ('failed' in poster) return poster;
    const posterSha = (await store.putFile(poster.path)).sha256;
    return { playableSha: playable.sha, posterSha, durationSeconds };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A JPEG the browser can show: the original for JPEG, PNG and GIF, a JPEG rendition of a HEIC or
 * HEIF photo when ffmpeg can decode it.
 */
export async function makeImagePreview(
  store: MediaStore,
  sha: string,
  contentType: string,
  opts: RenditionOptions = {},
): Promise<{ readonly previewSha: string } | Failed> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!(await store.has(sha))) return { failed: 'The image is not in the media store.' };
  if (BROWSER_IMAGE_TYPES.has(type)) return { previewSha: sha };
  if (!HEIF_TYPES.has(type)) return { failed: 'This file is not an image the tip line shows.' };
  const run = runner(toolsOf(opts), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const work = await mkdtemp(join(opts.workDir ?? tmpdir(), 'wf-rendition-'));
  try {
    // Phones write HEIC with HEVC, which few ffmpeg builds read as a still: libheif (WebAssembly)
    // decodes it to pixels, and ffmpeg only encodes those as a JPEG.
    let pixels: { width: number; height: number; data: Uint8ClampedArray };
    try {
      pixels = await decodeHeic({ buffer: await readFile(store.pathOf(sha)) });
    } catch {
      return { failed: 'This HEIC photo could not be decoded; download it to view it.' };
    }
    const raw = join(work, 'pixels.rgba');
    await writeFile(raw, pixels.data);
    const out = join(work, 'preview.jpg');
    const done = await run.ffmpeg([
      '-protocol_whitelist',
      'file',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      '-s',
      `${pixels.width}x${pixels.height}`,
      '-i',
      `file:${raw}`,
      '-frames:v',
      '1',
      '-vf',
      `scale='min(${MAX_PREVIEW_WIDTH},iw)':-2,format=yuvj420p`,
      '-q:v',
      '3',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      `file:${out}`,
    ]);
    if (done !== 'ok' || !(await nonEmpty(out))) {
      return {
        failed:
          done === 'timeout'
            ? 'Making a preview of the photo took too long.'
            : 'A preview of this HEIC photo could not be made; download it to view it.',
      };
    }
    return { previewSha: (await store.putFile(out)).sha256 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function playableSha(
  store: MediaStore,
  sha: string,
  type: string,
  input: string,
  work: string,
  run: Runner,
): Promise<{ readonly sha: string } | Failed> {
  const probed = await run.probe(input);
  if ('failed' in probed) {
    // Without ffprobe, the file is converted without being looked at; with it, unreadable is final.
    if (probed.failed !== NO_FFPROBE) return probed;
  } else {
    const video = probed.streams.find((s) => s.codec_type === 'video');
    if (!video) return { failed: 'The file has no picture to play.' };
    if (browserPlayable(probed)) {
      if (type === 'video/mp4' && !probed.hasLocation && (await indexComesFirst(input))) {
        return { sha };
      }
      const remuxed = join(work, 'remuxed.mp4');
      const copied = await run.ffmpeg([
        ...inputArgs(input),
        ...MAP_FIRST_STREAMS,
        '-c',
        'copy',
        ...MP4_OUTPUT,
        `file:${remuxed}`,
      ]);
      if (copied === 'ok') return { sha: (await store.putFile(remuxed)).sha256 };
      // A copy can fail on odd timestamps where a full conversion does not: fall through.
    }
  }
  const converted = join(work, 'converted.mp4');
  const done = await run.ffmpeg([
    ...inputArgs(input),
    ...MAP_FIRST_STREAMS,
    '-vf',
    // Even dimensions (H.264 4:2:0 needs them), at most MAX_VIDEO_WIDTH wide, the aspect kept.
    `scale=w='min(${MAX_VIDEO_WIDTH},trunc(iw/2)*2)':h=-2,format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    ...MP4_OUTPUT,
    `file:${converted}`,
  ]);
  if (done === 'timeout') return { failed: 'Making the video playable took too long.' };
  if (done !== 'ok' || !(await nonEmpty(converted))) return { failed: DAMAGED };
  return { sha: (await store.putFile(converted)).sha256 };
}

/** The first picture and the first sound, nothing else (no subtitles, data or metadata). */
// The file's own metadata (where a phone writes the place it was filmed) stays behind; the
// streams' own (a rotation, on older ffmpeg) is kept.
const MAP_FIRST_STREAMS = [
  '-map',
  '0:v:0',
  '-map',
  '0:a:0?',
  '-sn',
  '-dn',
  '-map_metadata:g',
  '-1',
];
const MP4_OUTPUT = ['-movflags', '+faststart', '-f', 'mp4'];

/** Reads only the given file of the store, as QuickTime/MP4 whatever its bytes claim. */
function inputArgs(path: string): string[] {
  return ['-protocol_whitelist', 'file', '-f', 'mov', '-i', `file:${path}`];
}

function browserPlayable(probed: Probed): boolean {
  const video = probed.streams.filter((s) => s.codec_type === 'video');
  const audio = probed.streams.filter((s) => s.codec_type === 'audio');
  return (
    video[0]?.codec_name === 'h264' &&
    (video[0].pix_fmt === 'yuv420p' || video[0].pix_fmt === 'yuvj420p') &&
    (audio.length === 0 || audio[0]!.codec_name === 'aac')
  );
}

async function makePoster(
  video: string,
  durationSeconds: number | null,
  work: string,
  run: Runner,
): Promise<{ readonly path: string } | Failed> {
  const out = join(work, 'poster.jpg');
  // About a second in (the first frame is often black or blurred), the first for short clips.
  const at = durationSeconds !== null && durationSeconds >= 2 ? [1, 0] : [0];
  for (const seconds of at) {
    const done = await run.ffmpeg([
      '-ss',
      String(seconds),
      ...inputArgs(video),
      '-frames:v',
      '1',
      '-vf',
      `scale=w='min(${MAX_POSTER_WIDTH},trunc(iw/2)*2)':h=-2,format=yuvj420p`,
      '-q:v',
      '3',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      `file:${out}`,
    ]);
    if (done === 'ok' && (await nonEmpty(out))) return { path: out };
  }
  return { failed: 'No poster frame could be taken from the video.' };
}

/** Whether an ISO media file's moov box comes before its mdat box (MP4 "fast start"). */
async function indexComesFirst(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    for (let offset = 0; offset + 8 <= size;) {
      const { bytesRead } = await file.read(header, 0, 16, offset);
      if (bytesRead < 8) return false;
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      let boxSize = header.readUInt32BE(0);
      if (boxSize === 1 && bytesRead >= 16) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize < 8) return false; // 0 (to the end) or broken: no moov before the data
      offset += boxSize;
    }
    return false;
  } finally {
    await file.close();
  }
}

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

interface ProbedStream {
  readonly codec_type?: string;
  readonly codec_name?: string;
  readonly pix_fmt?: string;
}

interface Probed {
  readonly streams: readonly ProbedStream[];
  readonly durationSeconds: number | null;
  /** Whether the file says where it was made (the tipster's place, not to be passed on). */
  readonly hasLocation: boolean;
}

const NO_FFPROBE = 'No ffprobe was found to read the video with.';

type Outcome = 'ok' | 'failed' | 'timeout';

interface Runner {
  ffmpeg(args: readonly string[]): Promise<Outcome>;
  probe(path: string): Promise<Probed | Failed>;
}

function runner(tools: MediaTools, timeoutMs: number): Runner {
  const exec = (binary: string, args: readonly string[]) =>
    new Promise<{ outcome: Outcome; stdout: string }>((resolve) => {
      execFile(
        binary,
        args,
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
        (err, stdout) => {
          if (!err) resolve({ outcome: 'ok', stdout });
          else resolve({ outcome: err.killed ? 'timeout' : 'failed', stdout: '' });
        },
      );
    });
  return {
    async ffmpeg(args) {
      return (await exec(tools.ffmpeg, ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args]))
        .outcome;
    },
    async probe(path) {
      if (!tools.ffprobe) return { failed: NO_FFPROBE };
      const { outcome, stdout } = await exec(tools.ffprobe, [
        '-v',
        'error',
        ...inputArgs(path),
        '-show_entries',
        'stream=codec_type,codec_name,pix_fmt:format=duration:format_tags',
        '-of',
        'json',
      ]);
      if (outcome === 'timeout') return { failed: 'Reading the video took too long.' };
      if (outcome !== 'ok') return { failed: DAMAGED };
      return parseProbe(stdout) ?? { failed: DAMAGED };
    },
  };
}

function parseProbe(stdout: string): Probed | null {
  try {
    const json = JSON.parse(stdout) as {
      streams?: ProbedStream[];
      format?: { duration?: string; tags?: Record<string, string> };
    };
    const duration = Number(json.format?.duration);
    return {
      streams: json.streams ?? [],
      durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : null,
      hasLocation: Object.keys(json.format?.tags ?? {}).some((key) => /location|xyz/i.test(key)),
    };
  } catch {
    return null;
  }
}
