import { distanceMeters, type LatLng } from '../geo';

/** What a camera sees when its own record says nothing about range (docs/docking.md). */
export const DEFAULT_VIEW_RANGE_M = 80;

/** A camera's direction of view, when it is known. */
export interface CameraAim {
  readonly lat: number;
  readonly lng: number;
  readonly bearingDeg: number | null;
  readonly fovDeg: number | null;
  readonly rangeM: number | null;
}

const toRad = (d: number) => (d * Math.PI) / 180;
const toDeg = (r: number) => (r * 180) / Math.PI;

/** The initial great-circle bearing from `from` to `to`, degrees clockwise from north, [0, 360). */
export function bearingTo(from: LatLng, to: LatLng): number {
  const f1 = toRad(from.lat);
  const f2 = toRad(to.lat);
  const dl = toRad(to.lng - from.lng);
  const y = Math.sin(dl) * Math.cos(f2);
  const x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
  return (toDeg(Math.atan2(y, x)) + 360) % 360;
}

/** The smallest angle between two bearings, 0 to 180. */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/**
 * Whether the point is inside the camera's cone: within its range and within half its field of
 * view of its bearing. A camera with no bearing or field of view is not known to see anything.
 * A point on the camera itself counts as seen.
 */
export function coneContains(camera: CameraAim, point: LatLng): boolean {
  if (camera.bearingDeg === null || camera.fovDeg === null) return false;
  const distance = distanceMeters(camera, point);
  if (distance > (camera.rangeM ?? DEFAULT_VIEW_RANGE_M)) return false;
  if (distance < 0.5 || camera.fovDeg >= 360) return true;
  return angleBetween(bearingTo(camera, point), camera.bearingDeg) <= camera.fovDeg / 2;
}

/**
 * The cone as a polygon ring (lng, lat pairs, closed) for the map: the camera, then the arc at
 * its range in `steps` pieces.
 */
export function conePolygon(camera: CameraAim, steps = 12): [number, number][] | null {
  if (camera.bearingDeg === null || camera.fovDeg === null) return null;
  const range = camera.rangeM ?? DEFAULT_VIEW_RANGE_M;
  const fov = Math.min(camera.fovDeg, 359.9);
  const start = camera.bearingDeg - fov / 2;
  const mPerDegLat = 111_320;
  const mPerDegLng = mPerDegLat * Math.cos(toRad(camera.lat));
  const ring: [number, number][] = [[camera.lng, camera.lat]];
  for (let i = 0; i <= steps; i++) {
    const b = toRad(start + (fov * i) / steps);
    ring.push([
      camera.lng + (Math.sin(b) * range) / mPerDegLng,
      camera.lat + (Math.cos(b) * range) / mPerDegLat,
    ]);
  }
  ring.push([camera.lng, camera.lat]);
  return ring;
}
