import type { MetricsReport, MetricsRow } from '../../shared/domain/metrics';
import { VIEW_REASONS } from '../../shared/domain/reasons';

/**
 * The metrics as CSV (RFC 4180), one row per group and a total. A cell that a spreadsheet would
 * take for a formula (=, +, -, @ first) is prefixed with ' so it stays text.
 */
export function metricsCsv(report: MetricsReport): string {
  const header = [
    report.by,
    'assists',
    'calls_with_camera',
    'call_to_camera_median_s',
    'call_to_camera_p90_s',
    'pulls_requested',
    'pulls_fulfilled',
    'time_to_fulfil_median_min',
    'time_to_fulfil_p90_min',
    'tips_actionable',
    'tips_no_action',
    'tips_duplicate',
    ...VIEW_REASONS.map((r) => `views_${r}`),
    'cases_supported',
    'exports',
  ];
  const line = (r: MetricsRow) => [
    r.label,
    r.assists,
    r.callToCamera.count,
    r.callToCamera.median,
    r.callToCamera.p90,
    r.pullsRequested,
    r.pullsFulfilled,
    r.timeToFulfil.median,
    r.timeToFulfil.p90,
    r.tipsByOutcome.actionable,
    r.tipsByOutcome.no_action,
    r.tipsByOutcome.duplicate,
    ...VIEW_REASONS.map((reason) => r.viewsByReason[reason] ?? 0),
    r.casesSupported,
    r.exports,
  ];
  return [header, ...report.rows.map(line), line(report.total)]
    .map((cells) => cells.map(cell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const metricsFilename = (r: MetricsReport) => `metrics-${r.from}-to-${r.to}-by-${r.by}.csv`;
