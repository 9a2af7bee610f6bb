import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { PtzCommand, PtzResult } from '../../shared/api/cameras';
import { findSource } from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';
import { useOwnGrant } from './grantUse';
import { PtzSendError, sendPtzCommand } from './ptzControl';

/**
 * Steers a PTZ camera one step (docs/ptz.md). The route's guard has checked `streams.ptz`; here
 * the command must ride on the caller's own live grant, still open, on a camera that has PTZ, and
 * the owner's policy must allow PTZ at this minute (grantUse.ts). Every command, sent or refused
 * by the policy, is in the audit trail with the grant (and so the reason) it was given under.
 */
export async function steerCamera(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
  command: PtzCommand,
): Promise<PtzResult> {
  const value = await useOwnGrant(ctx, who, grantId, {
    grantAccess: 'live',
    wrongGrant: 'PTZ rides on a live view: this grant is not for live video.',
    access: 'ptz',
    action: 'camera.ptz',
    details: { command },
    resource: async (tx, camera) => {
      const source = await findSource(tx, cameraSecretsOf(ctx.config), camera.id);
      if (!source?.ptzUrl) {
        throw new HttpError(409, `"${camera.name}" has no PTZ control address on file.`);
      }
      return source;
    },
  });
  try {
    await sendPtzCommand(value.resource, command);
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
