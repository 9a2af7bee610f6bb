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
    // Rounded to the centimetre before ordering, so that every form of the list sorts alike.
    select = `${PUBLIC_CAMERA_COLUMNS}, round(${distance}::numeric, 2) as distance_m`;
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

type ListRow = CameraRow & { readonly distance_m?: number | string };

/** The list as objects, for callers inside the server (benchmarks, tests). */
export async function listCameras(db: Queryable, q: CameraListQuery): Promise<CameraListResponse> {
  const { sql, params } = cameraListSql(q);
  const res = await db.query<ListRow>(sql, params);
  const near = q.near !== undefined;
  const items = res.rows.map((r) => {
    const camera = cameraFromRow(r);
    return near ? { ...camera, distanceM: Number(r.distance_m) } : camera;
  });
  const last = items[items.length - 1];
  return { items, nextCursor: !near && last && items.length === q.limit ? last.id : null };
}

const isoSql = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A public camera's fields under their JSON names: the same as cameraFromRow (a test holds the
 * two together). Selected as a row so that json_agg writes compact JSON.
 */
const CAMERA_JSON_COLUMNS = `id, kind, status, name, lat, lng, address, notes,
  retention_days as "retentionDays", has_owner_contact as "hasOwnerContact", sharing,
  alarm_active as "alarmActive", ptz, has_substream as "hasSubstream",
  has_recordings as "hasRecordings", bearing_deg as "bearingDeg", fov_deg as "fovDeg", range_m as "rangeM",
  ${isoSql('created_at')} as "createdAt", ${isoSql('updated_at')} as "updatedAt"`;

/** The list query wrapped so that the database returns the items as one JSON array. */
export function cameraListJsonSql(q: CameraListQuery): SqlQuery {
  const { sql, params } = cameraListSql(q);
  const near = q.near !== undefined;
  const columns = near ? `${CAMERA_JSON_COLUMNS}, distance_m as "distanceM"` : CAMERA_JSON_COLUMNS;
  return {
    sql: `select json_agg(j order by ${near ? 'j."distanceM", j.id' : 'j.id'})::text as items,
        count(*)::int as n, max(j.id) as last_id
      from (select ${columns} from (${sql}) c) j`,
    params,
  };
}

/**
 * The list as the JSON text of a CameraListResponse, built by the database in one value. The
 * map asks for every camera at once; handing back one string instead of 100,000 rows of 16
 * fields costs a third of the CPU on embedded PGlite, and nothing is left to do per row here.
 */
export async function listCamerasJson(db: Queryable, q: CameraListQuery): Promise<string> {
  const { sql, params } = cameraListJsonSql(q);
  const res = await db.query<{ items: string | null; n: number; last_id: string | null }>(
    sql,
    params,
  );
  const row = res.rows[0]!;
  const nextCursor = q.near === undefined && Number(row.n) === q.limit ? row.last_id : null;
  return `{"items":${row.items ?? '[]'},"nextCursor":${JSON.stringify(nextCursor)}}`;
}
