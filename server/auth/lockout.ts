import type { Queryable } from '../store/store';

/** CJIS 5.5.3: at most 5 consecutive failed log-ons, then the account waits 10 minutes. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 10 * 60_000;

export interface LockoutState {
  readonly failed_attempts: number;
  readonly locked_until: Date | string | null;
}

/** When the lock ends, in ms, if the account is locked at `now`; otherwise null. */
export function lockedUntil(state: LockoutState, now: number): number | null {
  if (state.locked_until === null) return null;
  const until = new Date(state.locked_until).getTime();
  return until > now ? until : null;
}

/**
 * Consecutive failures that still count. A lock that has run out starts the count afresh,
 * or the first mistake after the wait would lock the account again at once.
 */
export function failuresSoFar(state: LockoutState, now: number): number {
  if (state.locked_until !== null && new Date(state.locked_until).getTime() <= now) return 0;
  return state.failed_attempts;
}

export interface FailureOutcome {
  readonly failures: number;
  /** Set when this failure is the one that locks the account. */
  readonly lockUntil: number | null;
}

export function afterFailure(state: LockoutState, now: number): FailureOutcome {
  const failures = failuresSoFar(state, now) + 1;
  return { failures, lockUntil: failures >= LOCKOUT_THRESHOLD ? now + LOCKOUT_MS : null };
}

/** Counts one more failure against an account and writes it (and the lock it may start). */
export async function recordFailure(
  tx: Queryable,
  user: LockoutState & { readonly id: string },
  now: number,
): Promise<FailureOutcome> {
  const next = afterFailure(user, now);
  await tx.query('update users set failed_attempts = $2, locked_until = $3 where id = $1', [
    user.id,
    next.failures,
    next.lockUntil === null ? null : new Date(next.lockUntil),
  ]);
  return next;
}
