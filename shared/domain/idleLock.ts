import { z } from 'zod';

/**
 * CJIS 5.5.5: a session locks after at most 30 minutes without input. The agency sets its own
 * limit within that (agency settings, `session.idleLockMinutes`); a deployment's environment and
 * a person's own choice may only lock sooner.
 */
export const MAX_IDLE_LOCK_MINUTES = 30;
export const MIN_IDLE_LOCK_MINUTES = 1;

export const IdleLockMinutesSchema = z
  .number()
  .int('whole minutes')
  .min(MIN_IDLE_LOCK_MINUTES, `the idle lock is at least ${MIN_IDLE_LOCK_MINUTES} minute`)
  .max(
    MAX_IDLE_LOCK_MINUTES,
    `the idle lock is at most ${MAX_IDLE_LOCK_MINUTES} minutes (CJIS 5.5.5)`,
  );

/** The strictest of the limits that apply (the agency's, a deployment's, a person's). */
export function strictestIdleMinutes(...limits: readonly (number | null | undefined)[]): number {
  return limits.reduce<number>(
    (least, m) => (typeof m === 'number' && Number.isFinite(m) ? Math.min(least, m) : least),
    MAX_IDLE_LOCK_MINUTES,
  );
}
