import type { HlsConfig } from 'hls.js';

/**
 * hls.js tuned for a wall of LL-HLS tiles from our own gateway (parts of ~200 ms):
 * about one second behind live, caught up by playing slightly faster rather than by seeking,
 * and a small back buffer so that memory stays flat over a twelve-hour shift.
 */
export const LIVE_HLS_CONFIG: Partial<HlsConfig> = {
  lowLatencyMode: true,
  liveSyncDuration: 0.8,
  liveMaxLatencyDuration: 3,
  maxLiveSyncPlaybackRate: 1.25,
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
