import { z } from 'zod';
import { VIEW_REASONS } from './reasons';

/**
 * The center's figures (docs/metrics.md): every one counted from the record (the audit trail,
 * incidents), never typed in, per day, week, month, analyst or shift.
 */

export const METRIC_GROUPINGS = ['day', 'week', 'month', 'analyst', 'shift'] as const;
export const MetricGroupingSchema = z.enum(METRIC_GROUPINGS);
export type MetricGrouping = z.infer<typeof MetricGroupingSchema>;

export const TIP_OUTCOMES = ['actionable', 'no_action', 'duplicate'] as const;
export type TipOutcome = (typeof TIP_OUTCOMES)[number];

const Distribution = z.object({
  /** How many measurements. */
  count: z.number().int(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type Distribution = z.infer<typeof Distribution>;

export const MetricsRowSchema = z.object({
  /** The group's key: a date, "2026-W48"-like week start, month, user id or shift. */
  key: z.string(),
  label: z.string(),
  /** Incidents where the center put cameras up or provided footage. */
  assists: z.number().int(),
  /** Seconds from a call's arrival (CAD received time) to its first camera view. */
  callToCamera: Distribution,
  pullsRequested: z.number().int(),
  pullsFulfilled: z.number().int(),
  /** Minutes from a pull's request to its fulfilment. */
  timeToFulfil: Distribution,
  tipsByOutcome: z.object({
    actionable: z.number().int(),
    no_action: z.number().int(),
    duplicate: z.number().int(),
  }),
  /** Camera views granted, by the reason given. */
  viewsByReason: z.record(z.enum(VIEW_REASONS), z.number().int()),
  casesSupported: z.number().int(),
  exports: z.number().int(),
});
export type MetricsRow = z.infer<typeof MetricsRowSchema>;

export const MetricsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: MetricGroupingSchema,
  timeZone: z.string(),
  rows: z.array(MetricsRowSchema),
  total: MetricsRowSchema,
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;

/**
 * The p-th percentile (0-1) of values sorted ascending, interpolating linearly between the two
 * nearest ranks (the spreadsheet PERCENTILE.INC): the median of 10, 30, 90 and 240 is 60, their
 * 90th percentile 195. Null for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    median: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
  };
}
