import { z } from 'zod';
import { MetricGroupingSchema, MetricsReportSchema } from '../domain/metrics';
import { endpoint, serverCall } from './contract';

/** The center's figures, computed from the record (docs/metrics.md). */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date in the form YYYY-MM-DD');

export const MetricsQuerySchema = z.object({
  /** The first day counted, in the agency's zone. */
  from: IsoDate,
  /** The last day counted (inclusive); at most 366 days after `from`. */
  to: IsoDate,
  by: MetricGroupingSchema.default('day'),
});

export const METRICS_ENDPOINTS = {
  get: endpoint({
    method: 'GET',
    path: '/v1/metrics',
    access: 'metrics.read',
    summary:
      "The center's figures over a range of days, per day, week, month, analyst or shift, from the record",
    tags: ['metrics'],
    query: MetricsQuerySchema,
    response: MetricsReportSchema,
  }),
};

export const METRICS_CALLS = {
  'metrics.get': serverCall(
    METRICS_ENDPOINTS.get,
    z.object({ from: IsoDate, to: IsoDate, by: MetricGroupingSchema.optional() }).strict(),
  ),
};
