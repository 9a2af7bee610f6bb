import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordingsSource } from '../../shared/domain/cameras';
import type { HttpStatusClass, RecordingsTestResult } from '../../shared/api/cameraAdmin';
import { fetchRecordingInto, RecordingsFetchError } from '../evidence/recordingsFetch';
import { openMediaStore } from '../media/mediaStore';
import type { MediaTools } from '../media/mediaTools';
import {
  parseFfmpegInfo,
  runTool,
  SNAPSHOT_MAX_BYTES,
  SNAPSHOT_OUTPUT_ARGS,
  SOURCE_TEST_TIMEOUT_MS,
} from './sourceTest';

/**
 * "Test recordings" in the camera form (docs/cameras-admin.md): the server fetches a recent
 * minute from the recordings source exactly as a pull's fetch would (server/evidence/
 * recordingsFetch.ts: its credentials, no redirect followed, the size cap), into a folder of its
 * own that is removed afterwards, then asks ffprobe what it got and takes one frame of it. The
 * answer never carries the address or a credential.
 */

/** How far back the tested minute ends: recorders write a few minutes behind the live edge. */
export const RECORDINGS_TEST_LAG_MS = 5 * 60_000;
/** How long a range the test asks for. */
export const RECORDINGS_TEST_SPAN_MS = 60_000;
/** How long the fetch may take: an admin waits at the form, where a pull's fetch may wait longer. */
export const RECORDINGS_TEST_TIMEOUT_MS = 60_000;

/** The minute that ended five minutes before `nowMs`, on whole seconds. */
export function recordingsTestRange(nowMs: number): { startMs: number; endMs: number } {
  const endMs = Math.floor(nowMs / 1000) * 1000 - RECORDINGS_TEST_LAG_MS;
  return { startMs: endMs - RECORDINGS_TEST_SPAN_MS, endMs };
}

export function statusClassOf(status: number | null): HttpStatusClass | null {
  if (status === null || status < 100 || status > 599) return null;
  return `${Math.floor(status / 100)}xx` as HttpStatusClass;
}

export interface ProbedFile {
  readonly container: string | null;
  readonly codec: string | null;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
}

const NOTHING: ProbedFile = {
  container: null,
  codec: null,
  durationS: null,
  width: null,
  height: null,
};

const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
};

/** Reads ffprobe's JSON for a file: its container and duration, and its first video stream. */
export function parseFfprobeFile(stdout: string): ProbedFile {
  try {
    const json = JSON.parse(stdout) as {
      format?: { format_name?: string; duration?: string };
      streams?: { codec_name?: string; width?: number; height?: number }[];
    };
    const s = json.streams?.[0];
    return {
      container: json.format?.format_name ?? null,
      codec: s?.codec_name ?? null,
      durationS: finite(json.format?.duration),
      width: s?.width ?? null,
      height: s?.height ?? null,
    };
  } catch {
    return NOTHING;
  }
}

/** Reads ffmpeg's `-i` summary: `Input #0, mov,mp4,..., from '...'` and `Duration: 00:01:00.00`. */
export function parseFfmpegFileInfo(stderr: string): ProbedFile {
  const container = /Input #\d+, (.+?), from '/.exec(stderr)?.[1] ?? null;
  const d = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  return {
    ...parseFfmpegInfo(stderr),
    container,
    durationS: d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null,
  };
}

async function probeFile(tools: MediaTools, file: string): Promise<ProbedFile> {
  if (tools.ffprobe) {
    const r = await runTool(
      tools.ffprobe,
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'format=format_name,duration:stream=codec_name,width,height',
        '-of',
        'json',
        file,
      ],
      SOURCE_TEST_TIMEOUT_MS,
    );
    return parseFfprobeFile(r.stdout.toString('utf8'));
  }
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-i', file], SOURCE_TEST_TIMEOUT_MS);
  return parseFfmpegFileInfo(r.stderr);
}

/** "the recordings source refused the credentials on file" as a sentence of the test's answer. */
function sentence(problem: string): string {
  const text = problem.replace(/ on file$/, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function described(p: ProbedFile): string {
  const parts = [p.codec!];
  if (p.width && p.height) parts.push(`${p.width}x${p.height}`);
  if (p.durationS !== null) parts.push(`${p.durationS.toFixed(1)} s`);
  if (p.container) parts.push(`in ${p.container}`);
  return parts.join(', ');
}

/** Tests a recordings source. Never throws for a recorder that fails; keeps nothing. */
export async function testRecordings(
  tools: MediaTools,
  source: RecordingsSource,
  opts: { readonly nowMs: number; readonly maxBytes: number; readonly timeoutMs: number },
): Promise<RecordingsTestResult> {
  const range = recordingsTestRange(opts.nowMs);
  const probe = tools.ffprobe ? 'ffprobe' : 'ffmpeg -i';
  const base = {
    range: {
      start: new Date(range.startMs).toISOString(),
      end: new Date(range.endMs).toISOString(),
    },
    probe,
  } as const;
  const dir = await mkdtemp(join(tmpdir(), 'wf-recordings-test-'));
  try {
    const media = await openMediaStore(dir);
    let stored: Awaited<ReturnType<typeof fetchRecordingInto>>;
    try {
      stored = await fetchRecordingInto(media, source, range, {
        maxBytes: opts.maxBytes,
        timeoutMs: opts.timeoutMs,
      });
    } catch (err) {
      if (!(err instanceof RecordingsFetchError)) throw err;
      return {
        ...base,
        ok: false,
        reachable: err.httpStatus !== null,
        httpStatus: statusClassOf(err.httpStatus),
        bytes: 0,
        ...NOTHING,
        snapshotJpeg: null,
        message: sentence(err.message),
      };
    }
    const file = media.pathOf(stored.sha256);
    const probed = await probeFile(tools, file);
    const snap = probed.codec
      ? await runTool(
          tools.ffmpeg,
          ['-hide_banner', '-i', file, ...SNAPSHOT_OUTPUT_ARGS],
          SOURCE_TEST_TIMEOUT_MS,
        )
      : null;
    const jpeg =
      snap && snap.code === 0 && snap.stdout.length > 0 && snap.stdout.length <= SNAPSHOT_MAX_BYTES
        ? snap.stdout.toString('base64')
        : null;
    const bytes = `${stored.size.toLocaleString('en-US')} bytes`;
    return {
      ...base,
      ok: probed.codec !== null,
      reachable: true,
      httpStatus: statusClassOf(stored.httpStatus),
      bytes: stored.size,
      ...probed,
      snapshotJpeg: jpeg,
      message: probed.codec
        ? `Footage came through (${bytes}); ${probe} reports ${described(probed)}.`
        : `The recordings source sent ${bytes}, but ${probe} found no video in them.`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
