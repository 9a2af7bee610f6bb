import type { RouteModule } from '../http/api';
import { serve } from '../http/serve';
import { actorOf } from '../http/guard';
import { RETENTION_ENDPOINTS } from '../../shared/api/retention';
import { lastPurgeRun, startRetention } from './retentionPurge';
import { legalHoldOf, setLegalHold } from './retentionChanges';
import { retentionPeriodsInForce, AUDIT_TRAIL_RETENTION } from './retentionPeriods';

/** Retention: the periods in force, the purge and the legal hold (docs/retention.md). */
export const retentionRoutes: RouteModule = (api, ctx) => {
  const purger = startRetention(ctx);

  serve(api, RETENTION_ENDPOINTS.status, async () => ({
    periods: await retentionPeriodsInForce(ctx.store),
    auditTrail: AUDIT_TRAIL_RETENTION,
    lastRun: await lastPurgeRun(ctx),
    running: purger.running,
  }));

  // Answers once the run is recorded as started; it goes on in the background and ends with one
  // audit entry and a `retention.purged` event.
  serve(api, RETENTION_ENDPOINTS.purge, async ({ req }) => {
    const { run, alreadyRunning } = await purger.start('admin', actorOf(req));
    return { run, alreadyRunning };
  });

  serve(api, RETENTION_ENDPOINTS.getHold, async ({ params }) => legalHoldOf(ctx, params.number));

  serve(api, RETENTION_ENDPOINTS.setHold, async ({ req, params, body }) =>
    setLegalHold(ctx, actorOf(req), params.number, body),
  );
};
