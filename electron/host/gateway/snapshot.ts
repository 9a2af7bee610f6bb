import type { InitRecord, PartRecord } from './llhlsPackager';
import { runFfmpegJob } from './ffmpegRun';

export class SnapshotError extends Error {}

/**
 * Decodes the newest frame of a stream to JPEG. The input is the init segment and the parts from
 * the last keyframe on, so the decoder starts clean and the last frame it produces is "now".
 */
export async function captureJpeg(
  ffmpegPath: string,
  init: InitRecord,
  parts: readonly PartRecord[],
): Promise<Buffer> {
  const frames = parts.reduce((n, p) => n + p.frames, 0);
  if (frames === 0) throw new SnapshotError('the stream has no frame yet');
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-f',
    'mp4',
    '-i',
    'pipe:0',
    '-vf',
    `select=gte(n\\,${frames - 1})`,
    '-frames:v',
    '1',
    '-c:v',
    'mjpeg',
    '-q:v',
    '3',
    '-f',
    'image2pipe',
    'pipe:1',
  ];
  const result = await runFfmpegJob(ffmpegPath, args, [init.bytes, ...parts.map((p) => p.bytes)]);
  const jpeg = result.stdout;
  if (result.code !== 0 || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw new SnapshotError('the newest frame could not be decoded');
  }
  return jpeg;
}
