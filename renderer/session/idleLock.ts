/**
 * The session's idle lock (CJIS 5.5.5: lock after at most 30 minutes without input). No timers
 * inside: the clock is injected and `tick()` moves time on, so the lock is unit-tested without
 * waiting. A centre may shorten the timeout, never lengthen it.
 */
import type { Clock } from '../../shared/time/clock';

/** The longest a console may sit idle before it locks. */
export const MAX_IDLE_MS = 30 * 60_000;
/** Shorter than this and an analyst watching the wall without touching anything is locked out. */
export const MIN_IDLE_MS = 60_000;
/** How long before the lock the console warns that it is coming. */
export const WARN_BEFORE_MS = 60_000;

export type IdleState = 'active' | 'warning' | 'locked';

export interface IdleSnapshot {
  readonly state: IdleState;
  readonly timeoutMs: number;
  /** When the lock falls if nothing happens, ms; null while locked. */
  readonly locksAt: number | null;
}

/** Clamp a configured timeout into [MIN_IDLE_MS, MAX_IDLE_MS]; anything unusable means the maximum. */
export function clampIdleTimeout(ms: number | null | undefined): number {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MAX_IDLE_MS;
  return Math.min(MAX_IDLE_MS, Math.max(MIN_IDLE_MS, Math.round(ms)));
}

export class IdleLock {
  private lastActivity: number;
  private timeout: number;
  private locked = false;

  constructor(
    private readonly clock: Clock,
    timeoutMs: number = MAX_IDLE_MS,
  ) {
    this.timeout = clampIdleTimeout(timeoutMs);
    this.lastActivity = clock.now();
  }

  snapshot(): IdleSnapshot {
    if (this.locked) return { state: 'locked', timeoutMs: this.timeout, locksAt: null };
    const locksAt = this.lastActivity + this.timeout;
    const warnFrom = locksAt - Math.min(WARN_BEFORE_MS, this.timeout / 2);
    return {
      state: this.clock.now() >= warnFrom ? 'warning' : 'active',
      timeoutMs: this.timeout,
      locksAt,
    };
  }

  /** Keyboard, pointer or wheel input. Input behind the lock screen does not unlock it. */
  activity(): void {
    if (!this.locked) this.lastActivity = this.clock.now();
  }

  /** Only ever shortens the timeout below the 30-minute ceiling. */
  setTimeoutMs(ms: number): void {
    this.timeout = clampIdleTimeout(ms);
  }

  /** Lock now (the user pressed "lock", or the host's own idle watch fired). */
  lock(): void {
    this.locked = true;
  }

  /** After a successful re-authentication. */
  unlock(): void {
    this.locked = false;
    this.lastActivity = this.clock.now();
  }

  /** Move time on; returns true when this tick locked the session. */
  tick(): boolean {
    if (this.locked) return false;
    if (this.clock.now() - this.lastActivity >= this.timeout) {
      this.locked = true;
      return true;
    }
    return false;
  }
}
