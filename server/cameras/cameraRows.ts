import type { Camera, CameraKind, CameraStatus } from '../../shared/domain/cameras';
import type { SharingPolicy } from '../../shared/domain/sharingPolicy';

/**
 * The columns of `cameras` that anyone who may read cameras sees. The table holds nothing else
 * of note, but every read names its columns so that a column added later is not published by
 * accident.
 */
export const PUBLIC_CAMERA_COLUMNS = `id, kind, status, name, lat, lng, address, notes,
  retention_days, sharing, alarm_active, has_owner_contact, ptz, has_substream, has_recordings,
  bearing_deg, fov_deg, range_m, created_at, updated_at`;

export interface CameraRow {
  readonly id: string;
  readonly kind: CameraKind;
  readonly status: CameraStatus;
  readonly name: string;
  readonly lat: number;
  readonly lng: number;
  readonly address: string | null;
  readonly notes: string | null;
  readonly retention_days: number | null;
  readonly sharing: SharingPolicy | string | null;
  readonly alarm_active: boolean;
  readonly has_owner_contact: boolean;
  readonly ptz: boolean;
  readonly has_substream: boolean;
  readonly has_recordings: boolean;
  readonly bearing_deg: number | null;
  readonly fov_deg: number | null;
  readonly range_m: number | null;
  readonly created_at: Date | string;
  readonly updated_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

/** Both drivers hand jsonb back parsed; a string only appears if a driver is set up otherwise. */
export function sharingOf(row: Pick<CameraRow, 'sharing'>): SharingPolicy | null {
  if (row.sharing === null) return null;
  return typeof row.sharing === 'string' ? (JSON.parse(row.sharing) as SharingPolicy) : row.sharing;
}

/** The public camera. Kept to plain field copies: the map's 100,000-camera list runs it per row. */
export function cameraFromRow(r: CameraRow): Camera {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    name: r.name,
    lat: r.lat,
    lng: r.lng,
    address: r.address,
    notes: r.notes,
    retentionDays: r.retention_days,
    hasOwnerContact: r.has_owner_contact,
    sharing: sharingOf(r),
    alarmActive: r.alarm_active,
    ptz: r.ptz,
    hasSubstream: r.has_substream,
    hasRecordings: r.has_recordings,
    bearingDeg: r.bearing_deg === null ? null : Number(r.bearing_deg),
    fovDeg: r.fov_deg === null ? null : Number(r.fov_deg),
    rangeM: r.range_m === null ? null : Number(r.range_m),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
