import type { Camera } from '../domain/cameras';
import type { NearCamera, NearestCameras } from '../domain/docking';
import type { LatLng } from '../geo';
import { coneContains } from './cameraCone';

/** A camera within the radius, with its distance and whether its owner lets it be viewed now. */
export interface DockCandidate {
  readonly camera: Camera;
  readonly distanceM: number;
  /** null: may be viewed now; else the owner's reason and when it next opens (ISO), if known. */
  readonly refusal: { readonly reason: string; readonly nextOpen: string | null } | null;
}

export type RankedCameras = Pick<NearestCameras, 'docked' | 'notDocked' | 'ownersToContact'>;

/**
 * Orders cameras for the wall: those that can see the point first (inside their cone), then the
 * rest, distance breaking ties; the id settles equal distances so that every run agrees. The
 * first `count` that may be viewed now are docked; the others with a feed are listed with their
 * owner's reason; registered cameras (no feed) are owners to contact.
 */
export function rankNearestCameras(
  point: LatLng,
  candidates: readonly DockCandidate[],
  count: number,
): RankedCameras {
  const ranked = candidates
    .filter((c) => c.camera.status === 'active')
    .map((c) => ({ ...c, seesPoint: coneContains(c.camera, point) }))
    .sort(
      (a, b) =>
        Number(b.seesPoint) - Number(a.seesPoint) ||
        a.distanceM - b.distanceM ||
        a.camera.id.localeCompare(b.camera.id),
    );
  const near = (c: (typeof ranked)[number]): NearCamera => ({
    camera: c.camera,
    distanceM: c.distanceM,
    seesPoint: c.seesPoint,
  });
  const docked: NearCamera[] = [];
  const notDocked: RankedCameras['notDocked'] = [];
  const ownersToContact: NearCamera[] = [];
  for (const c of ranked) {
    if (c.camera.kind === 'registered') ownersToContact.push(near(c));
    else if (c.refusal) notDocked.push({ ...near(c), ...c.refusal });
    else if (docked.length < count) docked.push(near(c));
  }
  return { docked, notDocked, ownersToContact };
}
