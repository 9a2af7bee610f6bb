import type { HlsConfig } from 'hls.js';

/**
 * hls.js tuned for a wall of LL-HLS tiles from our own gateway (parts of ~200 ms, PART-HOLD-BACK
 * 0.6 s): it aims at the gateway's hold-back, a tile that falls more than 2.5 s behind (a busy
 * machine, a stall) jumps back to the live edge, one stall adds at most 0.2 s to the target, and
 * a small back buffer keeps memory flat over a twelve-hour shift (hls.js issues 1220, 4316).
 * The tile also jumps forward when it is behind (liveEdge.ts).
 */
export const LIVE_HLS_CONFIG: Partial<HlsConfig> = {
  lowLatencyMode: true,
  liveSyncDuration: 0.6,
  liveMaxLatencyDuration: 2.5,
  liveSyncOnStallIncrease: 0.2,
  maxLiveSyncPlaybackRate: 1.1,
  backBufferLength: 2,
  maxBufferLength: 4,
  maxMaxBufferLength: 6,
  maxBufferSize: 8 * 1000 * 1000,
  enableWorker: true,
  startFragPrefetch: true,
  // The tile's health machine decides when to retry; hls.js should give up fast and say so.
  manifestLoadPolicy: {
    default: {
      maxTimeToFirstByteMs: 4_000,
      maxLoadTimeMs: 6_000,
      timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
      errorRetry: { maxNumRetry: 1, retryDelayMs: 250, maxRetryDelayMs: 500 },
    },
  },
};

/** Instant replay is a short VOD playlist from the gateway's ring buffer. */
export const REPLAY_HLS_CONFIG: Partial<HlsConfig> = {
  lowLatencyMode: false,
  backBufferLength: 30,
  maxBufferLength: 30,
  enableWorker: true,
};

type LoaderClass = NonNullable<HlsConfig['loader']>;

let mediaLoader: LoaderClass | null = null;

/**
 * In the web console, tiles load their media over the host's media socket (one socket for the
 * page instead of an HTTP request per playlist and part); Electron's wf-media protocol needs no
 * such thing.
 */
export function setMediaLoader(loader: LoaderClass | null): void {
  mediaLoader = loader;
}

/** A tile's hls.js settings with the page's media loader, if it has one. */
export function withMediaLoader(config: Partial<HlsConfig>): Partial<HlsConfig> {
  return mediaLoader ? { ...config, loader: mediaLoader } : config;
}
