import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import { issueGrant } from '../cameras/grantService';
import type { Docked } from '../../shared/api/docking';
import type { DockTargetKind } from '../../shared/domain/docking';
import type { ViewReason } from '../../shared/domain/reasons';
import type { ViewVariant } from '../../shared/api/views';
import { nearestCameras } from './nearestCameras';
import { referenceOf, resolveDockTarget } from './dockTargets';

/**
 * Docks a target's nearest cameras for the caller: the list, then a grant per camera, each in
 * the audit trail with the reason "active incident" and the record's number. Nobody is asked
 * for a reason: the record is the reason. A camera whose owner closed between the list and its
 * grant comes back refused, with the owner's reason.
 */
export async function dockNearest(
  ctx: ServerContext,
  who: Principal,
  kind: DockTargetKind,
  id: string,
  request: { readonly max?: number; readonly variant: ViewVariant },
): Promise<Docked> {
  const target = await resolveDockTarget(ctx.store, who, kind, id);
  const nearest = await nearestCameras(ctx.store, target, new Date(ctx.clock.now()), request.max);
  const reason: ViewReason = {
    code: kind === 'alert' ? 'sensor_alert' : 'active_incident',
    reference: referenceOf(target.reference),
    note: `Docked: ${target.label}`.slice(0, 500),
  };
  const grants = await Promise.all(
    nearest.docked.map(async ({ camera }) => {
      const outcome = await issueGrant(ctx, who, camera.id, {
        reason,
        access: 'live',
        variant: request.variant,
      });
      return 'granted' in outcome
        ? { cameraId: camera.id, grant: outcome.granted }
        : { cameraId: camera.id, refused: outcome.refused };
    }),
  );
  return { nearest, reason, grants };
}
