import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import {
  chooseFfmpeg,
  SYSTEM_FFMPEG_PATHS,
  type FfmpegCandidate,
  type FfmpegChoice,
} from '../../shared/media/ffmpegChoice';

/**
 * The ffmpeg the relay runs for RTSP cameras, chosen by the same rule as the workstation's
 * gateway (shared/media/ffmpegChoice.ts): WF_FFMPEG_PATH, else the newest of the system's and the
 * bundled one.
 */
export function selectRelayFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegChoice {
  const override = env.WF_FFMPEG_PATH?.trim();
  const candidates: FfmpegCandidate[] = override
    ? [{ path: override, origin: 'WF_FFMPEG_PATH' }]
    : [
        ...SYSTEM_FFMPEG_PATHS.filter((p) => existsSync(p)).map((path) => ({
          path,
          origin: 'system' as const,
        })),
        { path: ffmpegInstaller.path, origin: 'bundled' },
      ];
  return chooseFfmpeg(candidates, (path) => {
    const run = spawnSync(path, ['-version'], { encoding: 'utf8', timeout: 5_000 });
    return run.status === 0 ? run.stdout : null;
  });
}
