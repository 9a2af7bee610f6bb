import { execFile } from 'node:child_process';
import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { selectRelayFfmpeg } from '../relay/ffmpegBinary';
import { firstCaptionFont } from '../../shared/media/captionFont';

/**
 * Photos and videos a tipster's phone might send, made once with ffmpeg from its synthetic test
 * sources and kept in a folder: a JPEG photo, a PNG screenshot, a phone video in a container the
 * browser cannot play (3GPP, H.263 and AAC, as older phones and many MMS gateways send) and an
 * MP4 (H.264 and AAC) that it can. Every picture carries the caption "SYNTHETIC DEMO TIP" when
 * this ffmpeg can draw text, so nobody takes a demo attachment for evidence.
 */

export interface TipMediaSample {
  readonly path: string;
  readonly fileName: string;
  readonly contentType: string;
}

export interface TipMediaSamples {
  readonly photo: TipMediaSample;
  readonly screenshot: TipMediaSample;
  /** Not playable in a browser: the console has to convert it. */
  readonly phoneVideo: TipMediaSample;
  readonly video: TipMediaSample;
}

export const TIP_MEDIA_CAPTION = 'SYNTHETIC DEMO TIP';

const run = promisify(execFile);

async function nonEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}

/** A font for drawtext when this ffmpeg has the filter and the machine has a font; else null. */
async function captionFont(ffmpeg: string): Promise<string | null> {
  // A binary that does not run draws nothing; the encoding that follows says why it failed.
  const filters = await run(ffmpeg, ['-hide_banner', '-filters'], { timeout: 10_000 }).catch(
    () => null,
  );
  if (!filters || !/\bdrawtext\b/.test(filters.stdout)) return null;
  return firstCaptionFont((path) =>
    access(path).then(
      () => true,
      () => false,
    ),
  );
}

function caption(font: string | null, size: number): string {
  if (!font) return 'null';
  return (
    `drawtext=fontfile=${font}:text='${TIP_MEDIA_CAPTION}':fontcolor=white:fontsize=${size}` +
    ':box=1:boxcolor=black@0.6:boxborderw=4:x=(w-tw)/2:y=h-th-8'
  );
}

interface Recipe {
  readonly key: keyof TipMediaSamples;
  readonly fileName: string;
  readonly contentType: string;
  args(font: string | null, out: string): string[];
}

const TWO_SECONDS = ['-t', '2'];
const TONE = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000'];

const RECIPES: readonly Recipe[] = [
  {
    key: 'photo',
    fileName: 'tip-photo.jpg',
    contentType: 'image/jpeg',
    args: (font, out) => [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=1'],
      ...['-vf', caption(font, 28), '-frames:v', '1', '-q:v', '6', '-f', 'image2', out],
    ],
  },
  {
    key: 'screenshot',
    fileName: 'tip-screenshot.png',
    contentType: 'image/png',
    args: (font, out) => [
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1'],
      ...['-vf', caption(font, 18), '-frames:v', '1', '-f', 'image2', '-c:v', 'png', out],
    ],
  },
  {
    key: 'phoneVideo',
    fileName: 'tip-phone-video.3gp',
    contentType: 'video/3gpp',
    // H.263 takes only its standard picture sizes; 176x144 is QCIF, what old phones recorded.
    args: (font, out) => [
      ...['-f', 'lavfi', '-i', 'testsrc=size=176x144:rate=15'],
      ...TONE,
      ...TWO_SECONDS,
      ...['-vf', caption(font, 12), '-c:v', 'h263', '-b:v', '64k'],
      ...['-c:a', 'aac', '-ar', '8000', '-ac', '1', '-b:a', '12k', '-f', '3gp', out],
    ],
  },
  {
    key: 'video',
    fileName: 'tip-video.mp4',
    contentType: 'video/mp4',
    args: (font, out) => [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15'],
      ...TONE,
      ...TWO_SECONDS,
      ...[
        '-vf',
        caption(font, 18),
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-c:a', 'aac', '-ar', '8000', '-ac', '1', '-b:a', '16k'],
      ...['-movflags', '+faststart', '-f', 'mp4', out],
    ],
  },
];

const pending = new Map<string, Promise<TipMediaSamples>>();

/**
 * The samples in `folder`, made first where missing (about a second of ffmpeg on first use).
 * Callers at the same time share one run. `ffmpegPath` defaults to the server's choice
 * (WF_FFMPEG_PATH, else the newest of the system's and the bundled one).
 */
export function ensureTipMediaSamples(
  folder: string,
  options: { readonly ffmpegPath?: string } = {},
): Promise<TipMediaSamples> {
  let run_ = pending.get(folder);
  if (!run_) {
    run_ = makeSamples(folder, options.ffmpegPath).finally(() => pending.delete(folder));
    pending.set(folder, run_);
  }
  return run_;
}

async function makeSamples(folder: string, ffmpegPath?: string): Promise<TipMediaSamples> {
  await mkdir(folder, { recursive: true });
  let ffmpeg = ffmpegPath;
  let font: string | null | undefined;
  const samples: Partial<Record<keyof TipMediaSamples, TipMediaSample>> = {};
  for (const recipe of RECIPES) {
    const path = join(folder, recipe.fileName);
    samples[recipe.key] = { path, fileName: recipe.fileName, contentType: recipe.contentType };
    if (await nonEmpty(path)) continue;
    ffmpeg ??= selectRelayFfmpeg().path;
    if (font === undefined) font = await captionFont(ffmpeg);
    // Written beside and renamed, so a half-written file is never taken for a sample.
    const partial = `${path}.${process.pid}.partial`;
    try {
      await run(
        ffmpeg,
        ['-hide_banner', '-loglevel', 'error', '-y', ...recipe.args(font, partial)],
        {
          timeout: 60_000,
        },
      );
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
      throw new Error(
        `could not make the demo tip sample ${recipe.fileName} with ${ffmpeg}: ${detail}`,
        { cause: err },
      );
    }
  }
  return samples as TipMediaSamples;
}
