import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { listCameras } from '../cameras/cameraSearch';
import { decideAccess } from '../../shared/policy/decideAccess';
import type { DockTarget, NearestCameras } from '../../shared/domain/docking';
import { MAX_DOCK_CAMERAS } from '../../shared/domain/docking';
import { rankNearestCameras, type DockCandidate } from '../../shared/docking/rankNearestCameras';

/** More cameras than this inside one radius are not looked at (2 km in a dense city). */
const CANDIDATE_LIMIT = 1000;

/**
 * The docking list of a target at `at`: cameras within the agency's radius for its kind, each
 * judged by its owner's sharing policy at that minute, ranked by rankNearestCameras.
 */
export async function nearestCameras(
  db: Queryable,
  target: DockTarget,
  at: Date,
  max: number = MAX_DOCK_CAMERAS,
): Promise<NearestCameras> {
  const agency = await getAgency(db);
  const reach = agency.docking.reach[target.kind];
  const { items } = await listCameras(db, {
    status: 'active',
    near: target.position,
    radius: reach.radiusM,
    limit: CANDIDATE_LIMIT,
  });
  const candidates: DockCandidate[] = items.map((camera) => {
    const decision =
      camera.kind === 'registered'
        ? ({ allowed: true, until: null } as const)
        : decideAccess(camera, 'live', at.getTime(), agency.timeZone);
    return {
      camera,
      distanceM: camera.distanceM ?? 0,
      refusal: decision.allowed
        ? null
        : {
            reason: decision.reason,
            nextOpen: decision.nextOpen === null ? null : new Date(decision.nextOpen).toISOString(),
          },
    };
  });
  const count = Math.min(reach.count, max);
  return { target, reach, ...rankNearestCameras(target.position, candidates, count) };
}
