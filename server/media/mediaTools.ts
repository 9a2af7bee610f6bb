import { existsSync } from 'node:fs';
import { chooseFfprobe } from '../../shared/media/ffprobeChoice';
import { selectRelayFfmpeg } from '../relay/ffmpegBinary';

/** The binaries the server converts and reads stored media with. */
export interface MediaTools {
  readonly ffmpeg: string;
  /** null when no ffprobe was found: media is then converted without being inspected first. */
  readonly ffprobe: string | null;
}

/**
 * ffmpeg by the relay's rule (WF_FFMPEG_PATH, else the newest of the system's and the bundled
 * one; shared/media/ffmpegChoice.ts) and ffprobe by shared/media/ffprobeChoice.ts.
 */
export function findMediaTools(env: NodeJS.ProcessEnv = process.env): MediaTools {
  const ffmpeg = selectRelayFfmpeg(env).path;
  return { ffmpeg, ffprobe: chooseFfprobe(ffmpeg, env.WF_FFPROBE_PATH, existsSync) };
}
