import type { Queryable } from '../store/store';
import type { SharingAccess } from '../../shared/domain/sharingPolicy';
import type { GrantRevokedPayload } from '../../shared/api/cameras';
import { getAgency } from '../agency/agencyRepository';
import { sharingOf, type CameraRow } from './cameraRows';
import { decideAccess } from '../../shared/policy/decideAccess';

export interface OpenGrantRow {
  readonly id: string;
  readonly camera_id: string;
  readonly user_id: string;
  readonly access: SharingAccess;
}

/** Grants of a camera that are neither revoked nor lapsed at `at`. */
export async function openGrantsOfCamera(
  tx: Queryable,
  cameraId: string,
  at: Date,
): Promise<OpenGrantRow[]> {
  const res = await tx.query<OpenGrantRow>(
    `select id, camera_id, user_id, access from camera_grants
     where camera_id = $1 and revoked_at is null and expires_at > $2
     order by issued_at, id`,
    [cameraId, at.toISOString()],
  );
  return res.rows;
}

/**
 * Revokes one grant if nobody has yet; returns what the `grant.revoked` event says, or null if
 * the grant had already ended.
 */
export async function revokeGrant(
  tx: Queryable,
  at: Date,
  grantId: string,
  reason: string,
): Promise<GrantRevokedPayload | null> {
  const res = await tx.query<{ id: string; camera_id: string; user_id: string }>(
    `update camera_grants set revoked_at = $2, revoke_reason = $3
     where id = $1 and revoked_at is null
     returning id, camera_id, user_id`,
    [grantId, at.toISOString(), reason],
  );
  const r = res.rows[0];
  return r ? { grantId: r.id, cameraId: r.camera_id, userId: r.user_id, reason } : null;
}

/**
 * Revokes grants as part of a larger change to their camera (consent withdrawn, camera retired,
 * alarm lowered), in that change's transaction. The change publishes a `grant.revoked` event for
 * each payload returned (revocationEvents), so each viewer's console stops its stream and says
 * why, committed with the change itself.
 */
async function revokeEach(
  tx: Queryable,
  at: Date,
  revocations: readonly { readonly grantId: string; readonly reason: string }[],
): Promise<GrantRevokedPayload[]> {
  const revoked: GrantRevokedPayload[] = [];
  for (const { grantId, reason } of revocations) {
    const payload = await revokeGrant(tx, at, grantId, reason);
    if (payload) revoked.push(payload);
  }
  return revoked;
}

/** The events a change publishes for the grants it revoked. */
export function revocationEvents(revoked: readonly GrantRevokedPayload[]) {
  return revoked.map((payload) => ({ type: 'grant.revoked' as const, payload }));
}

/** After a camera's policy or alarm changed: revokes the grants the policy no longer allows. */
export async function revokeGrantsNoLongerAllowed(
  tx: Queryable,
  at: Date,
  camera: CameraRow,
): Promise<GrantRevokedPayload[]> {
  const open = await openGrantsOfCamera(tx, camera.id, at);
  if (open.length === 0) return [];
  const { timeZone } = await getAgency(tx);
  const subject = {
    kind: camera.kind,
    sharing: sharingOf(camera),
    alarmActive: camera.alarm_active,
  };
  const revocations = open.flatMap((g) => {
    const decision = decideAccess(subject, g.access, at.getTime(), timeZone);
    return decision.allowed ? [] : [{ grantId: g.id, reason: decision.reason }];
  });
  return revokeEach(tx, at, revocations);
}

/** Revokes every open grant of a camera, for one reason (the camera was retired). */
export async function revokeAllGrantsOfCamera(
  tx: Queryable,
  at: Date,
  cameraId: string,
  reason: string,
): Promise<GrantRevokedPayload[]> {
  const open = await openGrantsOfCamera(tx, cameraId, at);
  return revokeEach(
    tx,
    at,
    open.map((g) => ({ grantId: g.id, reason })),
  );
}
