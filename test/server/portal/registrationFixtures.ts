import type { ServerContext } from '../../../server/context';
import {
  confirmRegistration,
  submitRegistration,
} from '../../../server/registrations/registrationChanges';
import type { RegistrationSummary } from '../../../shared/api/registrations';
import type { CameraRegistration } from '../../../shared/domain/portal';

/** A registration of one camera, as the portal's form would make it. */
export function oneCamera(email: string, lat: number, lng: number): CameraRegistration {
  return {
    ownerKind: 'business',
    name: 'Corner Market',
    email,
    phone: '+1 336 555 0100',
    cameras: [
      { lat, lng, facing: 'SE', covers: 'The door and the parking lot', retentionDays: 14 },
    ],
  };
}

/** The confirmation token of the mail to `email` (one registration per address), from the outbox. */
async function confirmToken(ctx: ServerContext, email: string): Promise<string> {
  const res = await ctx.store.query<{ body: string }>(
    `select body from mail_outbox where to_address = $1 and kind = 'registration.confirm'
     limit 1`,
    [email],
  );
  const m = /confirm\?token=([A-Za-z0-9_-]{43})/.exec(res.rows[0]?.body ?? '');
  if (!m) throw new Error(`no confirmation mail to ${email}`);
  return m[1]!;
}

/** Submits and confirms a registration without the portal's pages. */
export async function confirmed(
  ctx: ServerContext,
  registration: CameraRegistration,
): Promise<RegistrationSummary> {
  await submitRegistration(ctx, registration);
  return confirmRegistration(ctx, await confirmToken(ctx, registration.email));
}

/**
 * Two registrations of the same camera by the same owner (the same name and phone, from two
 * addresses): the second flags the first.
 */
export async function confirmedLookAlike(
  ctx: ServerContext,
): Promise<{ registration: RegistrationSummary; cameraId: string }> {
  await confirmed(ctx, oneCamera('market@example.org', 36.0999, -80.2442));
  const registration = await confirmed(ctx, oneCamera('owner@market.example', 36.09992, -80.24421));
  return { registration, cameraId: registration.cameras[0]!.cameraId };
}
