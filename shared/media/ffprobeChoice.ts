/**
 * Which ffprobe the server reads media with. An operator's WF_FFPROBE_PATH first; then the
 * system's (Debian ships it beside its ffmpeg); then one beside the chosen ffmpeg (a static
 * build usually has both); else none, and the caller does without. Pure: the caller says which
 * files exist.
 */

/** Where Debian (and most Linux distributions) install ffprobe. */
export const SYSTEM_FFPROBE_PATHS: readonly string[] = [
  '/usr/bin/ffprobe',
  '/usr/local/bin/ffprobe',
];

/** The ffprobe that would sit beside an ffmpeg binary, or null if the name is not ffmpeg's. */
export function ffprobeBeside(ffmpegPath: string): string | null {
  const m = /^(.*[/\\])?ffmpeg(\.exe)?$/i.exec(ffmpegPath);
  return m ? `${m[1] ?? ''}ffprobe${m[2] ?? ''}` : null;
}

export function chooseFfprobe(
  ffmpegPath: string,
  override: string | undefined,
  exists: (path: string) => boolean,
): string | null {
  if (override?.trim()) return override.trim();
  const beside = ffprobeBeside(ffmpegPath);
  return (
    [...SYSTEM_FFPROBE_PATHS, ...(beside ? [beside] : [])].find((path) => exists(path)) ?? null
  );
}
