/**
 * The one clock every process injects into logic that depends on time: the server's lockouts and
 * token expiries, the host's session, event feed, views and stream health, the renderer's tile
 * health and idle lock. Nothing that takes a Clock keeps a timer of its own; a ticker (or a test)
 * calls it, and it compares deadlines with `now()`. Milliseconds since the epoch, UTC.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to, so that time-dependent logic is tested without waiting. */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-01-15T12:00:00Z')) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}
