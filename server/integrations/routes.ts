import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { INTEGRATION_ENDPOINTS } from '../../shared/api/integrations';
import { listIntegrations } from './integrationRepository';
import { createIntegration, revokeIntegration } from './integrationChanges';

/** Integration keys (administrators); shared/api/integrations.ts declares the endpoints. */
export const integrationRoutes: RouteModule = (api, ctx) => {
  serve(api, INTEGRATION_ENDPOINTS.list, async () => ({
    integrations: await listIntegrations(ctx.store),
  }));

  serve(api, INTEGRATION_ENDPOINTS.create, async ({ req, body }) =>
    createIntegration(ctx, body, actorOf(req)),
  );

  serve(api, INTEGRATION_ENDPOINTS.revoke, async ({ req, params }) =>
    revokeIntegration(ctx, params.id, actorOf(req)),
  );
};
