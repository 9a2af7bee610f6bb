import type { RouteModule } from '../http/api';
import { serve } from '../http/serve';
import { METRICS_ENDPOINTS } from '../../shared/api/metrics';
import { getAgency } from '../agency/agencyRepository';
import { metricsReport } from './metricsReport';

/** The center's figures; shared/api/metrics.ts. */
export const metricsRoutes: RouteModule = (api, ctx) => {
  serve(api, METRICS_ENDPOINTS.get, async ({ query }) =>
    metricsReport(ctx.store, await getAgency(ctx.store), query),
  );
};
