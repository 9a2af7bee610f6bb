import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

/** The ffmpeg binary: WF_FFMPEG_PATH when set, else the one shipped by @ffmpeg-installer/ffmpeg. */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.WF_FFMPEG_PATH?.trim();
  return override ? override : ffmpegInstaller.path;
}
