import type { ConsoleModule } from '../app/consoleModule';
import { MetricsPanel } from './MetricsPanel';
import { useMetricsStore } from './metricsStore';

/** The center's figures (docs/metrics.md), for supervisors, lieutenants and administrators. */
export const metricsModule: ConsoleModule = {
  id: 'metrics',
  permission: 'metrics.read',
  panel: { label: 'Metrics', key: 'N', Component: MetricsPanel },
  load: () => useMetricsStore.getState().reset(),
};
