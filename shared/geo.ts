/** Geography on the scale of a city: WGS84 degrees in, metres out. */

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BoundingBox {
  readonly minLat: number;
  readonly minLng: number;
  readonly maxLat: number;
  readonly maxLng: number;
}

/** The smallest lat/lng box that holds every point within `radiusM` of `center`. */
export function boundingBoxAround(center: LatLng, radiusM: number): BoundingBox {
  const d = radiusM / EARTH_RADIUS_M;
  // A hair of slack so that points exactly on the circle stay inside despite rounding.
  const dLat = (d * 180) / Math.PI + 1e-9;
  const minLat = center.lat - dLat;
  const maxLat = center.lat + dLat;
  // A circle that reaches a pole takes in every longitude. Otherwise its widest point is not
  // due east of the centre but a little poleward of it, at asin(sin d / cos lat); the simpler
  // d / cos lat falls short of that, by more the larger the circle and the higher the latitude.
  const x = Math.sin(d) / Math.cos(rad(center.lat));
  const dLng =
    maxLat >= 90 || minLat <= -90 || x >= 1 ? 180 : (Math.asin(x) * 180) / Math.PI + 1e-9;
  return {
    minLat: Math.max(-90, minLat),
    maxLat: Math.min(90, maxLat),
    minLng: center.lng - dLng,
    maxLng: center.lng + dLng,
  };
}

/** Ray casting on one ring of [lng, lat] pairs (GeoJSON order). */
function inRing(point: LatLng, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    const crosses =
      yi > point.lat !== yj > point.lat &&
      point.lng < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi;
    if (crosses) inside = !inside;
  }
  return inside;
}

export type PolygonCoordinates = readonly (readonly (readonly number[])[])[];

/** Inside a GeoJSON Polygon (outer ring minus holes) or MultiPolygon. */
export function pointInPolygon(
  point: LatLng,
  geometry:
    | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
    | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] },
): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some((rings) => {
    const [outer, ...holes] = rings;
    return !!outer && inRing(point, outer) && !holes.some((h) => inRing(point, h));
  });
}

/**
 * Metres from a point to a segment, on a plane tangent at the point: exact enough within a city
 * and its buffer (a few kilometres), where the earth's curvature is far below a metre.
 */
function distanceToSegmentMeters(p: LatLng, a: readonly number[], b: readonly number[]): number {
  const mPerDegLat = (Math.PI * EARTH_RADIUS_M) / 180;
  const mPerDegLng = mPerDegLat * Math.cos(rad(p.lat));
  const ax = (a[0]! - p.lng) * mPerDegLng;
  const ay = (a[1]! - p.lat) * mPerDegLat;
  const bx = (b[0]! - p.lng) * mPerDegLng;
  const by = (b[1]! - p.lat) * mPerDegLat;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/**
 * Whether a point is inside a Polygon or MultiPolygon or within `bufferM` metres of its
 * boundary (a CAD call just across the city line still matters to the center).
 */
export function withinPolygonBuffer(
  point: LatLng,
  geometry:
    | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
    | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] },
  bufferM: number,
): boolean {
  if (pointInPolygon(point, geometry)) return true;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        if (distanceToSegmentMeters(point, ring[i - 1]!, ring[i]!) <= bufferM) return true;
      }
    }
  }
  return false;
}

/**
 * Metres from a point to a Polygon or MultiPolygon (0 inside). Near the boundary the segments
 * are measured on the tangent plane; far away (beyond 20 km) the nearest vertex by great circle
 * is exact enough, where a plane would not be.
 */
export function distanceToPolygonMeters(
  point: LatLng,
  geometry:
    | { readonly type: 'Polygon'; readonly coordinates: PolygonCoordinates }
    | { readonly type: 'MultiPolygon'; readonly coordinates: readonly PolygonCoordinates[] },
): number {
  if (pointInPolygon(point, geometry)) return 0;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let nearestVertex = Number.POSITIVE_INFINITY;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const v of ring) {
        const d = distanceMeters(point, { lat: v[1]!, lng: v[0]! });
        if (d < nearestVertex) nearestVertex = d;
      }
    }
  }
  if (nearestVertex > 40_000) return nearestVertex;
  let nearest = nearestVertex;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        nearest = Math.min(nearest, distanceToSegmentMeters(point, ring[i - 1]!, ring[i]!));
      }
    }
  }
  return nearest;
}
