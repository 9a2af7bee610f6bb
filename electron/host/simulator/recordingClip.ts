import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpegJob } from '../gateway/ffmpegRun';

/**
 * A demo camera's recording of a time range, as an NVR's clip endpoint answers it: an MP4 of the
 * asked-for span with the camera's name and the recorded time (UTC) burned in, so a fetched file
 * shows which moments it holds. Small and quick to make: 320x180 at 10 frames a second, a span
 * of at most `MAX_RECORDING_SECONDS`.
 */

export const MAX_RECORDING_SECONDS = 15 * 60;

export interface RecordingSpec {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Text for drawtext: its own escaping (a filter argument, not a shell string). */
function drawtextLiteral(text: string): string {
  return text.replace(/[^A-Za-z0-9 _.#()&/-]/g, '').slice(0, 60);
}

export function recordingFilter(spec: RecordingSpec, font: string | null): string {
  const hue = createHash('sha256').update(spec.name).digest()[0]! % 360;
  const filters = [`hue=h=${hue}`];
  if (font) {
    const common = `fontfile=${font}:fontcolor=white:fontsize=12:box=1:boxcolor=black@0.6:boxborderw=3`;
    // The frame's own time: the span's start plus its timestamp, printed as UTC.
    const startSec = (spec.startMs / 1000).toFixed(3);
    filters.push(
      `drawtext=${common}:x=4:y=4:text='${drawtextLiteral(spec.name)} (recorded)'`,
      `drawtext=${common}:x=4:y=h-th-4:text='%{pts\\:gmtime\\:${startSec}} UTC'`,
    );
  }
  return filters.join(',');
}

/** Writes the recording to `dir` and answers its path; the caller removes it once sent. */
export async function encodeRecording(
  ffmpegPath: string,
  dir: string,
  spec: RecordingSpec,
  font: string | null,
): Promise<string> {
  const seconds = (spec.endMs - spec.startMs) / 1000;
  if (!(seconds > 0) || seconds > MAX_RECORDING_SECONDS) {
    throw new RangeError(`a recording spans more than 0 and at most ${MAX_RECORDING_SECONDS} s`);
  }
  await mkdir(dir, { recursive: true });
  const file = join(
    dir,
    `rec-${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16)}-${process.hrtime.bigint()}.mp4`,
  );
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
      'testsrc2=size=320x180:rate=10',
      '-t',
      seconds.toFixed(3),
      '-vf',
      recordingFilter(spec, font),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '30',
      '-g',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '-y',
      file,
    ],
    [],
    120_000,
  );
  if (result.code !== 0) {
    await rm(file, { force: true });
    throw new Error(`encoding the demo recording failed: ${result.stderr.slice(-300)}`);
  }
  return file;
}
