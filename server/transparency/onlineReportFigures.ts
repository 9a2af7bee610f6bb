import type { Queryable } from '../store/store';

/**
 * Online self-reports in the transparency report: how many were decided in the period by outcome,
 * and the median time from submission to decision. The online reports module supplies them
 * (server/onlineReports/onlineReportTally.ts); the report applies the small-count rule itself
 * (docs/portal.md, "Transparency report").
 */

export interface OnlineReportTally {
  /** Exact counts of decisions in the period, by outcome (e.g. approved, rejected). */
  readonly byOutcome: Readonly<Record<string, number>>;
  /** How many reports the median is taken over. */
  readonly decided: number;
  /** Median hours from submission to decision, or null when none was decided. */
  readonly medianHoursToDecision: number | null;
}

/** The figures for [from, to), or null when there are none to give. */
export type OnlineReportSource = (
  db: Queryable,
  range: { readonly from: Date; readonly to: Date },
) => Promise<OnlineReportTally | null>;

/** A source with nothing to give: the report says the figures are not available. */
export const onlineReportsNotYetAvailable: OnlineReportSource = async () => null;
