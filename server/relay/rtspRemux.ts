import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { redactSecrets } from '../../shared/media/redactSecrets';
import { UpstreamError } from './cameraUpstream';

/** Only what an RTSP pull needs: no file, no HTTP, nothing a hostile SDP could point elsewhere. */
export const RTSP_PROTOCOLS = 'rtsp,rtp,srtp,udp,tcp,tls';

const FIRST_BYTES_TIMEOUT_MS = 10_000;

export function rtspRemuxArgs(url: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-protocol_whitelist',
    RTSP_PROTOCOLS,
    '-rtsp_transport',
    'tcp',
    // The SDP carries the H.264/H.265 parameters: a short probe keeps the cold start short. No
    // `-fflags nobuffer`, which drops what was read while probing, first keyframe included.
    '-analyzeduration',
    '300000',
    '-probesize',
    '1000000',
    '-i',
    url,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-f',
    'mpegts',
    '-flush_packets',
    '1',
    'pipe:1',
  ];
}

function classify(stderr: string): string {
  if (/401|403|unauthori[sz]ed|forbidden/i.test(stderr))
    return 'the camera refused the credentials on file';
  if (/404|not found/i.test(stderr)) return 'the camera has no stream at this address';
  if (/refused|timed out|unreachable|no route/i.test(stderr)) return 'the camera is unreachable';
  return 'the camera stream could not be read';
}

/**
 * RTSP cannot be proxied byte for byte without handing out the camera's address and credentials,
 * so the relay copies its video (no re-encoding) into MPEG-TS over HTTP. Resolves once the first
 * bytes arrive, so that a refused camera is an HTTP error, not an empty stream; the child ends when
 * the returned stream is destroyed or `signal` aborts.
 */
export function remuxRtsp(
  ffmpegPath: string,
  url: string,
  secrets: readonly string[],
  signal: AbortSignal,
  log: Logger,
): Promise<Readable> {
  const child = spawn(ffmpegPath, rtspRemuxArgs(url), {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const stdout = child.stdout!;
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  signal.addEventListener('abort', kill, { once: true });
  stdout.once('close', kill);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  child.once('exit', (code) => {
    signal.removeEventListener('abort', kill);
    if (code)
      log.warn({ code, stderr: redactSecrets(stderr.trim(), secrets) }, 'relay ffmpeg exited');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new UpstreamError('the camera sent no video in time', 504));
    }, FIRST_BYTES_TIMEOUT_MS);
    child.once('error', () => {
      clearTimeout(timer);
      reject(new UpstreamError('the relay could not start ffmpeg', 502));
    });
    const onReadable = () => {
      // 'readable' also fires at the end of a stream that never carried a byte: exit tells why.
      if (stdout.readableLength === 0) return;
      stdout.off('readable', onReadable);
      clearTimeout(timer);
      resolve(stdout);
    };
    stdout.on('readable', onReadable);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new UpstreamError(classify(stderr), 502));
    });
  });
}
