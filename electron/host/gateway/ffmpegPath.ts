import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import {
  chooseFfmpeg,
  ffmpegCandidates as candidatesFor,
  type FfmpegCandidate,
  type FfmpegChoice,
} from '../../../shared/media/ffmpegChoice';

/** The binaries that could run here (shared/media/ffmpegChoice.ts: the relay's rule too). */
export function ffmpegCandidates(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): FfmpegCandidate[] {
  return candidatesFor(env, ffmpegInstaller.path, exists);
}

/** `ffmpeg -version`'s output, or null when the binary does not run. */
export function ffmpegVersionOutput(path: string): string | null {
  const run = spawnSync(path, ['-version'], {
    encoding: 'utf8',
    timeout: 5_000,
    windowsHide: true,
  });
  return run.status === 0 ? run.stdout : null;
}

const chosen = new Map<string, FfmpegChoice>();

/** The ffmpeg this process runs (asked once per WF_FFMPEG_PATH value; docs/video.md). */
export function selectFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegChoice {
  const key = env.WF_FFMPEG_PATH?.trim() ?? '';
  let choice = chosen.get(key);
  if (!choice) {
    choice = chooseFfmpeg(ffmpegCandidates(env), ffmpegVersionOutput);
    chosen.set(key, choice);
  }
  return choice;
}

export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  return selectFfmpeg(env).path;
}
