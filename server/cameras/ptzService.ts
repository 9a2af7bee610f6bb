import { auditBy, actorOfPrincipal } from '../audit/actor';
import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { PtzCommand, PtzResult } from '../../shared/api/cameras';
import type { SourceDescriptor } from '../../shared/domain/cameras';
import { findCamera, findSource } from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';
import { checkCameraCanStream, checkGrantOpen, decideNow, lockOwnGrant } from './grantService';
import { PtzSendError, sendPtzCommand } from './ptzControl';

type Decision =
  | { readonly allowed: true; readonly cameraId: string; readonly source: SourceDescriptor }
  | { readonly allowed: false; readonly cameraId: string; readonly reason: string };

/**
 * Steers a PTZ camera one step (docs/ptz.md). The route's guard has checked `streams.ptz`; here
 * the command must ride on the caller's own live grant, still open, on a camera that has PTZ, and
 * the owner's policy must allow PTZ at this minute. Every command, sent or refused by the policy,
 * is in the audit trail with the grant (and so the reason) it was given under.
 */
export async function steerCamera(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
  command: PtzCommand,
): Promise<PtzResult> {
  const { value } = await ctx.record<Decision>({
    apply: async ({ tx, at }) => {
      const grant = await lockOwnGrant(tx, who, grantId);
      if (grant.access !== 'live') {
        throw new HttpError(409, 'PTZ rides on a live view: this grant is not for live video.');
      }
      checkGrantOpen(grant, at);
      const camera = (await findCamera(tx, grant.camera_id))!;
      checkCameraCanStream(camera, 'ptz');
      const decision = await decideNow(tx, camera, 'ptz', at);
      if (!decision.allowed) {
        return { allowed: false, cameraId: camera.id, reason: decision.reason };
      }
      const source = await findSource(tx, cameraSecretsOf(ctx.config), camera.id);
      if (!source?.ptzUrl) {
        throw new HttpError(409, `"${camera.name}" has no PTZ control address on file.`);
      }
      return { allowed: true, cameraId: camera.id, source };
    },
    audit: (v) =>
      auditBy(actorOfPrincipal(who), {
        action: 'camera.ptz',
        targetType: 'camera',
        targetId: v.cameraId,
        outcome: v.allowed ? 'success' : 'denied',
        details: { grantId, command, ...(v.allowed ? {} : { policy: v.reason }) },
      }),
    event: null,
  });
  if (!value.allowed) throw new HttpError(403, value.reason);
  try {
    await sendPtzCommand(value.source, command);
  } catch (err) {
    const why = err instanceof PtzSendError ? err.message : 'the camera is unreachable';
    throw new HttpError(503, `The camera did not take the command: ${why}. Try again.`);
  }
  return {
    grantId,
    cameraId: value.cameraId,
    command,
    sentAt: new Date(ctx.clock.now()).toISOString(),
  };
}
