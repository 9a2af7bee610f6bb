import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import type { MetricsReport } from '../../shared/domain/metrics';

ChartJS.register(
  CategoryScale,
  LinearScale,
  BarElement,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

const COLORS = ['#4e9bff', '#f5a524', '#37c98b', '#e5534b'];
const TEXT = '#a3adba';
const scales = {
  x: { ticks: { color: TEXT }, grid: { color: '#2a323d' } },
  y: { ticks: { color: TEXT }, grid: { color: '#2a323d' }, beginAtZero: true },
};
const options = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false as const,
  plugins: { legend: { labels: { color: TEXT } } },
  scales,
};

/** Work per group: assists, pulls requested and fulfilled, exports. */
export function WorkChart({ report }: { report: MetricsReport }) {
  const labels = report.rows.map((r) => r.label);
  const series = [
    ['Assists', report.rows.map((r) => r.assists)],
    ['Pulls requested', report.rows.map((r) => r.pullsRequested)],
    ['Pulls fulfilled', report.rows.map((r) => r.pullsFulfilled)],
    ['Exports', report.rows.map((r) => r.exports)],
  ] as const;
  return (
    <div className="metrics-chart">
      <Bar
        aria-label="Assists, pulls and exports per group"
        options={options}
        data={{
          labels,
          datasets: series.map(([label, data], i) => ({
            label,
            data: [...data],
            backgroundColor: COLORS[i],
          })),
        }}
      />
    </div>
  );
}

/** Call to first camera on the wall, median and 90th percentile, in seconds. */
export function CallToCameraChart({ report }: { report: MetricsReport }) {
  const labels = report.rows.map((r) => r.label);
  return (
    <div className="metrics-chart">
      <Line
        aria-label="Seconds from call to first camera per group"
        options={options}
        data={{
          labels,
          datasets: [
            {
              label: 'Median (s)',
              data: report.rows.map((r) => r.callToCamera.median),
              borderColor: COLORS[0],
              backgroundColor: COLORS[0],
              spanGaps: true,
            },
            {
              label: '90th percentile (s)',
              data: report.rows.map((r) => r.callToCamera.p90),
              borderColor: COLORS[1],
              backgroundColor: COLORS[1],
              spanGaps: true,
            },
          ],
        }}
      />
    </div>
  );
}
