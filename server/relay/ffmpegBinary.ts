import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { chooseFfmpeg, ffmpegCandidates, type FfmpegChoice } from '../../shared/media/ffmpegChoice';

/**
 * The ffmpeg the relay runs for RTSP cameras, chosen by the same rule as the workstation's
 * gateway (shared/media/ffmpegChoice.ts): WF_FFMPEG_PATH, else the newest of the system's and the
 * bundled one.
 */
export function selectRelayFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegChoice {
  const candidates = ffmpegCandidates(env, ffmpegInstaller.path, existsSync);
  return chooseFfmpeg(candidates, (path) => {
    const run = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 5_000 });
    return run.status === 0 ? run.stdout : null;
  });
}
