/*
 * How long a stream grant lives. Whether a camera may be viewed at all is decided by
 * shared/policy/decideAccess.ts, the same function the console uses to show which cameras can be
 * viewed now.
 */

/** A grant lives this long unless the owner's policy closes sooner; the console renews it. */
export const GRANT_LIFETIME_MS = 10 * 60_000;

/** When a grant issued (or renewed) at `at` lapses: its lifetime, or the policy's end if sooner. */
export function grantExpiry(at: number, until: number | null): number {
  const lifetime = at + GRANT_LIFETIME_MS;
  return until === null ? lifetime : Math.min(lifetime, until);
}
