import { spawn } from 'node:child_process';
import { endChild, trackChild } from './processRegistry';

/**
 * Runs a short ffmpeg job (a snapshot, a clip remux) to completion: argument array, no shell,
 * input written to stdin, output collected, ended if it takes longer than `timeoutMs`.
 */
export interface FfmpegJobResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export function runFfmpegJob(
  ffmpegPath: string,
  args: readonly string[],
  input: readonly Uint8Array[] = [],
  timeoutMs = 30_000,
): Promise<FfmpegJobResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    trackChild(child);
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => void endChild(child, 200), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < 8000) stderr += text;
    });
    // ffmpeg may stop reading early (it has what it needs): a broken pipe is not an error here.
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    for (const chunk of input) child.stdin.write(chunk);
    child.stdin.end();
  });
}
