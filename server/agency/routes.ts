import type { RouteModule } from '../http/api';
import { AgencyConfigSchema } from '../../shared/domain/agency';
import { getAgency } from './agencyStore';

export const agencyRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/agency',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: "The agency's configuration: name, time zone, jurisdiction, map defaults",
        tags: ['agency'],
        response: { 200: AgencyConfigSchema },
      },
    },
    async () => getAgency(ctx.store),
  );
};
