import { createHash } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpegJob } from '../gateway/ffmpegRun';
import { firstCaptionFont } from '../../../shared/media/captionFont';

/**
 * Encodes a demo camera's clip once (H.264 in MPEG-TS, short GOP, the camera's name and a running
 * clock burned in), so that serving it live later costs only a `-c copy` loop.
 */

export interface ClipSpec {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly seconds: number;
  /** GOP length in seconds (0.5-1 s lets LL-HLS parts start on keyframes often). */
  readonly gopSeconds: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A font drawtext can use, if this ffmpeg has drawtext and the machine has a font; else null. */
export async function findDrawtextFont(ffmpegPath: string): Promise<string | null> {
  const filters = await runFfmpegJob(ffmpegPath, ['-hide_banner', '-filters'], [], 10_000);
  if (!/\bdrawtext\b/.test(filters.stdout.toString())) return null;
  return firstCaptionFont(exists);
}

/** Text for drawtext: its own escaping (this is a filter argument, not a shell string). */
function drawtextLiteral(text: string): string {
  return text.replace(/[^A-Za-z0-9 _.#()&/-]/g, '').slice(0, 60);
}

function hueFor(name: string): number {
  return createHash('sha256').update(name).digest()[0]! % 360;
}

export function clipFileName(spec: ClipSpec, withText: boolean): string {
  const slug = spec.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const key = createHash('sha256')
    .update(JSON.stringify({ ...spec, withText, v: 1 }))
    .digest('hex');
  return `${slug || 'camera'}-${spec.width}x${spec.height}-${key.slice(0, 12)}.ts`;
}

export function clipFilter(spec: ClipSpec, font: string | null): string {
  const filters = [`hue=h=${hueFor(spec.name)}`];
  if (font) {
    const size = Math.max(12, Math.round(spec.height / 18));
    const common = `fontfile=${font}:fontcolor=white:fontsize=${size}:box=1:boxcolor=black@0.55:boxborderw=4`;
    filters.push(
      `drawtext=${common}:x=8:y=8:text='${drawtextLiteral(spec.name)}'`,
      `drawtext=${common}:x=8:y=h-th-8:text='%{pts\\:hms}'`,
    );
  }
  return filters.join(',');
}

const pending = new Map<string, Promise<string>>();

/** The clip's path, encoding it first if this data folder does not have it yet. */
export function ensureClip(
  ffmpegPath: string,
  dir: string,
  spec: ClipSpec,
  font: string | null,
): Promise<string> {
  const file = join(dir, clipFileName(spec, font !== null));
  const running = pending.get(file);
  if (running) return running;
  const job = (async () => {
    if (await exists(file)) return file;
    await mkdir(dir, { recursive: true });
    const partial = `${file}.partial.ts`;
    const gop = Math.max(1, Math.round(spec.fps * spec.gopSeconds));
    const result = await runFfmpegJob(
      ffmpegPath,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`,
        '-t',
        String(spec.seconds),
        '-vf',
        clipFilter(spec, font),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-crf',
        '28',
        '-g',
        String(gop),
        '-keyint_min',
        String(gop),
        '-sc_threshold',
        '0',
        '-pix_fmt',
        'yuv420p',
        '-f',
        'mpegts',
        '-y',
        partial,
      ],
      [],
      120_000,
    );
    if (result.code !== 0) {
      await rm(partial, { force: true });
      throw new Error(`encoding the demo clip failed: ${result.stderr.slice(-300)}`);
    }
    await rename(partial, file);
    return file;
  })().finally(() => pending.delete(file));
  pending.set(file, job);
  return job;
}
