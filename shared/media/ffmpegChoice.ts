/**
 * Which ffmpeg binary the gateway and the server's relay run. ffmpeg parses streams from devices
 * nobody here controls, so the newest build at hand is used: Debian's when it is newer than the one
 * the registry package bundles (which dates from 2018), and WF_FFMPEG_PATH above both. Pure: the
 * caller says how to read a binary's version (docs/decisions/0016-camera-credentials-stay-in-the-server.md).
 */

export type FfmpegOrigin = 'WF_FFMPEG_PATH' | 'system' | 'bundled';

export interface FfmpegCandidate {
  readonly path: string;
  readonly origin: FfmpegOrigin;
}

export interface FfmpegVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The version as ffmpeg prints it, e.g. `5.1.9-0+deb12u1` or `n7.1`. */
  readonly text: string;
}

export interface FfmpegChoice {
  readonly path: string;
  readonly origin: FfmpegOrigin;
  /** null when the binary did not answer `-version` (it is still used if nothing else runs). */
  readonly version: FfmpegVersion | null;
  /** One sentence for the start-up log. */
  readonly why: string;
}

/** Reads the first line of `ffmpeg -version`: `ffmpeg version 5.1.9-0+deb12u1 Copyright ...`. */
export function parseFfmpegVersion(output: string): FfmpegVersion | null {
  const m = /^ffmpeg version (\S+)/m.exec(output);
  if (!m) return null;
  const text = m[1]!;
  const numbers = /^n?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!numbers) return null;
  return {
    major: Number(numbers[1]),
    minor: Number(numbers[2]),
    patch: Number(numbers[3] ?? 0),
    text,
  };
}

function compareVersions(a: FfmpegVersion, b: FfmpegVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Picks the binary to run. WF_FFMPEG_PATH always wins (an operator's choice), reported with its
 * version; otherwise the newest candidate that answers `-version`, the system's on a tie (Debian
 * patches it); if none answers, the bundled one, so that the error names a real path.
 */
export function chooseFfmpeg(
  candidates: readonly FfmpegCandidate[],
  versionOf: (path: string) => string | null,
): FfmpegChoice {
  if (candidates.length === 0) throw new Error('no ffmpeg candidate to choose from');
  const read = (c: FfmpegCandidate) => {
    const out = versionOf(c.path);
    return { ...c, version: out === null ? null : parseFfmpegVersion(out) };
  };
  const override = candidates.find((c) => c.origin === 'WF_FFMPEG_PATH');
  if (override) {
    const r = read(override);
    return {
      ...r,
      why: r.version
        ? `WF_FFMPEG_PATH names ffmpeg ${r.version.text}`
        : 'WF_FFMPEG_PATH names a binary that did not answer -version',
    };
  }
  const read_ = candidates.map(read);
  const working = read_.filter(
    (c): c is typeof c & { version: FfmpegVersion } => c.version !== null,
  );
  if (working.length === 0) {
    const fallback = read_.find((c) => c.origin === 'bundled') ?? read_[0]!;
    return { ...fallback, why: 'no ffmpeg answered -version; trying the bundled one' };
  }
  const best = working.reduce((a, b) => {
    const order = compareVersions(b.version, a.version);
    if (order > 0) return b;
    if (order === 0 && b.origin === 'system' && a.origin !== 'system') return b;
    return a;
  });
  const others = working
    .filter((c) => c !== best)
    .map((c) => `${c.origin} ${c.version.text}`)
    .join(', ');
  return {
    ...best,
    why: `the ${best.origin} ffmpeg ${best.version.text} is the newest at hand${others ? ` (also: ${others})` : ''}`,
  };
}

/** Where Debian (and most Linux distributions) install ffmpeg. */
export const SYSTEM_FFMPEG_PATHS: readonly string[] = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'];

/**
 * The binaries that could run, for the gateway and the relay alike: WF_FFMPEG_PATH alone when it
 * is set (blank counts as unset), else the system's that exist, then the bundled one.
 */
export function ffmpegCandidates(
  env: Readonly<Record<string, string | undefined>>,
  bundledPath: string,
  exists: (path: string) => boolean,
): FfmpegCandidate[] {
  const override = env.WF_FFMPEG_PATH?.trim();
  if (override) return [{ path: override, origin: 'WF_FFMPEG_PATH' }];
  return [
    ...SYSTEM_FFMPEG_PATHS.filter(exists).map((path) => ({ path, origin: 'system' as const })),
    { path: bundledPath, origin: 'bundled' },
  ];
}
