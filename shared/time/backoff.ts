/**
 * Delay before retry number `attempt` (1-based): doubling from `baseMs`, capped at `maxMs`. No
 * jitter: a console retries its one server session and a server its own background tasks, each on
 * its own schedule with nobody to collide with, and a fixed sequence is testable.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** A console host reconnecting to its server. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}
