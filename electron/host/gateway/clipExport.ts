import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { runFfmpegJob } from './ffmpegRun';
import type { InitRecord, PartRecord, SegmentRecord } from './llhlsPackager';

/**
 * Clip export for chain of custody: a time range of a stream's ring buffer becomes an MP4 (copied,
 * never re-encoded) stored under its SHA-256, with a JSON manifest naming the camera, the grant
 * under which it was viewed, the user who exported it, the range and the file's SHA-256.
 */

export const ClipRequestSchema = z
  .object({
    mediaId: z.string().min(1).max(64),
    fromMs: z.number().int().nonnegative(),
    toMs: z.number().int().nonnegative(),
    camera: z.object({ id: z.string().min(1).max(200), name: z.string().max(200) }),
    grant: z.object({ id: z.string().min(1).max(200) }),
    user: z.object({ id: z.string().min(1).max(200), name: z.string().max(200) }),
    reason: z.string().max(200).optional(),
    caseNumber: z.string().max(100).optional(),
  })
  .refine((r) => r.toMs > r.fromMs, 'a clip ends after it starts');
export type ClipRequest = z.infer<typeof ClipRequestSchema>;

export interface ClipManifest {
  readonly version: 1;
  readonly camera: ClipRequest['camera'];
  readonly grant: ClipRequest['grant'];
  readonly user: ClipRequest['user'];
  readonly reason?: string;
  readonly caseNumber?: string;
  /** What was asked for, and what the file holds (it starts on a keyframe at or before `from`). */
  readonly requested: { readonly start: string; readonly end: string };
  readonly start: string;
  readonly end: string;
  readonly durationSec: number;
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly createdAt: string;
}

export interface ClipExport {
  readonly filePath: string;
  readonly manifestPath: string;
  readonly manifest: ClipManifest;
}

export class ClipRangeError extends Error {}

interface TimedPart {
  readonly part: PartRecord;
  readonly init: InitRecord;
  readonly startMs: number;
  readonly endMs: number;
}

function timedParts(segments: readonly SegmentRecord[]): TimedPart[] {
  const out: TimedPart[] = [];
  for (const segment of segments) {
    let at = segment.pdtMs;
    for (const part of segment.parts) {
      const endMs = at + part.durationSec * 1000;
      out.push({ part, init: segment.init, startMs: at, endMs });
      at = endMs;
    }
  }
  return out;
}

export interface ClipSelection {
  /** Consecutive runs of parts that share an init segment. */
  readonly groups: readonly { readonly init: InitRecord; readonly parts: readonly PartRecord[] }[];
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The parts covering [fromMs, toMs): from the last keyframe part at or before `fromMs` (so the
 * clip decodes from its first frame) to the last part that starts before `toMs`.
 */
export function selectClip(
  segments: readonly SegmentRecord[],
  fromMs: number,
  toMs: number,
): ClipSelection {
  const parts = timedParts(segments);
  const overlapping = parts.findIndex((p) => p.endMs > fromMs && p.startMs < toMs);
  if (overlapping < 0) {
    throw new ClipRangeError('the buffer holds no video in the requested range');
  }
  let first = overlapping;
  while (first > 0 && !parts[first]!.part.independent) first--;
  while (first < parts.length && !parts[first]!.part.independent) first++;
  let last = first;
  while (last + 1 < parts.length && parts[last + 1]!.startMs < toMs) last++;
  if (first >= parts.length || parts[first]!.startMs >= toMs) {
    throw new ClipRangeError('the requested range has no keyframe to start from');
  }
  const groups: { init: InitRecord; parts: PartRecord[] }[] = [];
  for (const p of parts.slice(first, last + 1)) {
    const current = groups[groups.length - 1];
    if (current && current.init.id === p.init.id) current.parts.push(p.part);
    else groups.push({ init: p.init, parts: [p.part] });
  }
  return { groups, startMs: parts[first]!.startMs, endMs: parts[last]!.endMs };
}

export async function exportClip(
  ffmpegPath: string,
  dataDir: string,
  segments: readonly SegmentRecord[],
  request: ClipRequest,
  now: number,
): Promise<ClipExport> {
  const selection = selectClip(segments, request.fromMs, request.toMs);
  const clipsDir = join(dataDir, 'clips');
  const workDir = join(dataDir, 'tmp', `clip-${randomBytes(8).toString('hex')}`);
  await mkdir(clipsDir, { recursive: true });
  await mkdir(workDir, { recursive: true });
  try {
    const inputs: string[] = [];
    for (const [i, group] of selection.groups.entries()) {
      const file = join(workDir, `run-${i}.mp4`);
      await writeFile(file, Buffer.concat([group.init.bytes, ...group.parts.map((p) => p.bytes)]));
      inputs.push(file);
    }
    const output = join(workDir, 'clip.mp4');
    const inputArgs = inputs.length === 1 ? ['-i', inputs[0]!] : await concatInput(workDir, inputs);
    const result = await runFfmpegJob(ffmpegPath, [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      ...inputArgs,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      '-y',
      output,
    ]);
    if (result.code !== 0) throw new Error('the clip could not be written');
    const bytes = await readFile(output);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const filePath = join(clipsDir, `${sha256}.mp4`);
    await rename(output, filePath);
    const manifest: ClipManifest = {
      version: 1,
      camera: request.camera,
      grant: request.grant,
      user: request.user,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.caseNumber ? { caseNumber: request.caseNumber } : {}),
      requested: {
        start: new Date(request.fromMs).toISOString(),
        end: new Date(request.toMs).toISOString(),
      },
      start: new Date(selection.startMs).toISOString(),
      end: new Date(selection.endMs).toISOString(),
      durationSec: Math.round(selection.endMs - selection.startMs) / 1000,
      file: `${sha256}.mp4`,
      bytes: bytes.length,
      sha256,
      createdAt: new Date(now).toISOString(),
    };
    const manifestPath = join(clipsDir, `${sha256}.json`);
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    return { filePath, manifestPath, manifest };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function concatInput(workDir: string, inputs: readonly string[]): Promise<string[]> {
  // Our own file names only (random folder, fixed names): nothing from a request is quoted here.
  const list = ['ffconcat version 1.0', ...inputs.map((f) => `file '${f}'`)].join('\n') + '\n';
  const listFile = join(workDir, 'list.ffconcat');
  await writeFile(listFile, list);
  return ['-f', 'concat', '-safe', '0', '-i', listFile];
}
