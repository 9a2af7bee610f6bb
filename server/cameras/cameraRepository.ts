import type { Queryable } from '../store/store';
import type {
  NewCamera,
  OwnerContact,
  RecordingsSource,
  SourceDescriptor,
} from '../../shared/domain/cameras';
import { PUBLIC_CAMERA_COLUMNS, type CameraRow } from './cameraRows';
import type { CameraSecrets } from './cameraSecrets';
import {
  openLiveSource,
  openRecordingsSource,
  storeLiveSource,
  storeRecordingsSource,
  type SourceRow,
} from './sourceSealing';

/** Rows per insert statement: large imports go in slices so no one statement gets huge. */
const INSERT_SLICE = 2000;

export interface CameraToInsert {
  readonly id: string;
  readonly camera: NewCamera;
}

const ownerOf = (c: NewCamera): OwnerContact | undefined => ('owner' in c ? c.owner : undefined);
const sourceOf = (c: NewCamera): SourceDescriptor | undefined =>
  'source' in c ? c.source : undefined;
const recordingsOf = (c: NewCamera): RecordingsSource | undefined =>
  'recordings' in c ? c.recordings : undefined;

/**
 * Inserts cameras with their owner contacts and sources, credentials sealed with `secrets`. Rows
 * travel as one JSON document per slice (jsonb_to_recordset), which both drivers pass the same
 * way, nulls and quotes included.
 */
export async function insertCameras(
  tx: Queryable,
  at: Date,
  items: readonly CameraToInsert[],
  secrets: CameraSecrets,
): Promise<void> {
  for (let i = 0; i < items.length; i += INSERT_SLICE) {
    const slice = items.slice(i, i + INSERT_SLICE);
    const cameras = slice.map(({ id, camera: c }) => {
      const source = sourceOf(c);
      return {
        id,
        kind: c.kind,
        name: c.name,
        lat: c.lat,
        lng: c.lng,
        address: c.address ?? null,
        notes: c.notes ?? null,
        retention_days: c.kind === 'registered' ? (c.retentionDays ?? null) : null,
        sharing: c.kind === 'integrated' ? c.sharing : null,
        has_owner_contact: ownerOf(c) !== undefined,
        ptz: source?.ptz ?? false,
        has_substream: source?.substreamUrl !== undefined,
        has_recordings: recordingsOf(c) !== undefined,
        bearing_deg: c.bearingDeg ?? null,
        fov_deg: c.fovDeg ?? null,
        range_m: c.rangeM ?? null,
      };
    });
    await tx.query(
      `insert into cameras (id, kind, name, lat, lng, address, notes, retention_days, sharing,
         has_owner_contact, ptz, has_substream, has_recordings, bearing_deg, fov_deg, range_m,
         created_at, updated_at)
       select x.id, x.kind, x.name, x.lat, x.lng, x.address, x.notes, x.retention_days, x.sharing,
         x.has_owner_contact, x.ptz, x.has_substream, x.has_recordings, x.bearing_deg, x.fov_deg,
         x.range_m, $2, $2
       from jsonb_to_recordset($1::jsonb) as x(id text, kind text, name text, lat float8,
         lng float8, address text, notes text, retention_days int, sharing jsonb,
         has_owner_contact boolean, ptz boolean, has_substream boolean, has_recordings boolean,
         bearing_deg float8, fov_deg float8, range_m float8)`,
      [JSON.stringify(cameras), at.toISOString()],
    );
    const owners = slice.flatMap(({ id, camera }) => {
      const o = ownerOf(camera);
      return o
        ? [{ camera_id: id, name: o.name, phone: o.phone ?? null, email: o.email ?? null }]
        : [];
    });
    if (owners.length > 0) {
      await tx.query(
        `insert into camera_owner_contacts (camera_id, name, phone, email, updated_at)
         select x.camera_id, x.name, x.phone, x.email, $2
         from jsonb_to_recordset($1::jsonb) as x(camera_id text, name text, phone text, email text)`,
        [JSON.stringify(owners), at.toISOString()],
      );
    }
    const sources = slice.flatMap(({ id, camera }) => {
      const s = sourceOf(camera);
      return s ? [{ camera_id: id, ...storeLiveSource(secrets, id, s) }] : [];
    });
    if (sources.length > 0) {
      await tx.query(
        `insert into camera_sources (camera_id, descriptor, sealed, updated_at)
         select x.camera_id, x.descriptor, x.sealed, $2
         from jsonb_to_recordset($1::jsonb) as x(camera_id text, descriptor jsonb, sealed text)`,
        [JSON.stringify(sources), at.toISOString()],
      );
    }
    const recordings = slice.flatMap(({ id, camera }) => {
      const r = recordingsOf(camera);
      return r ? [{ camera_id: id, ...storeRecordingsSource(secrets, id, r) }] : [];
    });
    if (recordings.length > 0) {
      await tx.query(
        `insert into camera_recording_sources (camera_id, descriptor, sealed, updated_at)
         select x.camera_id, x.descriptor, x.sealed, $2
         from jsonb_to_recordset($1::jsonb) as x(camera_id text, descriptor jsonb, sealed text)`,
        [JSON.stringify(recordings), at.toISOString()],
      );
    }
  }
}

export async function findCamera(db: Queryable, id: string): Promise<CameraRow | null> {
  const res = await db.query<CameraRow>(
    `select ${PUBLIC_CAMERA_COLUMNS} from cameras where id = $1`,
    [id],
  );
  return res.rows[0] ?? null;
}

/** Reads a camera and holds its row until the transaction ends, so changes to it take turns. */
export async function lockCamera(tx: Queryable, id: string): Promise<CameraRow | null> {
  const res = await tx.query<CameraRow>(
    `select ${PUBLIC_CAMERA_COLUMNS} from cameras where id = $1 for update`,
    [id],
  );
  return res.rows[0] ?? null;
}

/** The confidential contact: only the audited reveal and the owner's own edits read it. */
export async function findOwnerContact(
  db: Queryable,
  cameraId: string,
): Promise<OwnerContact | null> {
  const res = await db.query<{ name: string; phone: string | null; email: string | null }>(
    'select name, phone, email from camera_owner_contacts where camera_id = $1',
    [cameraId],
  );
  const r = res.rows[0];
  if (!r) return null;
  return {
    name: r.name,
    ...(r.phone ? { phone: r.phone } : {}),
    ...(r.email ? { email: r.email } : {}),
  };
}

export async function setOwnerContact(
  tx: Queryable,
  at: Date,
  cameraId: string,
  owner: OwnerContact | null,
): Promise<void> {
  if (owner === null) {
    await tx.query('delete from camera_owner_contacts where camera_id = $1', [cameraId]);
  } else {
    await tx.query(
      `insert into camera_owner_contacts (camera_id, name, phone, email, updated_at)
       values ($1, $2, $3, $4, $5)
       on conflict (camera_id) do update set name = excluded.name, phone = excluded.phone,
         email = excluded.email, updated_at = excluded.updated_at`,
      [cameraId, owner.name, owner.phone ?? null, owner.email ?? null, at.toISOString()],
    );
  }
  await tx.query('update cameras set has_owner_contact = $2 where id = $1', [
    cameraId,
    owner !== null,
  ]);
}

/** A live source as stored: the redacted descriptor and the sealed whole. */
export async function findStoredSource(db: Queryable, cameraId: string): Promise<SourceRow | null> {
  const res = await db.query<SourceRow>(
    'select descriptor, sealed from camera_sources where camera_id = $1',
    [cameraId],
  );
  return res.rows[0] ?? null;
}

/** A recordings source as stored: the redacted descriptor and the sealed whole. */
export async function findStoredRecordingsSource(
  db: Queryable,
  cameraId: string,
): Promise<SourceRow | null> {
  const res = await db.query<SourceRow>(
    'select descriptor, sealed from camera_recording_sources where camera_id = $1',
    [cameraId],
  );
  return res.rows[0] ?? null;
}

/** Credentials included: only a stream grant and the source test read this. */
export async function findSource(
  db: Queryable,
  secrets: CameraSecrets,
  cameraId: string,
): Promise<SourceDescriptor | null> {
  const row = await findStoredSource(db, cameraId);
  return row ? openLiveSource(secrets, cameraId, row) : null;
}

export async function setSource(
  tx: Queryable,
  at: Date,
  cameraId: string,
  source: SourceDescriptor,
  secrets: CameraSecrets,
): Promise<void> {
  const stored = storeLiveSource(secrets, cameraId, source);
  await tx.query(
    `insert into camera_sources (camera_id, descriptor, sealed, updated_at) values ($1, $2, $3, $4)
     on conflict (camera_id) do update set descriptor = excluded.descriptor,
       sealed = excluded.sealed, updated_at = excluded.updated_at`,
    [cameraId, JSON.stringify(stored.descriptor), stored.sealed, at.toISOString()],
  );
  await tx.query('update cameras set ptz = $2, has_substream = $3 where id = $1', [
    cameraId,
    source.ptz,
    source.substreamUrl !== undefined,
  ]);
}

/** Credentials included: only the server's own recordings fetch and its test read this. */
export async function findRecordingsSource(
  db: Queryable,
  secrets: CameraSecrets,
  cameraId: string,
): Promise<RecordingsSource | null> {
  const row = await findStoredRecordingsSource(db, cameraId);
  return row ? openRecordingsSource(secrets, cameraId, row) : null;
}

/** Replaces a camera's recordings source; null removes it. */
export async function setRecordingsSource(
  tx: Queryable,
  at: Date,
  cameraId: string,
  recordings: RecordingsSource | null,
  secrets: CameraSecrets,
): Promise<void> {
  if (recordings === null) {
    await tx.query('delete from camera_recording_sources where camera_id = $1', [cameraId]);
  } else {
    const stored = storeRecordingsSource(secrets, cameraId, recordings);
    await tx.query(
      `insert into camera_recording_sources (camera_id, descriptor, sealed, updated_at)
       values ($1, $2, $3, $4)
       on conflict (camera_id) do update set descriptor = excluded.descriptor,
         sealed = excluded.sealed, updated_at = excluded.updated_at`,
      [cameraId, JSON.stringify(stored.descriptor), stored.sealed, at.toISOString()],
    );
  }
  await tx.query('update cameras set has_recordings = $2 where id = $1', [
    cameraId,
    recordings !== null,
  ]);
}
