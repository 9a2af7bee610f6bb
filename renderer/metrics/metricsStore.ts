import { create } from 'zustand';
import type { MetricGrouping, MetricsReport } from '../../shared/domain/metrics';
import { call } from '../app/watchfloor';
import { saveFile } from '../app/saveFile';
import { metricsCsv, metricsFilename } from './metricsCsv';

export interface MetricsQuery {
  readonly from: string;
  readonly to: string;
  readonly by: MetricGrouping;
}

interface MetricsStore {
  readonly query: MetricsQuery | null;
  readonly report: MetricsReport | null;
  readonly error: string | null;
  readonly loading: boolean;
  load(query: MetricsQuery): Promise<void>;
  downloadCsv(): void;
  reset(): void;
}

/** The metrics view: the range and grouping asked for, and the figures the server counted. */
export const useMetricsStore = create<MetricsStore>()((set, get) => ({
  query: null,
  report: null,
  error: null,
  loading: false,
  async load(query) {
    set({ query, loading: true });
    const r = await call('metrics.get', query);
    // A later question wins over an answer that arrives late.
    if (get().query !== query) return;
    if (r.ok) set({ report: r.value, error: null, loading: false });
    else set({ error: r.error.message, loading: false });
  },
  downloadCsv() {
    const report = get().report;
    if (!report) return;
    saveFile(metricsFilename(report), new Blob([metricsCsv(report)], { type: 'text/csv' }));
  },
  reset() {
    set({ query: null, report: null, error: null, loading: false });
  },
}));
