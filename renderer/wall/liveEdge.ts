/**
 * Keeping a low-latency tile near the live edge. hls.js raises its playback rate only when more
 * than a second is buffered, which a low-latency tile never has, so a tile that started (or fell)
 * behind its target would stay behind. When it is more than `slackSec` behind and hls.js's live
 * sync position is already buffered, the tile jumps there: a wall shows now, not a backlog.
 */

/** What this needs of hls.js (so that it can be tested without one). */
export interface LivePosition {
  readonly latency: number;
  readonly targetLatency: number | null;
  readonly liveSyncPosition: number | null;
}

/** What this needs of the video element. */
export interface SeekableVideo {
  currentTime: number;
  readonly buffered: TimeRanges;
}

export const LIVE_EDGE_SLACK_SEC = 0.25;
/** The jump lands at least this far inside the buffer, so that playback does not stall at once. */
const BUFFER_MARGIN_SEC = 0.2;

/** Jumps to the live sync position when the tile is behind and can; true if it jumped. */
export function keepNearLiveEdge(
  hls: LivePosition,
  video: SeekableVideo,
  slackSec = LIVE_EDGE_SLACK_SEC,
): boolean {
  const target = hls.liveSyncPosition;
  const targetLatency = hls.targetLatency;
  if (target === null || targetLatency === null || !Number.isFinite(hls.latency)) return false;
  if (hls.latency - targetLatency < slackSec) return false;
  const b = video.buffered;
  for (let i = 0; i < b.length; i++) {
    if (b.start(i) <= target && target < b.end(i) - BUFFER_MARGIN_SEC) {
      video.currentTime = target;
      return true;
    }
  }
  return false;
}

/**
 * hls.js adds `liveSyncOnStallIncrease` to a tile's target latency at every stall, start-up
 * stalls included, and never takes it back: a tile that stalled twice while a wall started would
 * stay 0.4 s further behind for the rest of the shift. After this long without a stall the tile
 * returns to its configured target.
 */
export const STALL_FORGIVEN_AFTER_MS = 30_000;

/** What this needs of hls.js: its target latency, which resets its stall count when set. */
export interface LatencyTarget {
  get targetLatency(): number | null;
  set targetLatency(seconds: number);
}

/** Puts the target back to `baseSec` once the tile has gone long enough without a stall. */
export function forgiveStalls(hls: LatencyTarget, baseSec: number, msSinceStall: number): boolean {
  const target = hls.targetLatency;
  if (target === null || target <= baseSec + 0.001 || msSinceStall < STALL_FORGIVEN_AFTER_MS) {
    return false;
  }
  hls.targetLatency = baseSec;
  return true;
}
