import type { RouteModule } from '../http/api';
import { registryRoutes } from './registryRoutes';
import { importRoutes } from './importRoutes';
import { grantRoutes } from './grantRoutes';
import { cameraAdminRoutes } from './adminRoutes';
import { relayRoutes } from '../relay/relayRoutes';

/** The camera registry, its administration, its import, owner-contact reveals, stream grants and the relay they open. */
export const cameraRoutes: RouteModule = (api, ctx) => {
  registryRoutes(api, ctx);
  importRoutes(api, ctx);
  cameraAdminRoutes(api, ctx);
  grantRoutes(api, ctx);
  relayRoutes(api, ctx);
};
