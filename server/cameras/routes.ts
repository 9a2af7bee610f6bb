import type { RouteModule } from '../http/api';
import { registryRoutes } from './registryRoutes';
import { importRoutes } from './importRoutes';
import { grantRoutes } from './grantRoutes';

/** The camera registry, its import, owner-contact reveals and stream grants. */
export const cameraRoutes: RouteModule = (api, ctx) => {
  registryRoutes(api, ctx);
  importRoutes(api, ctx);
  grantRoutes(api, ctx);
};
