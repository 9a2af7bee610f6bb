/**
 * The transparency report's rule for small numbers (docs/portal.md, "Transparency report"): a
 * count from 1 to 9 is shown as "fewer than 10", and any larger count is rounded to the nearest
 * 5. Zero is shown as 0: it reveals nothing. So no figure on the page can be tied to a single
 * investigation, and one more view does not visibly move a total.
 */

export const FEWER_THAN_TEN = 'fewer than 10';

/** A count as the report shows it. */
export type ReportedCount = number | typeof FEWER_THAN_TEN;

/** The smallest exact count that is shown (rounded) rather than suppressed. */
export const SHOWN_FROM = 10;

export const SUPPRESSION_RULE =
  'Counts from 1 to 9 are shown as "fewer than 10"; larger counts are rounded to the nearest 5; zero is shown as 0. Shares and medians are shown only when they rest on 10 or more.';

export function reportedCount(exact: number): ReportedCount {
  if (exact <= 0) return 0;
  if (exact < SHOWN_FROM) return FEWER_THAN_TEN;
  return Math.round(exact / 5) * 5;
}

/**
 * A share in whole percent, rounded to the nearest 5, computed from the exact counts; null when
 * the whole is under 10, where one item would move it by more than 10 points.
 */
export function reportedShare(part: number, whole: number): number | null {
  if (whole < SHOWN_FROM) return null;
  return Math.round((part / whole) * 20) * 5;
}
