/**
 * Delay before retry number `attempt` (1-based): doubling from `baseMs`, capped at `maxMs`. No
 * jitter: one console per server session has nobody to collide with, and a fixed sequence is
 * testable.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}
