import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { LAYOUT_ENDPOINTS } from '../../shared/api/layouts';
import { listCenterLayouts, listLayouts } from './layoutRepository';
import { removeCenterLayout, removeLayout, saveCenterLayout, saveLayout } from './layoutChanges';

/** Saved wall layouts, each user's own and the center's (shared/api/layouts.ts declares the endpoints). */
export const layoutRoutes: RouteModule = (api, ctx) => {
  const me = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return { id: p.userId, name: p.username };
  };

  serve(api, LAYOUT_ENDPOINTS.list, async ({ req }) => ({
    layouts: await listLayouts(ctx.store, principalOf(req).userId),
  }));

  serve(api, LAYOUT_ENDPOINTS.save, async ({ req, params, body }) =>
    saveLayout(ctx, me(req), params.name, body.layout),
  );

  serve(api, LAYOUT_ENDPOINTS.delete, async ({ req, params }) => {
    await removeLayout(ctx, me(req), params.name);
    return { name: params.name, deleted: true as const };
  });

  serve(api, LAYOUT_ENDPOINTS.centerList, async () => ({
    layouts: await listCenterLayouts(ctx.store),
  }));

  serve(api, LAYOUT_ENDPOINTS.centerSave, async ({ req, params, body }) =>
    saveCenterLayout(ctx, me(req), params.name, body.layout),
  );

  serve(api, LAYOUT_ENDPOINTS.centerDelete, async ({ req, params }) => {
    await removeCenterLayout(ctx, me(req), params.name);
    return { name: params.name, deleted: true as const };
  });
};
