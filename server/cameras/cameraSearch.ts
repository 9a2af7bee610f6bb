import type { Queryable } from '../store/store';
import type { CameraListQuery, CameraListResponse } from '../../shared/api/cameras';
import { boundingBoxAround, type BoundingBox, type LatLng } from '../../shared/geo';
import { cameraFromRow, PUBLIC_CAMERA_COLUMNS, type CameraRow } from './cameraRows';

/**
 * Great-circle distance from ($lat, $lng) to each row, in metres: the same haversine as
 * shared/geo.ts, so the server and the console agree on who is inside a radius.
 */
const distanceSql = (latParam: string, lngParam: string) => `(2 * 6371008.8 * asin(least(1, sqrt(
    power(sin(radians(lat - ${latParam}) / 2), 2)
    + cos(radians(${latParam})) * cos(radians(lat)) * power(sin(radians(lng - ${lngParam}) / 2), 2)))))`;

/**
 * The boxes (lng/lat degrees) that cover a circle. Near the antimeridian the circle's box spills
 * past ±180, and the spilled part is the same box on the other side of the map.
 */
export function boxesAround(center: LatLng, radiusM: number): BoundingBox[] {
  const b = boundingBoxAround(center, radiusM);
  if (b.maxLng - b.minLng >= 360) return [{ ...b, minLng: -180, maxLng: 180 }];
  const boxes: BoundingBox[] = [
    { ...b, minLng: Math.max(-180, b.minLng), maxLng: Math.min(180, b.maxLng) },
  ];
  if (b.minLng < -180) boxes.push({ ...b, minLng: b.minLng + 360, maxLng: 180 });
  if (b.maxLng > 180) boxes.push({ ...b, minLng: -180, maxLng: b.maxLng - 360 });
  return boxes;
}

export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Escapes LIKE's wildcards so that a search for "50%" means the characters, not a pattern. */
const likeContains = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The list query. Spatial filters are phrased as `location <@ box(...)` so that the GiST index
 * on `location` finds the candidates; the exact distance is only computed for those.
 */
export function cameraListSql(q: CameraListQuery): SqlQuery {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const box = (b: BoundingBox) =>
    `location <@ box(point(${p(b.minLng)}, ${p(b.minLat)}), point(${p(b.maxLng)}, ${p(b.maxLat)}))`;

  if (q.status !== 'all') where.push(`status = ${p(q.status)}`);
  if (q.kind) where.push(`kind = any(${p(q.kind)}::text[])`);
  if (q.q) {
    const pattern = p(likeContains(q.q));
    where.push(
      `(lower(name) like ${pattern} escape '\\' or lower(address) like ${pattern} escape '\\')`,
    );
  }
  if (q.bbox) where.push(box(q.bbox));

  let select = PUBLIC_CAMERA_COLUMNS;
  let order = 'id';
  if (q.near && q.radius !== undefined) {
    const boxes = boxesAround(q.near, q.radius).map(box);
    where.push(boxes.length === 1 ? boxes[0]! : `(${boxes.join(' or ')})`);
    const distance = distanceSql(p(q.near.lat), p(q.near.lng));
    select = `${PUBLIC_CAMERA_COLUMNS}, ${distance} as distance_m`;
    where.push(`${distance} <= ${p(q.radius)}`);
    order = 'distance_m, id';
  } else if (q.cursor) {
    where.push(`id > ${p(q.cursor)}`);
  }

  const sql = `select ${select} from cameras
    ${where.length ? `where ${where.join(' and ')}` : ''}
    order by ${order} limit ${p(q.limit)}`;
  return { sql, params };
}

type ListRow = CameraRow & { readonly distance_m?: number };

export async function listCameras(db: Queryable, q: CameraListQuery): Promise<CameraListResponse> {
  const { sql, params } = cameraListSql(q);
  const res = await db.query<ListRow>(sql, params);
  const near = q.near !== undefined;
  const items = res.rows.map((r) => {
    const camera = cameraFromRow(r);
    return near ? { ...camera, distanceM: Math.round(Number(r.distance_m) * 100) / 100 } : camera;
  });
  const last = items[items.length - 1];
  return { items, nextCursor: !near && last && items.length === q.limit ? last.id : null };
}
