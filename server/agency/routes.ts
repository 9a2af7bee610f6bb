import type { RouteModule } from '../http/api';
import { serve } from '../http/serve';
import { AGENCY_ENDPOINTS } from '../../shared/api/agency';
import { getAgency } from './agencyRepository';

export const agencyRoutes: RouteModule = (api, ctx) => {
  serve(api, AGENCY_ENDPOINTS.get, async () => getAgency(ctx.store));
};
