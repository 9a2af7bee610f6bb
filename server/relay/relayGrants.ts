import type { Queryable } from '../store/store';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import type { CameraSecrets } from '../cameras/cameraSecrets';
import { openLiveSource } from '../cameras/sourceSealing';

/** A grant as the relay sees it: whose camera, how to reach it, and whether it still holds. */
export interface RelayGrant {
  readonly grantId: string;
  readonly cameraId: string;
  readonly source: SourceDescriptor;
  /** Why the grant no longer opens anything, or null while it is live. */
  readonly ended: string | null;
}

interface Row {
  readonly id: string;
  readonly camera_id: string;
  readonly expires_at: Date | string;
  readonly revoked_at: Date | string | null;
  readonly revoke_reason: string | null;
  readonly descriptor: unknown;
  readonly sealed: string | null;
}

/** The grant a relay token belongs to, or null for a token nobody was given. */
export async function findRelayGrant(
  db: Queryable,
  secrets: CameraSecrets,
  tokenSha256: string,
  now: number,
): Promise<RelayGrant | null> {
  const res = await db.query<Row>(
    `select g.id, g.camera_id, g.expires_at, g.revoked_at, g.revoke_reason, s.descriptor, s.sealed
     from camera_grants g join camera_sources s on s.camera_id = g.camera_id
     where g.relay_token_sha256 = $1`,
    [tokenSha256],
  );
  const r = res.rows[0];
  if (!r) return null;
  const ended =
    r.revoked_at !== null
      ? `the grant has ended: ${r.revoke_reason ?? 'ended'}`
      : new Date(r.expires_at).getTime() <= now
        ? 'the grant has expired'
        : null;
  return {
    grantId: r.id,
    cameraId: r.camera_id,
    source: openLiveSource(secrets, r.camera_id, r),
    ended,
  };
}

/** Of these grants, the ones still live at `now` (neither revoked nor lapsed). */
export async function liveGrantIds(
  db: Queryable,
  grantIds: readonly string[],
  now: number,
): Promise<ReadonlySet<string>> {
  if (grantIds.length === 0) return new Set();
  const res = await db.query<{ id: string }>(
    `select id from camera_grants
     where id = any($1) and revoked_at is null and expires_at > $2`,
    [grantIds, new Date(now).toISOString()],
  );
  return new Set(res.rows.map((r) => r.id));
}
