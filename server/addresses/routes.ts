import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { getAgency } from '../agency/agencyRepository';
import { ADDRESS_ENDPOINTS, MAX_ADDRESS_RESULTS } from '../../shared/api/addresses';
import { importAddresses } from './importAddresses';
import { searchAddresses } from './addressSearch';
import { streetLayerOf } from './streetLayer';

/** The agency's address points and the map's street layer (docs/address-points.md). */
export const addressRoutes: RouteModule = (api, ctx) => {
  serve(api, ADDRESS_ENDPOINTS.search, async ({ query }) => ({
    addresses: await searchAddresses(ctx.store, query.q, query.limit ?? MAX_ADDRESS_RESULTS),
  }));

  serve(api, ADDRESS_ENDPOINTS.import, async ({ req, body }) =>
    importAddresses(ctx, body, actorOf(req)),
  );

  serve(api, ADDRESS_ENDPOINTS.streets, async () => {
    // A site without a layer of its own draws its outline and its address points' places.
    const layer = streetLayerOf(await getAgency(ctx.store));
    return layer ?? { attribution: '', streets: [], places: [] };
  });
};
