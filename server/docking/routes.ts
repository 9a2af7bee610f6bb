import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { DOCKING_ENDPOINTS } from '../../shared/api/docking';
import { dockNearest } from './dockingChanges';
import { nearestCameras } from './nearestCameras';
import { resolveDockTarget } from './dockTargets';

/** The nearest cameras of an incident or alert, and docking them; shared/api/docking.ts. */
export const dockingRoutes: RouteModule = (api, ctx) => {
  serve(api, DOCKING_ENDPOINTS.nearest, async ({ req, params }) => {
    const target = await resolveDockTarget(ctx.store, principalOf(req), params.kind, params.id);
    return nearestCameras(ctx.store, target, new Date(ctx.clock.now()));
  });

  serve(api, DOCKING_ENDPOINTS.dock, async ({ req, params, body }) =>
    dockNearest(ctx, principalOf(req), params.kind, params.id, body),
  );
};
