import { auditBy, actorOfPrincipal } from '../audit/actor';
import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import type { SharingAccess } from '../../shared/domain/sharingPolicy';
import { findCamera } from './cameraRepository';
import type { CameraRow } from './cameraRows';
import { checkCameraCanStream, checkGrantOpen, decideNow, lockOwnGrant } from './grantService';

type Decision<S> =
  | { readonly allowed: true; readonly cameraId: string; readonly resource: S }
  | { readonly allowed: false; readonly cameraId: string; readonly reason: string };

/** What an act under a grant is, and what it needs besides the owner's leave. */
export interface GrantUse<S> {
  /** The grant it rides on, and the 409's sentence for a grant of another kind. */
  readonly grantAccess: SharingAccess;
  readonly wrongGrant: string;
  /** What the owner's policy is asked for now. */
  readonly access: SharingAccess;
  /** The audit row's action and details (the policy's sentence is added to a refusal). */
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** A further check on the open grant, at the transaction's time. */
  readonly check?: (at: Date) => void;
  /** What the act needs of the camera (its PTZ address, its recordings source); a 409 if none. */
  readonly resource: (tx: Queryable, camera: CameraRow) => Promise<S>;
}

/**
 * An act under the caller's own grant (a PTZ step, a stretch of recordings; docs/ptz.md,
 * docs/console.md): the grant must be the caller's, of the right kind and still open, the camera
 * able to give it, and the owner's policy must allow it at this minute, asked again now. Allowed
 * or refused by the policy, the act is one audit row on the camera with the grant (so the reason
 * and case it was viewed under); a refusal is then a 403 with the policy's sentence.
 */
export async function useOwnGrant<S>(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
  use: GrantUse<S>,
): Promise<{ readonly cameraId: string; readonly resource: S }> {
  const { value } = await ctx.record<Decision<S>>({
    apply: async ({ tx, at }) => {
      const grant = await lockOwnGrant(tx, who, grantId);
      if (grant.access !== use.grantAccess) throw new HttpError(409, use.wrongGrant);
      checkGrantOpen(grant, at);
      use.check?.(at);
      const camera = (await findCamera(tx, grant.camera_id))!;
      checkCameraCanStream(camera, use.access);
      const decision = await decideNow(tx, camera, use.access, at);
      if (!decision.allowed)
        return { allowed: false, cameraId: camera.id, reason: decision.reason };
      return { allowed: true, cameraId: camera.id, resource: await use.resource(tx, camera) };
    },
    audit: (v) =>
      auditBy(actorOfPrincipal(who), {
        action: use.action,
        targetType: 'camera',
        targetId: v.cameraId,
        outcome: v.allowed ? 'success' : 'denied',
        details: { grantId, ...use.details, ...(v.allowed ? {} : { policy: v.reason }) },
      }),
    event: null,
  });
  if (!value.allowed) throw new HttpError(403, value.reason);
  return value;
}
