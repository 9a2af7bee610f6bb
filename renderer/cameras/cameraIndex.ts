import KDBush from 'kdbush';
import type { CameraKind } from '../../shared/domain/cameras';
import { boundingBoxAround, distanceMeters, type LatLng } from '../../shared/geo';

export interface IndexedCamera {
  readonly id: string;
  readonly kind: CameraKind;
  readonly lat: number;
  readonly lng: number;
}

export interface CameraHit<C extends IndexedCamera> {
  readonly camera: C;
  readonly distanceM: number;
}

/**
 * Cameras in a static k-d tree (kdbush) over longitude and latitude, for "what is within 300 m
 * of here" at 100,000 cameras. The tree answers a bounding box; the great-circle distance then
 * trims it to the circle. Rebuilt when the camera set changes (a few tens of ms at 100,000).
 */
export class CameraIndex<C extends IndexedCamera> {
  private readonly tree: KDBush;

  constructor(private readonly cameras: readonly C[]) {
    this.tree = new KDBush(Math.max(1, cameras.length));
    for (const c of cameras) this.tree.add(c.lng, c.lat);
    if (cameras.length === 0) this.tree.add(0, 0);
    this.tree.finish();
  }

  get size(): number {
    return this.cameras.length;
  }

  /** Cameras within `radiusM` of `center`, nearest first, optionally only some kinds. */
  within(
    center: LatLng,
    radiusM: number,
    kinds?: ReadonlySet<CameraKind>,
  ): readonly CameraHit<C>[] {
    if (this.cameras.length === 0 || !(radiusM > 0)) return [];
    const box = boundingBoxAround(center, radiusM);
    const hits: CameraHit<C>[] = [];
    for (const i of this.tree.range(box.minLng, box.minLat, box.maxLng, box.maxLat)) {
      const camera = this.cameras[i];
      if (!camera || (kinds && !kinds.has(camera.kind))) continue;
      const distanceM = distanceMeters(center, camera);
      if (distanceM <= radiusM) hits.push({ camera, distanceM });
    }
    return hits.sort((a, b) => a.distanceM - b.distanceM);
  }

  /** The `count` nearest cameras within `radiusM`, e.g. the four to put on the wall for a call. */
  nearest(
    center: LatLng,
    count: number,
    radiusM: number,
    kinds?: ReadonlySet<CameraKind>,
  ): readonly CameraHit<C>[] {
    return this.within(center, radiusM, kinds).slice(0, Math.max(0, count));
  }
}
