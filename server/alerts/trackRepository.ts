import type { Queryable } from '../store/store';
import type { Track, TrackPoint } from '../../shared/domain/alerts';

/** The only code that reads or writes tracks, and where a moving camera points. */

export interface NewTrackPoint {
  readonly subject: string;
  readonly at: string;
  readonly lat: number;
  readonly lng: number;
  readonly heading: number | null;
}

/** Keeps the points not already kept; answers those that are new. */
export async function insertTrackPoints(
  tx: Queryable,
  integrationId: string,
  points: readonly NewTrackPoint[],
  receivedAt: Date,
): Promise<NewTrackPoint[]> {
  if (points.length === 0) return [];
  const res = await tx.query<{ subject: string; at: Date | string }>(
    `insert into track_points (integration_id, subject, at, lat, lng, heading, received_at)
     select $1, x.subject, x.at, x.lat, x.lng, x.heading, $3
     from jsonb_to_recordset($2::jsonb) as x(subject text, at timestamptz, lat float8, lng float8,
       heading float8)
     on conflict (integration_id, subject, at) do nothing
     returning subject, at`,
    [integrationId, JSON.stringify(points), receivedAt.toISOString()],
  );
  const added = new Set(res.rows.map((r) => `${r.subject}\n${new Date(r.at).toISOString()}`));
  return points.filter((p) => added.has(`${p.subject}\n${p.at}`));
}

export interface SubjectState {
  readonly subject: string;
  readonly cameraId: string | null;
  readonly lastAt: string;
  readonly lastLat: number;
  readonly lastLng: number;
  readonly zonesInside: readonly string[];
}

/** The subjects' latest known state, locked until the transaction ends. */
export async function subjectsForUpdate(
  tx: Queryable,
  integrationId: string,
  subjects: readonly string[],
): Promise<Map<string, SubjectState>> {
  const res = await tx.query<{
    subject: string;
    camera_id: string | null;
    last_at: Date | string;
    last_lat: number;
    last_lng: number;
    zones_inside: unknown;
  }>(
    `select subject, camera_id, last_at, last_lat, last_lng, zones_inside from track_subjects
     where integration_id = $1 and subject = any($2::text[])
     order by subject for update`,
    [integrationId, subjects],
  );
  return new Map(
    res.rows.map((r) => [
      r.subject,
      {
        subject: r.subject,
        cameraId: r.camera_id,
        lastAt: new Date(r.last_at).toISOString(),
        lastLat: Number(r.last_lat),
        lastLng: Number(r.last_lng),
        zonesInside: (typeof r.zones_inside === 'string'
          ? JSON.parse(r.zones_inside)
          : r.zones_inside) as string[],
      },
    ]),
  );
}

export async function saveSubject(
  tx: Queryable,
  integrationId: string,
  s: SubjectState,
): Promise<void> {
  await tx.query(
    `insert into track_subjects (integration_id, subject, camera_id, last_at, last_lat, last_lng,
       zones_inside)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)
     on conflict (integration_id, subject) do update set camera_id = excluded.camera_id,
       last_at = excluded.last_at, last_lat = excluded.last_lat, last_lng = excluded.last_lng,
       zones_inside = excluded.zones_inside`,
    [
      integrationId,
      s.subject,
      s.cameraId,
      s.lastAt,
      s.lastLat,
      s.lastLng,
      JSON.stringify(s.zonesInside),
    ],
  );
}

/** The ids among these that name cameras in service (a drone is a camera that moves). */
export async function activeCameraIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const res = await db.query<{ id: string }>(
    `select id from cameras where id = any($1::text[]) and status = 'active'`,
    [ids],
  );
  return new Set(res.rows.map((r) => r.id));
}

/** Moves a camera to where it reported itself, pointing where it said. */
export async function moveCamera(
  tx: Queryable,
  cameraId: string,
  p: { lat: number; lng: number; heading: number | null; at: Date },
): Promise<void> {
  await tx.query('update cameras set lat = $2, lng = $3, updated_at = $4 where id = $1', [
    cameraId,
    p.lat,
    p.lng,
    p.at.toISOString(),
  ]);
  await tx.query(
    `insert into camera_headings (camera_id, heading, at) values ($1, $2, $3)
     on conflict (camera_id) do update set heading = excluded.heading, at = excluded.at`,
    [cameraId, p.heading, p.at.toISOString()],
  );
}

/** Every subject with points since a time, its points oldest first (the last 500 of each). */
export async function listTracks(db: Queryable, since: Date): Promise<Track[]> {
  const res = await db.query<{
    integration_id: string;
    integration_name: string;
    subject: string;
    camera_id: string | null;
    at: Date | string;
    lat: number;
    lng: number;
    heading: number | null;
  }>(
    `select p.integration_id, i.name as integration_name, p.subject, s.camera_id, p.at, p.lat,
       p.lng, p.heading
     from (
       select *, row_number() over (partition by integration_id, subject order by at desc) as k
       from track_points where at >= $1
     ) p
     join integrations i on i.id = p.integration_id
     left join track_subjects s on s.integration_id = p.integration_id and s.subject = p.subject
     where p.k <= 500
     order by p.integration_id, p.subject, p.at`,
    [since.toISOString()],
  );
  const tracks = new Map<string, Track & { points: TrackPoint[] }>();
  for (const r of res.rows) {
    const key = `${r.integration_id}\n${r.subject}`;
    let track = tracks.get(key);
    if (!track) {
      track = {
        subject: r.subject,
        cameraId: r.camera_id,
        source: { integrationId: r.integration_id, name: r.integration_name },
        points: [],
      };
      tracks.set(key, track);
    }
    track.points.push({
      at: new Date(r.at).toISOString(),
      lat: Number(r.lat),
      lon: Number(r.lng),
      heading: r.heading === null ? null : Number(r.heading),
    });
  }
  return [...tracks.values()];
}
