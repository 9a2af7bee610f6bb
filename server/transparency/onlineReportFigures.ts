import type { Queryable } from '../store/store';

/**
 * Online self-reports in the transparency report: how many were decided in the period by outcome,
 * and the median time from submission to decision. The online reports module supplies these
 * figures through this one interface; until it does, the report says "not yet available".
 *
 * To integrate: implement `OnlineReportSource` next to the reports' repository (exact counts of
 * the decisions made in [from, to) by outcome, and the median hours from submission to decision
 * over those decisions) and make it `ONLINE_REPORT_SOURCE` below. The report applies the
 * small-count rule itself (docs/portal.md, "Transparency report").
 */

export interface OnlineReportTally {
  /** Exact counts of decisions in the period, by outcome (e.g. approved, rejected). */
  readonly byOutcome: Readonly<Record<string, number>>;
  /** How many reports the median is taken over. */
  readonly decided: number;
  /** Median hours from submission to decision, or null when none was decided. */
  readonly medianHoursToDecision: number | null;
}

/** The figures for [from, to), or null while the portal takes no online reports. */
export type OnlineReportSource = (
  db: Queryable,
  range: { readonly from: Date; readonly to: Date },
) => Promise<OnlineReportTally | null>;

/** No online reports yet: the report says so rather than show zeros. */
export const onlineReportsNotYetAvailable: OnlineReportSource = async () => null;

/** The source the server's report uses. */
export const ONLINE_REPORT_SOURCE: OnlineReportSource = onlineReportsNotYetAvailable;
