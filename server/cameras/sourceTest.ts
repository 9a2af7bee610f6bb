import { spawn } from 'node:child_process';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import type { SourceTestResult } from '../../shared/api/cameraAdmin';
import { splitCredentials } from '../relay/cameraUpstream';
import type { MediaTools } from '../media/mediaTools';

/**
 * "Test source" in the camera form (docs/cameras-admin.md): the server opens the source as the
 * relay would, with its credentials, takes one frame with ffmpeg and asks ffprobe which codec the
 * video is. Without an ffprobe, ffmpeg's own `-i` summary is read instead, and the answer says so.
 * Neither the address nor a credential ever reaches the answer or the log.
 */

/** How long one step may take before the camera is taken as not answering. */
export const SOURCE_TEST_TIMEOUT_MS = 15_000;
/** A snapshot larger than this is not sent back (the form shows a thumbnail). */
export const SNAPSHOT_MAX_BYTES = 2 * 1024 * 1024;

export interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a tool, keeping its output (up to a snapshot's worth) and the tail of its log. */
export function runTool(binary: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes <= SNAPSHOT_MAX_BYTES) out.push(b);
    });
    // Only the tail matters: the reason a run failed is in its last lines.
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-8192)));
    child.once('error', () => {
      clearTimeout(timer);
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: 'could not start the tool', timedOut });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr, timedOut });
    });
  });
}

/** ffmpeg's output for one frame as JPEG on stdout, after its input. */
export const SNAPSHOT_OUTPUT_ARGS: readonly string[] = [
  '-v',
  'error',
  '-frames:v',
  '1',
  '-an',
  '-f',
  'image2',
  '-c:v',
  'mjpeg',
  '-q:v',
  '5',
  'pipe:1',
];

/** The address as ffmpeg takes it: credentials from the descriptor written into the URL. */
export function ffmpegInput(source: SourceDescriptor): { url: string; secrets: string[] } {
  const { url, username, password } = splitCredentials(source.url, source);
  if (username) url.username = username;
  if (password) url.password = password;
  return { url: url.toString(), secrets: [source.url, url.toString(), username, password] };
}

function inputArgs(source: SourceDescriptor, url: string): string[] {
  return [
    '-hide_banner',
    ...(source.protocol === 'rtsp' ? ['-rtsp_transport', 'tcp'] : []),
    '-i',
    url,
  ];
}

/**
 * Why a run failed, in words a person can act on. ffmpeg's own last line is kept only with
 * anything that looks like an address or a secret taken out.
 */
export function failureSentence(r: Run, secrets: readonly string[]): string {
  if (r.timedOut) return `The source did not answer within ${SOURCE_TEST_TIMEOUT_MS / 1000} s.`;
  const text = r.stderr;
  if (/401|unauthori[sz]ed|authenticat/i.test(text))
    return 'The camera refused the credentials (401 Unauthorized).';
  if (/connection refused/i.test(text))
    return 'Nothing answered at that address (connection refused).';
  if (/404|not found/i.test(text))
    return 'The camera answered, but has no stream at that path (404).';
  if (/could not resolve|name or service not known|resolv/i.test(text))
    return "The camera's host name does not resolve.";
  let last = text.trim().split('\n').pop() ?? '';
  for (const s of secrets) if (s) last = last.split(s).join('…');
  last = last.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<source>').slice(0, 200);
  return `ffmpeg could not read a frame${last ? `: ${last}` : '.'}`;
}

export interface Probed {
  readonly codec: string | null;
  readonly width: number | null;
  readonly height: number | null;
}

/** Reads ffprobe's JSON for the first video stream. */
export function parseFfprobe(stdout: string): Probed {
  try {
    const json = JSON.parse(stdout) as {
      streams?: { codec_name?: string; width?: number; height?: number }[];
    };
    const s = json.streams?.[0];
    return { codec: s?.codec_name ?? null, width: s?.width ?? null, height: s?.height ?? null };
  } catch {
    return { codec: null, width: null, height: null };
  }
}

/** Reads ffmpeg's `-i` summary: `Stream #0:0: Video: h264 (High), yuv420p(progressive), 320x180`. */
export function parseFfmpegInfo(stderr: string): Probed {
  const m = /Stream #\d+:\d+[^:]*: Video: ([a-z0-9_]+)/i.exec(stderr);
  if (!m) return { codec: null, width: null, height: null };
  const line = stderr.slice(m.index).split('\n')[0]!;
  const size = /, (\d{2,5})x(\d{2,5})/.exec(line);
  return {
    codec: m[1]!.toLowerCase(),
    width: size ? Number(size[1]) : null,
    height: size ? Number(size[2]) : null,
  };
}

async function probe(tools: MediaTools, source: SourceDescriptor, url: string): Promise<Probed> {
  if (tools.ffprobe) {
    const r = await runTool(
      tools.ffprobe,
      [
        '-v',
        'error',
        ...(source.protocol === 'rtsp' ? ['-rtsp_transport', 'tcp'] : []),
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_name,width,height',
        '-of',
        'json',
        url,
      ],
      SOURCE_TEST_TIMEOUT_MS,
    );
    return parseFfprobe(r.stdout.toString('utf8'));
  }
  // No ffprobe: ffmpeg prints the same summary when given an input and no output.
  const r = await runTool(tools.ffmpeg, inputArgs(source, url), SOURCE_TEST_TIMEOUT_MS);
  return parseFfmpegInfo(r.stderr);
}

/** Tests a source: a snapshot, then the codec. Never throws for a camera that fails. */
export async function testSource(
  tools: MediaTools,
  source: SourceDescriptor,
): Promise<SourceTestResult> {
  const { url, secrets } = ffmpegInput(source);
  const tool = tools.ffprobe ? 'ffprobe' : 'ffmpeg -i';
  const snap = await runTool(
    tools.ffmpeg,
    [...inputArgs(source, url), ...SNAPSHOT_OUTPUT_ARGS],
    SOURCE_TEST_TIMEOUT_MS,
  );
  const jpeg = snap.code === 0 && snap.stdout.length > 0 ? snap.stdout : null;
  if (!jpeg) {
    return {
      ok: false,
      codec: null,
      width: null,
      height: null,
      probe: tool,
      snapshotJpeg: null,
      message: failureSentence(snap, secrets),
    };
  }
  const probed = await probe(tools, source, url);
  return {
    ok: true,
    ...probed,
    probe: tool,
    snapshotJpeg: jpeg.length <= SNAPSHOT_MAX_BYTES ? jpeg.toString('base64') : null,
    message: probed.codec
      ? `A frame came through; ${tool} reports ${probed.codec}${probed.width ? ` ${probed.width}x${probed.height}` : ''}.`
      : `A frame came through, but ${tool} did not name the codec.`,
  };
}
