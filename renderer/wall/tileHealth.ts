/**
 * The health of one wall tile, as a state machine with no timers of its own: the clock is
 * injected and `tick()` moves time on, so every transition (stall, backoff, switch to the
 * substream and back) is a plain unit test. The player feeds it what it sees (`progress`,
 * `error`); it answers with commands (`load`, `unload`) that the player carries out.
 */
import type { Clock } from '../../shared/time/clock';

export type TileState =
  /** No camera on the tile. */
  | 'idle'
  /** Asked for the stream; no frame yet. */
  | 'starting'
  | 'live'
  /** Lost the stream; trying again after a backoff. */
  | 'reconnecting'
  /** Several attempts failed, or the error is one that retrying will not fix. */
  | 'failed'
  /** The grant was withdrawn (owner, policy, administrator); `reason` says why. */
  | 'revoked'
  /** The owner's sharing policy does not share the feed now; `reason` says when it does. */
  | 'outside_window'
  /** Hidden or off screen: nothing is pulled until it is visible again. */
  | 'paused';

export type StreamVariant = 'main' | 'sub';

/**
 * What the player must do: load a variant from scratch, switch a live tile to another variant
 * (the old picture stays until the new one has a frame), or stop.
 */
export type TileCommand =
  | { readonly type: 'load'; readonly variant: StreamVariant }
  | { readonly type: 'switch'; readonly variant: StreamVariant }
  | { readonly type: 'unload' };

export interface TileHealthOptions {
  /** A live tile whose media time has not moved for this long has stalled. */
  readonly stallMs: number;
  /** A load that shows no frame within this long is given up and retried. */
  readonly startTimeoutMs: number;
  /** Waits before successive retries; the last one repeats. */
  readonly backoffMs: readonly number[];
  /** After this many failed attempts in a row the tile says "failed" (and retries slowly). */
  readonly failAfterAttempts: number;
  readonly failedRetryMs: number;
  /** Live this long without trouble: the attempt count starts again from zero. */
  readonly stableMs: number;
  /** This many stalls on the main stream within the window drop the tile to the substream... */
  readonly downgradeStalls: number;
  readonly downgradeWindowMs: number;
  /** ...for this long, before the main stream is tried again. */
  readonly downgradeHoldMs: number;
}

export const DEFAULT_TILE_HEALTH: TileHealthOptions = {
  stallMs: 2_000,
  startTimeoutMs: 5_000,
  backoffMs: [250, 500, 1_000, 2_000],
  failAfterAttempts: 8,
  failedRetryMs: 15_000,
  stableMs: 10_000,
  downgradeStalls: 2,
  downgradeWindowMs: 60_000,
  downgradeHoldMs: 120_000,
};

export interface TileHealthSnapshot {
  readonly state: TileState;
  /** The variant being pulled (or to be pulled on the next load). */
  readonly variant: StreamVariant;
  /** The variant the tile's size asks for; `variant` differs while downgraded. */
  readonly wanted: StreamVariant;
  /** Failed attempts in a row. */
  readonly attempt: number;
  /** Stalls since the camera was put on the tile. */
  readonly stalls: number;
  /** When the next retry (or re-open of a sharing window) is due, ms. */
  readonly retryAt: number | null;
  /** Why the tile is revoked, outside its window or failed, in words for the tile. */
  readonly reason: string | null;
  readonly visible: boolean;
  /** Until when the main stream is held off after repeated stalls, ms. */
  readonly downgradedUntil: number | null;
}

export class TileHealth {
  private readonly opts: TileHealthOptions;
  private s: TileHealthSnapshot;
  /** When the current load was asked for. */
  private loadedAt = 0;
  private lastProgressAt = 0;
  private lastMediaTime = -1;
  /** When a live tile began changing variant (a "switch"), until the new picture shows. */
  private switchingSince: number | null = null;
  private liveSince: number | null = null;
  private recentMainStalls: number[] = [];
  /** Whether the player holds a stream (a load was commanded and no unload since). */
  private loaded = false;

  constructor(
    private readonly clock: Clock,
    options: Partial<TileHealthOptions> = {},
  ) {
    this.opts = { ...DEFAULT_TILE_HEALTH, ...options };
    this.s = {
      state: 'idle',
      variant: 'sub',
      wanted: 'sub',
      attempt: 0,
      stalls: 0,
      retryAt: null,
      reason: null,
      visible: true,
      downgradedUntil: null,
    };
  }

  snapshot(): TileHealthSnapshot {
    return this.s;
  }

  /** A camera was put on the tile (or the user asked to try again). */
  start(wanted: StreamVariant): TileCommand[] {
    this.recentMainStalls = [];
    this.set({
      wanted,
      variant: wanted,
      attempt: 0,
      stalls: 0,
      reason: null,
      downgradedUntil: null,
    });
    if (!this.s.visible) {
      this.set({ state: 'paused', retryAt: null });
      return this.unload();
    }
    return this.load();
  }

  /** The camera was taken off the tile. */
  clear(): TileCommand[] {
    this.set({ state: 'idle', retryAt: null, reason: null, attempt: 0 });
    return this.unload();
  }

  /** The player's media clock, sampled as it plays; movement is what "live" means. */
  progress(mediaTime: number): TileCommand[] {
    if (!(mediaTime > this.lastMediaTime)) return [];
    this.lastMediaTime = mediaTime;
    this.lastProgressAt = this.clock.now();
    if (this.loaded && (this.s.state === 'starting' || this.s.state === 'failed')) {
      this.liveSince = this.clock.now();
      this.set({ state: 'live', retryAt: null, reason: null });
    }
    return [];
  }

  /**
   * The player or the host reported an error. `retryable` errors (network, media, a source
   * that went away) are retried with backoff; others (no permission, unknown camera) fail.
   */
  error(message: string, retryable: boolean): TileCommand[] {
    if (!this.pulling()) return [];
    if (!retryable) {
      this.set({ state: 'failed', retryAt: null, reason: message });
      return this.unload();
    }
    return this.scheduleRetry(message);
  }

  /** The grant was revoked: stop, and say why until the user acts. */
  revoke(reason: string): TileCommand[] {
    this.set({ state: 'revoked', retryAt: null, reason });
    return this.unload();
  }

  /** The owner's policy refuses the feed now; if it says when it opens, try again then. */
  refuse(reason: string, nextOpen: number | null): TileCommand[] {
    this.set({ state: 'outside_window', retryAt: nextOpen, reason });
    return this.unload();
  }

  /** Hidden tiles (off screen, minimised window, tab in the background) stop pulling. */
  setVisible(visible: boolean): TileCommand[] {
    if (visible === this.s.visible) return [];
    this.set({ visible });
    const active: readonly TileState[] = [
      'starting',
      'live',
      'reconnecting',
      'failed',
      'outside_window',
    ];
    if (!visible && active.includes(this.s.state)) {
      this.set({ state: 'paused', retryAt: null });
      return this.unload();
    }
    if (visible && this.s.state === 'paused') {
      this.set({ attempt: 0 });
      return this.load();
    }
    return [];
  }

  /** The tile grew (maximised) or shrank: it wants the main stream or the substream. */
  setWanted(wanted: StreamVariant): TileCommand[] {
    if (wanted === this.s.wanted) return [];
    this.set({ wanted });
    const held = this.s.downgradedUntil !== null && this.clock.now() < this.s.downgradedUntil;
    const variant: StreamVariant = wanted === 'main' && held ? 'sub' : wanted;
    if (variant === this.s.variant) return [];
    this.set({ variant });
    // A live tile keeps its picture while the other variant starts (docs/video.md); the old
    // picture may stand still meanwhile, which is no stall until a start would have timed out.
    if (this.s.state === 'live') {
      this.switchingSince = this.clock.now();
      return [{ type: 'switch', variant }];
    }
    if (this.s.state === 'starting') return this.load();
    return [];
  }

  /**
   * The other variant has its first frame: it has started, though the player keeps showing the
   * old one until the new one plays smoothly; the old one's progress is watched meanwhile.
   */
  standbyFramed(): void {
    this.switchingSince = null;
  }

  /** The player now shows the other variant: its media clock starts again. */
  switched(): void {
    this.switchingSince = null;
    this.lastMediaTime = -1;
    this.lastProgressAt = this.clock.now();
  }

  /** Move time on: detect stalls and start timeouts, fire due retries, lift a downgrade. */
  tick(): TileCommand[] {
    const now = this.clock.now();
    const { state } = this.s;
    if (state === 'live') {
      const switching = this.switchingSince !== null;
      if (switching && now - this.switchingSince! >= this.opts.startTimeoutMs) {
        return this.stall(now);
      }
      if (!switching && now - this.lastProgressAt >= this.opts.stallMs) return this.stall(now);
      if (
        this.liveSince !== null &&
        now - this.liveSince >= this.opts.stableMs &&
        this.s.attempt > 0
      )
        this.set({ attempt: 0 });
      if (
        this.s.downgradedUntil !== null &&
        now >= this.s.downgradedUntil &&
        this.s.wanted === 'main' &&
        this.s.variant === 'sub'
      ) {
        this.set({ variant: 'main', downgradedUntil: null });
        return this.load();
      }
      return [];
    }
    if (
      this.loaded &&
      (state === 'starting' || state === 'failed') &&
      now - this.loadedAt >= this.opts.startTimeoutMs
    )
      return this.scheduleRetry(
        state === 'failed' ? (this.s.reason ?? '') : 'No picture from the camera yet',
      );
    if (
      !this.loaded &&
      (state === 'reconnecting' || state === 'failed' || state === 'outside_window') &&
      this.s.retryAt !== null &&
      now >= this.s.retryAt
    )
      return this.load();
    return [];
  }

  private stall(now: number): TileCommand[] {
    this.set({ stalls: this.s.stalls + 1 });
    if (this.s.variant === 'main') {
      this.recentMainStalls = [
        ...this.recentMainStalls.filter((t) => now - t < this.opts.downgradeWindowMs),
        now,
      ];
      if (this.recentMainStalls.length >= this.opts.downgradeStalls) {
        this.recentMainStalls = [];
        this.set({ variant: 'sub', downgradedUntil: now + this.opts.downgradeHoldMs });
      }
    }
    return this.scheduleRetry('The picture stopped');
  }

  private scheduleRetry(reason: string): TileCommand[] {
    const now = this.clock.now();
    const attempt = this.s.attempt + 1;
    const failed = attempt >= this.opts.failAfterAttempts;
    const { backoffMs } = this.opts;
    const wait = failed
      ? this.opts.failedRetryMs
      : (backoffMs[Math.min(attempt - 1, backoffMs.length - 1)] ?? 1_000);
    this.liveSince = null;
    this.set({
      state: failed ? 'failed' : 'reconnecting',
      attempt,
      retryAt: now + wait,
      reason: failed
        ? `${reason.replace(/; retrying.*$/, '')}; retrying every ${Math.round(wait / 1000)} s`
        : reason,
    });
    return this.unload();
  }

  private load(): TileCommand[] {
    this.switchingSince = null;
    this.loadedAt = this.clock.now();
    this.lastProgressAt = this.loadedAt;
    this.lastMediaTime = -1;
    this.liveSince = null;
    this.loaded = true;
    // A failed tile keeps saying so (with its reason) while a slow retry is under way.
    if (this.s.state === 'failed') this.set({ retryAt: null });
    else this.set({ state: 'starting', retryAt: null, reason: null });
    return [{ type: 'load', variant: this.s.variant }];
  }

  /** Whether a stream is loaded (or loading) right now. */
  private pulling(): boolean {
    return this.loaded;
  }

  private unload(): TileCommand[] {
    this.switchingSince = null;
    if (!this.loaded) return [];
    this.loaded = false;
    return [{ type: 'unload' }];
  }

  private set(patch: Partial<TileHealthSnapshot>): void {
    this.s = { ...this.s, ...patch };
  }
}
