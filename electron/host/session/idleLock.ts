import { MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES } from '../../../shared/api/session';

/**
 * CJIS 5.5.5: the console locks after at most 30 minutes without input. Driven by `tick(now)`
 * with no timer inside. The limit can be lowered by a console's settings, never raised past 30.
 */
export class IdleLock {
  private lastActivityAt: number;
  private minutes: number;

  constructor(now: number, minutes: number = MAX_IDLE_LOCK_MINUTES) {
    this.lastActivityAt = now;
    this.minutes = IdleLock.clamp(minutes);
  }

  static clamp(minutes: number): number {
    if (!Number.isFinite(minutes)) return MAX_IDLE_LOCK_MINUTES;
    return Math.min(MAX_IDLE_LOCK_MINUTES, Math.max(MIN_IDLE_LOCK_MINUTES, Math.floor(minutes)));
  }

  get idleMinutes(): number {
    return this.minutes;
  }

  setMinutes(minutes: number): void {
    this.minutes = IdleLock.clamp(minutes);
  }

  activity(now: number): void {
    this.lastActivityAt = Math.max(this.lastActivityAt, now);
  }

  /** When the console locks if nothing else happens. */
  lockAt(): number {
    return this.lastActivityAt + this.minutes * 60_000;
  }

  /** True when the idle limit has passed. */
  due(now: number): boolean {
    return now >= this.lockAt();
  }
}
