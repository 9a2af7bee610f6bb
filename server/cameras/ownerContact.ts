import type { ServerContext } from '../context';
import { auditBy, actorOfPrincipal } from '../audit/actor';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { OwnerContact } from '../../shared/domain/cameras';
import type { ViewReason } from '../../shared/domain/reasons';
import { findCamera, findOwnerContact } from './cameraRepository';

/**
 * Shows a camera owner's contact to someone permitted to see it, for a stated reason. Every
 * reveal is in the audit trail with that reason; nothing else reads the contact.
 */
export async function revealOwnerContact(
  ctx: ServerContext,
  who: Principal,
  cameraId: string,
  reason: ViewReason,
): Promise<OwnerContact> {
  const { value } = await ctx.record({
    apply: async ({ tx }) => {
      const camera = await findCamera(tx, cameraId);
      if (!camera) throw new HttpError(404, `No camera ${cameraId}.`);
      const owner = await findOwnerContact(tx, cameraId);
      if (!owner) throw new HttpError(404, `"${camera.name}" has no owner contact on file.`);
      return owner;
    },
    audit: auditBy(actorOfPrincipal(who), {
      action: 'camera.owner_contact.reveal',
      targetType: 'camera',
      targetId: cameraId,
      outcome: 'success',
      details: {
        reason: {
          code: reason.code,
          ...(reason.reference ? { reference: reason.reference } : {}),
          ...(reason.note ? { note: reason.note } : {}),
        },
      },
    }),
    // A reveal changes nothing that consoles need to hear about; the audit row is the record.
    event: null,
  });
  return value;
}
