import type { RouteModule } from '../http/api';
import { actorOf, principalOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { PULL_ENDPOINTS } from '../../shared/api/pulls';
import { listPulls, openPullsPerAnalyst, pullDetail } from './pullRepository';
import {
  changePull,
  closePull,
  createPull,
  fulfilPull,
  recordOutcome,
  revealCandidateOwner,
} from './pullChanges';

const NO_SUCH_PULL = 'There is no such camera pull.';

/** Camera pulls: the analysts' work and the officers' own view; shared/api/pulls.ts. */
export const pullRoutes: RouteModule = (api, ctx) => {
  serve(api, PULL_ENDPOINTS.list, async ({ query }) => ({
    pulls: await listPulls(ctx.store, query),
  }));

  serve(api, PULL_ENDPOINTS.mine, async ({ req, query }) => ({
    pulls: await listPulls(ctx.store, { ...query, requesterUserId: principalOf(req).userId }),
  }));

  serve(api, PULL_ENDPOINTS.workload, async () => ({
    analysts: await openPullsPerAnalyst(ctx.store),
  }));

  serve(api, PULL_ENDPOINTS.get, async ({ params }) => {
    const detail = await pullDetail(ctx.store, params.id);
    if (!detail) throw new HttpError(404, NO_SUCH_PULL);
    return detail;
  });

  // An officer reads only what they asked for; anyone else's pull is as if it did not exist.
  serve(api, PULL_ENDPOINTS.getMine, async ({ req, params }) => {
    const detail = await pullDetail(ctx.store, params.id);
    if (!detail || detail.pull.requester.userId !== principalOf(req).userId) {
      throw new HttpError(404, NO_SUCH_PULL);
    }
    return detail;
  });

  serve(api, PULL_ENDPOINTS.create, async ({ req, body }) => createPull(ctx, body, actorOf(req)));

  serve(api, PULL_ENDPOINTS.update, async ({ req, params, body }) =>
    changePull(ctx, params.id, body, actorOf(req)),
  );

  serve(api, PULL_ENDPOINTS.fulfil, async ({ req, params, body }) =>
    fulfilPull(ctx, params.id, body.note || null, actorOf(req)),
  );

  serve(api, PULL_ENDPOINTS.close, async ({ req, params, body }) =>
    closePull(ctx, params.id, body.note, actorOf(req)),
  );

  serve(api, PULL_ENDPOINTS.outcome, async ({ req, params, body }) =>
    recordOutcome(ctx, params.id, params.cameraId, body.outcome, body.note || null, actorOf(req)),
  );

  serve(api, PULL_ENDPOINTS.ownerContact, async ({ req, params }) => ({
    cameraId: params.cameraId,
    owner: await revealCandidateOwner(ctx, principalOf(req), params.id, params.cameraId),
  }));
};
