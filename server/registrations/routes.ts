import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { REGISTRATION_ENDPOINTS } from '../../shared/api/registrations';
import { listRegistrations } from './registrationRepository';
import { expireUnconfirmed, resolveDuplicate } from './registrationChanges';

/** How often registrations whose confirmation lapsed are deleted. */
const EXPIRE_EVERY_MS = 3_600_000;

/**
 * The console's side of the portal's camera registrations (shared/api/registrations.ts): the
 * list with its look-alikes, and an administrator settling them. The portal's own pages are
 * server/portal/routes.ts.
 */
export const registrationRoutes: RouteModule = (api, ctx) => {
  ctx.tasks.every('registrations.expire', EXPIRE_EVERY_MS, async () => {
    await expireUnconfirmed(ctx);
  });

  serve(api, REGISTRATION_ENDPOINTS.list, async ({ query }) => ({
    registrations: await listRegistrations(ctx.store, query),
  }));

  serve(api, REGISTRATION_ENDPOINTS.resolveDuplicate, async ({ req, params, body }) =>
    resolveDuplicate(ctx, actorOf(req), params.id, params.cameraId, body.resolution),
  );
};
