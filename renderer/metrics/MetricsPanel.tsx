import { useEffect, useState } from 'react';
import {
  METRIC_GROUPINGS,
  type MetricGrouping,
  type MetricsRow,
} from '../../shared/domain/metrics';
import { VIEW_REASONS, VIEW_REASON_LABELS } from '../../shared/domain/reasons';
import { addDays, formatIsoDate, localDateOf } from '../../shared/time/zonedTime';
import { useSessionStore } from '../session/sessionStore';
import { CallToCameraChart, WorkChart } from './MetricsChart';
import { useMetricsStore } from './metricsStore';

const GROUPING_LABELS: Readonly<Record<MetricGrouping, string>> = {
  day: 'Per day',
  week: 'Per week',
  month: 'Per month',
  analyst: 'Per analyst',
  shift: 'Per shift',
};

const seconds = (v: number | null) => (v === null ? '–' : `${v} s`);
const minutes = (v: number | null) => (v === null ? '–' : `${v} min`);

/** The center's figures over a range of days, as charts, a table and CSV. */
export function MetricsPanel() {
  const timeZone = useSessionStore((s) => s.agency?.timeZone ?? 'UTC');
  const report = useMetricsStore((s) => s.report);
  const error = useMetricsStore((s) => s.error);
  const loading = useMetricsStore((s) => s.loading);
  const [to, setTo] = useState(() => formatIsoDate(localDateOf(Date.now(), timeZone)));
  const [from, setFrom] = useState(() =>
    formatIsoDate(addDays(localDateOf(Date.now(), timeZone), -13)),
  );
  const [by, setBy] = useState<MetricGrouping>('day');

  useEffect(() => {
    if (from && to) void useMetricsStore.getState().load({ from, to, by });
  }, [from, to, by]);

  return (
    <div className="metrics" data-testid="metrics">
      <div className="metrics-head">
        <h2>Metrics</h2>
        <input
          type="date"
          aria-label="From"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        <select
          aria-label="Group"
          value={by}
          onChange={(e) => setBy(e.target.value as MetricGrouping)}
        >
          {METRIC_GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {GROUPING_LABELS[g]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          disabled={!report}
          onClick={() => useMetricsStore.getState().downloadCsv()}
        >
          CSV
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {loading && !report && <p className="muted">Counting…</p>}
      {report && (
        <>
          <p className="muted">
            {report.from} to {report.to} ({report.timeZone}). Counted from the audit trail and the
            incidents; nothing here is typed in.
          </p>
          <h3>Assists, pulls and exports</h3>
          <WorkChart report={report} />
          <h3>Call to first camera</h3>
          <CallToCameraChart report={report} />
          <MetricsTable rows={[...report.rows, report.total]} />
        </>
      )}
    </div>
  );
}

function MetricsTable({ rows }: { rows: readonly MetricsRow[] }) {
  const lines: [string, (r: MetricsRow) => string | number][] = [
    ['Assists', (r) => r.assists],
    ['Calls with a camera', (r) => r.callToCamera.count],
    ['Call to camera, median', (r) => seconds(r.callToCamera.median)],
    ['Call to camera, 90th pct', (r) => seconds(r.callToCamera.p90)],
    ['Pulls requested', (r) => r.pullsRequested],
    ['Pulls fulfilled', (r) => r.pullsFulfilled],
    ['Time to fulfil, median', (r) => minutes(r.timeToFulfil.median)],
    ['Time to fulfil, 90th pct', (r) => minutes(r.timeToFulfil.p90)],
    ['Tips actionable', (r) => r.tipsByOutcome.actionable],
    ['Tips no action', (r) => r.tipsByOutcome.no_action],
    ['Tips duplicate', (r) => r.tipsByOutcome.duplicate],
    ...VIEW_REASONS.map(
      (reason) =>
        [
          `Views: ${VIEW_REASON_LABELS[reason]}`,
          (r: MetricsRow) => r.viewsByReason[reason] ?? 0,
        ] as [string, (r: MetricsRow) => number],
    ),
    ['Cases supported', (r) => r.casesSupported],
    ['Exports', (r) => r.exports],
  ];
  return (
    <div className="metrics-table-wrap">
      <table className="metrics-table">
        <thead>
          <tr>
            <th />
            {rows.map((r) => (
              <th key={r.key} scope="col">
                {r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {rows.map((r) => (
                <td key={r.key}>{value(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
