import type { CodecHint, SourceDescriptor } from '../../../shared/domain/cameras';
import type { StreamVariant } from './streamState';

/**
 * The ffmpeg command line for one source and variant, as an argument array (never a shell
 * string). H.264 is copied; what a browser cannot play (H.265, MJPEG) is transcoded to H.264; a
 * grid tile that asks for a substream the camera does not offer gets a scaled-down transcode.
 * The output is fragmented MP4 with one fragment per frame, so that the packager decides where
 * parts and segments begin.
 */

export interface FfmpegPlan {
  readonly args: readonly string[];
  readonly transcode: boolean;
  /** Values that must never be logged (credentials). */
  readonly secrets: readonly string[];
}

/** Height of the scaled substream made when the camera offers none. */
export const SCALED_SUBSTREAM_HEIGHT = 360;

export function sourceUrlWithCredentials(
  url: string,
  username?: string,
  password?: string,
): string {
  if (!username && !password) return url;
  const u = new URL(url);
  if (username) u.username = username;
  if (password) u.password = password;
  return u.toString();
}

/**
 * The protocols ffmpeg may open for each kind of source, nested opens included. A source is
 * third-party input: an HLS playlist or an SDP can name any URL, and without a list ffmpeg would
 * follow a `file:` entry onto the workstation's disk (or `concat:`, `subfile:`, `data:` ...).
 * Which hosts an HLS playlist may name is the relay's business: it serves only the camera's own
 * origin (docs/decisions/0016-camera-credentials-stay-in-the-server.md).
 */
export const PROTOCOL_WHITELISTS: Readonly<Record<SourceDescriptor['protocol'], string>> = {
  rtsp: 'rtsp,rtp,srtp,udp,tcp,tls',
  'http-ts': 'http,https,tcp,tls',
  // crypto: AES-128 segments, which wrap an http(s) URL that the list still checks.
  hls: 'http,https,tcp,tls,crypto',
  mjpeg: 'http,https,tcp,tls',
};

function inputArgs(descriptor: SourceDescriptor, url: string, longProbe: boolean): string[] {
  // MPEG-TS and HLS input is read for the whole analysis window (streams may appear at any time),
  // so a short window is most of a cold start. A source whose first keyframe comes later than
  // that gets a long window on its next attempt. No `-fflags nobuffer`: it throws away the packets
  // read while probing, which hold the first keyframe (a GOP cache sends its last GOP at once),
  // so every cold start waited for the next keyframe, up to a GOP later (probedFrames.test.ts).
  const analyze = longProbe ? ['3000000', '5000000'] : ['300000', '1000000'];
  const common = [
    '-analyzeduration',
    analyze[0]!,
    '-probesize',
    analyze[1]!,
    '-fpsprobesize',
    '0',
    '-protocol_whitelist',
    PROTOCOL_WHITELISTS[descriptor.protocol],
  ];
  switch (descriptor.protocol) {
    case 'rtsp':
      return [...common, '-rtsp_transport', 'tcp', '-i', url];
    case 'http-ts':
      return [...common, '-f', 'mpegts', '-i', url];
    case 'hls':
      return [...common, '-live_start_index', '-1', '-i', url];
    case 'mjpeg':
      // multipart MJPEG carries no timestamps: the arrival time is the frame's time.
      return [...common, '-use_wallclock_as_timestamps', '1', '-f', 'mpjpeg', '-i', url];
  }
}

function transcodeArgs(scaleToHeight: number | null): string[] {
  return [
    ...(scaleToHeight ? ['-vf', `scale=-2:'min(${scaleToHeight},ih)'`] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-crf',
    scaleToHeight ? '28' : '25',
    // A keyframe every second lets parts start on keyframes and tiles join quickly.
    '-force_key_frames',
    'expr:gte(t,n_forced*1)',
  ];
}

const OUTPUT_ARGS = [
  '-f',
  'mp4',
  '-movflags',
  'empty_moov+default_base_moof+frag_every_frame+skip_trailer',
  '-flush_packets',
  '1',
  'pipe:1',
];

/**
 * @param learnedCodec what an earlier run found the source to carry, when the descriptor's hint
 *   was `unknown` (the first run copies and the init segment tells the truth).
 */
export function planFfmpeg(
  descriptor: SourceDescriptor,
  variant: StreamVariant,
  learnedCodec: CodecHint | null = null,
  longProbe = false,
): FfmpegPlan {
  const useSubstream = variant === 'sub' && Boolean(descriptor.substreamUrl);
  const baseUrl = useSubstream ? descriptor.substreamUrl! : descriptor.url;
  const url = sourceUrlWithCredentials(baseUrl, descriptor.username, descriptor.password);
  const codec = learnedCodec ?? descriptor.codecHint;
  const scale = variant === 'sub' && !useSubstream ? SCALED_SUBSTREAM_HEIGHT : null;
  const transcode =
    scale !== null || descriptor.protocol === 'mjpeg' || codec === 'h265' || codec === 'mjpeg';
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    ...inputArgs(descriptor, url, longProbe),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    ...(transcode ? transcodeArgs(scale) : ['-c:v', 'copy']),
    ...OUTPUT_ARGS,
  ];
  const secrets = [descriptor.username, descriptor.password].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return { args, transcode, secrets };
}

/** Sample entry codes that a browser's MSE cannot be relied on to play. */
export function needsTranscode(sampleEntry: string): boolean {
  return !['avc1', 'avc3'].includes(sampleEntry);
}
