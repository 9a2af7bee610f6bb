import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { getAgency } from '../agency/agencyRepository';
import { ADDRESS_ENDPOINTS, MAX_ADDRESS_RESULTS } from '../../shared/api/addresses';
import { demoGeography } from '../demo/demoStreets';
import { importAddresses } from './importAddresses';
import { searchAddresses } from './addressSearch';

/** The agency's address points and the map's street layer (docs/address-points.md). */
export const addressRoutes: RouteModule = (api, ctx) => {
  serve(api, ADDRESS_ENDPOINTS.search, async ({ query }) => ({
    addresses: await searchAddresses(ctx.store, query.q, query.limit ?? MAX_ADDRESS_RESULTS),
  }));

  serve(api, ADDRESS_ENDPOINTS.import, async ({ req, body }) =>
    importAddresses(ctx, body, actorOf(req)),
  );

  serve(api, ADDRESS_ENDPOINTS.streets, async () => {
    const agency = await getAgency(ctx.store);
    // Only the demo has a street layer of its own (synthetic); a site without a tile server
    // draws its outline and its address points' places until it has one.
    if (!agency.demo) return { attribution: '', streets: [], places: [] };
    return demoGeography(agency).layer;
  });
};
