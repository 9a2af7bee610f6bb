import type { RouteModule } from '../http/api';
import { serve } from '../http/serve';
import { actorOf } from '../http/guard';
import { AGENCY_ENDPOINTS, AGENCY_SECTION_NAMES } from '../../shared/api/agency';
import { getAgency } from './agencyRepository';
import { saveAgencySection } from './agencyChanges';

export const agencyRoutes: RouteModule = (api, ctx) => {
  serve(api, AGENCY_ENDPOINTS.get, async () => getAgency(ctx.store));

  // One route per section, each validated by that section's schema (docs/agency-settings.md).
  for (const name of AGENCY_SECTION_NAMES) {
    serve(api, AGENCY_ENDPOINTS.sections[name], async ({ req, body }) =>
      saveAgencySection(ctx, actorOf(req), name, body),
    );
  }
};
