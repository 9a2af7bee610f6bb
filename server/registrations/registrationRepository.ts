import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/store';
import type { OwnerKind, RegisteredCameraInput } from '../../shared/domain/portal';
import type { RegistrationCamera, RegistrationSummary } from '../../shared/api/registrations';
import { distanceMeters } from '../../shared/geo';

/** The registration links' purposes: confirm a new registration, or manage a confirmed one. */
export type LinkPurpose = 'confirm' | 'manage';

/** A new link token (sent by email, never stored) and the hash that is stored. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RegistrationRow {
  readonly id: string;
  readonly state: 'pending' | 'confirmed' | 'withdrawn';
  readonly owner_kind: OwnerKind;
  readonly owner_name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly submitted: RegisteredCameraInput[] | string | null;
  readonly created_at: string | Date;
  readonly confirmed_at: string | Date | null;
  readonly withdrawn_at: string | Date | null;
}

export const submittedCameras = (r: RegistrationRow): RegisteredCameraInput[] =>
  r.submitted === null
    ? []
    : typeof r.submitted === 'string'
      ? (JSON.parse(r.submitted) as RegisteredCameraInput[])
      : r.submitted;

const iso = (v: string | Date) => new Date(v).toISOString();

export async function insertRegistration(
  tx: Queryable,
  at: Date,
  r: {
    id: string;
    ownerKind: OwnerKind;
    name: string;
    email: string;
    phone: string;
    cameras: readonly RegisteredCameraInput[];
  },
): Promise<void> {
  await tx.query(
    `insert into camera_registrations (id, state, owner_kind, owner_name, email, phone, submitted,
       created_at, updated_at)
     values ($1, 'pending', $2, $3, $4, $5, $6::jsonb, $7, $7)`,
    [r.id, r.ownerKind, r.name, r.email, r.phone, JSON.stringify(r.cameras), at.toISOString()],
  );
}

export async function insertLink(
  tx: Queryable,
  at: Date,
  registrationId: string,
  purpose: LinkPurpose,
  hash: string,
  expiresAt: Date,
): Promise<void> {
  await tx.query(
    `insert into registration_links (token_hash, registration_id, purpose, created_at, expires_at)
     values ($1, $2, $3, $4, $5)`,
    [hash, registrationId, purpose, at.toISOString(), expiresAt.toISOString()],
  );
}

/**
 * The registration a link opens, locked until the transaction ends (an owner's double click
 * confirms once); null when the token is unknown, for another purpose or expired.
 */
export async function lockByLink(
  tx: Queryable,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<RegistrationRow | null> {
  const res = await tx.query<RegistrationRow>(
    `select r.* from registration_links l join camera_registrations r on r.id = l.registration_id
     where l.token_hash = $1 and l.purpose = $2 and l.expires_at > $3
     for update of r`,
    [hashLinkToken(token), purpose, now.toISOString()],
  );
  return res.rows[0] ?? null;
}

/** Reads without locking: what a link's page shows before anything is posted. */
export async function findByLink(
  db: Queryable,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<RegistrationRow | null> {
  const res = await db.query<RegistrationRow>(
    `select r.* from registration_links l join camera_registrations r on r.id = l.registration_id
     where l.token_hash = $1 and l.purpose = $2 and l.expires_at > $3`,
    [hashLinkToken(token), purpose, now.toISOString()],
  );
  return res.rows[0] ?? null;
}

export async function deleteLinks(
  tx: Queryable,
  registrationId: string,
  purpose?: LinkPurpose,
): Promise<void> {
  await tx.query(
    `delete from registration_links where registration_id = $1 and ($2::text is null or purpose = $2)`,
    [registrationId, purpose ?? null],
  );
}

/** Confirmed registrations of an address (to send them a fresh link to manage them). */
export async function confirmedByEmail(db: Queryable, email: string): Promise<string[]> {
  const res = await db.query<{ id: string }>(
    `select id from camera_registrations where state = 'confirmed' and lower(email) = lower($1)
     order by confirmed_at limit 20`,
    [email],
  );
  return res.rows.map((r) => r.id);
}

/**
 * Pending registrations whose confirmation lapsed, deleted with their links: what a person
 * submitted and never confirmed is not kept.
 */
export async function deleteUnconfirmed(db: Queryable, createdBefore: Date): Promise<number> {
  const res = await db.query(
    `delete from camera_registrations where state = 'pending' and created_at < $1`,
    [createdBefore.toISOString()],
  );
  return res.rowCount;
}

/** A registered camera already in the registry that looks like the same one. */
export interface LookAlike {
  readonly cameraId: string;
  readonly name: string;
  readonly distanceM: number;
}

/** How near two cameras of the same owner must be to be taken for the same camera. */
export const LOOK_ALIKE_RADIUS_M = 25;

const digits = (s: string | null) => (s ?? '').replace(/\D/g, '');

/**
 * The nearest active registered camera within LOOK_ALIKE_RADIUS_M whose owner has the same
 * email, phone number or name (case and punctuation aside), excluding `except`.
 */
export async function findLookAlike(
  db: Queryable,
  at: { lat: number; lng: number },
  owner: { name: string; email: string; phone: string },
  except: readonly string[],
): Promise<LookAlike | null> {
  // A box a little larger than the radius, then the exact distance.
  const dLat = (LOOK_ALIKE_RADIUS_M * 1.5) / 111_320;
  const dLng = dLat / Math.max(0.01, Math.cos((at.lat * Math.PI) / 180));
  const res = await db.query<{
    id: string;
    name: string;
    lat: number;
    lng: number;
    owner_name: string;
    email: string | null;
    phone: string | null;
  }>(
    `select c.id, c.name, c.lat, c.lng, o.name as owner_name, o.email, o.phone
     from cameras c join camera_owner_contacts o on o.camera_id = c.id
     where c.kind = 'registered' and c.status = 'active'
       and c.lat between $1 and $2 and c.lng between $3 and $4
       and not (c.id = any($5::text[]))`,
    [at.lat - dLat, at.lat + dLat, at.lng - dLng, at.lng + dLng, except],
  );
  let best: LookAlike | null = null;
  for (const r of res.rows) {
    const sameOwner =
      (r.email !== null && r.email.toLowerCase() === owner.email.toLowerCase()) ||
      (digits(r.phone).length >= 7 && digits(r.phone) === digits(owner.phone)) ||
      r.owner_name.trim().toLowerCase() === owner.name.trim().toLowerCase();
    const d = distanceMeters(at, { lat: Number(r.lat), lng: Number(r.lng) });
    if (sameOwner && d <= LOOK_ALIKE_RADIUS_M && (best === null || d < best.distanceM)) {
      best = { cameraId: r.id, name: r.name, distanceM: Math.round(d * 10) / 10 };
    }
  }
  return best;
}

export async function insertRegistrationCamera(
  tx: Queryable,
  registrationId: string,
  cameraId: string,
  n: number,
  duplicateOf: string | null,
): Promise<void> {
  await tx.query(
    `insert into registration_cameras (registration_id, camera_id, n, duplicate_of)
     values ($1, $2, $3, $4)`,
    [registrationId, cameraId, n, duplicateOf],
  );
}

/** The active cameras of a registration, in the owner's order. */
export async function activeCameraIds(tx: Queryable, registrationId: string): Promise<string[]> {
  const res = await tx.query<{ camera_id: string }>(
    `select rc.camera_id from registration_cameras rc join cameras c on c.id = rc.camera_id
     where rc.registration_id = $1 and c.status = 'active' order by rc.n`,
    [registrationId],
  );
  return res.rows.map((r) => r.camera_id);
}

interface SummaryRow {
  id: string;
  state: 'confirmed' | 'withdrawn';
  owner_kind: OwnerKind;
  confirmed_at: string | Date;
  withdrawn_at: string | Date | null;
  cameras: RegistrationCameraJson[] | string;
}

interface RegistrationCameraJson {
  cameraId: string;
  name: string;
  lat: number;
  lng: number;
  status: 'active' | 'retired';
  dupId: string | null;
  dupName: string | null;
  dupLat: number | null;
  dupLng: number | null;
  resolution: 'merged' | 'distinct' | null;
}

const SUMMARY_SELECT = `
  select r.id, r.state, r.owner_kind, r.confirmed_at, r.withdrawn_at,
    coalesce((select jsonb_agg(jsonb_build_object(
        'cameraId', c.id, 'name', c.name, 'lat', c.lat, 'lng', c.lng, 'status', c.status,
        'dupId', d.id, 'dupName', d.name, 'dupLat', d.lat, 'dupLng', d.lng,
        'resolution', rc.duplicate_resolution) order by rc.n)
      from registration_cameras rc join cameras c on c.id = rc.camera_id
      left join cameras d on d.id = rc.duplicate_of
      where rc.registration_id = r.id), '[]'::jsonb) as cameras
  from camera_registrations r`;

function summaryOf(row: SummaryRow): RegistrationSummary {
  const cams = (
    typeof row.cameras === 'string' ? JSON.parse(row.cameras) : row.cameras
  ) as RegistrationCameraJson[];
  const cameras: RegistrationCamera[] = cams.map((c) => ({
    cameraId: c.cameraId,
    name: c.name,
    lat: c.lat,
    lng: c.lng,
    status: c.status,
    duplicateOf:
      c.dupId === null
        ? null
        : {
            cameraId: c.dupId,
            name: c.dupName ?? '',
            distanceM:
              Math.round(
                distanceMeters(c, { lat: c.dupLat ?? c.lat, lng: c.dupLng ?? c.lng }) * 10,
              ) / 10,
          },
    resolution: c.resolution,
  }));
  return {
    id: row.id,
    state: row.state,
    ownerKind: row.owner_kind,
    confirmedAt: iso(row.confirmed_at),
    withdrawnAt: row.withdrawn_at === null ? null : iso(row.withdrawn_at),
    cameras,
    openDuplicates: cameras.filter(
      (c) => c.duplicateOf !== null && c.resolution === null && c.status === 'active',
    ).length,
  };
}

/** One registration as the console sees it (null for a pending or unknown one). */
export async function registrationSummary(
  db: Queryable,
  id: string,
): Promise<RegistrationSummary | null> {
  const res = await db.query<SummaryRow>(
    `${SUMMARY_SELECT} where r.id = $1 and r.state <> 'pending'`,
    [id],
  );
  return res.rows[0] ? summaryOf(res.rows[0]) : null;
}

export async function listRegistrations(
  db: Queryable,
  opts: { duplicates: 'open' | 'all'; limit: number },
): Promise<RegistrationSummary[]> {
  const res = await db.query<SummaryRow>(
    `${SUMMARY_SELECT}
     where r.state <> 'pending' and ($1 = 'all' or exists (
       select 1 from registration_cameras rc join cameras c on c.id = rc.camera_id
       where rc.registration_id = r.id and rc.duplicate_of is not null
         and rc.duplicate_resolution is null and c.status = 'active'))
     order by r.confirmed_at desc, r.id limit $2`,
    [opts.duplicates, opts.limit],
  );
  return res.rows.map(summaryOf);
}
