import type { CameraKind } from '../../shared/domain/cameras';
import type {
  SharingAccess,
  SharingDecision,
  SharingPolicy,
} from '../../shared/domain/sharingPolicy';
import { evaluateSharingPolicy } from '../../shared/policy/evaluateSharingPolicy';

/** A grant lives this long unless the owner's policy closes sooner; the console renews it. */
export const GRANT_LIFETIME_MS = 10 * 60_000;

export interface GrantSubject {
  readonly kind: CameraKind;
  readonly sharing: SharingPolicy | null;
  readonly alarmActive: boolean;
}

/**
 * Whether a camera's feed may be viewed now. The city's own cameras need no owner's consent;
 * an integrated camera is shared only as its owner's policy says.
 */
export function decideAccess(
  camera: GrantSubject,
  access: SharingAccess,
  at: number,
  timeZone: string,
): SharingDecision {
  if (camera.kind === 'agency') return { allowed: true, until: null };
  if (camera.kind === 'registered' || camera.sharing === null) {
    return {
      allowed: false,
      denial: 'not_shared',
      reason: 'Owner has not agreed to share this camera.',
      nextOpen: null,
    };
  }
  return evaluateSharingPolicy(camera.sharing, {
    at,
    timeZone,
    alarmActive: camera.alarmActive,
    access,
  });
}

/** When a grant issued (or renewed) at `at` lapses: its lifetime, or the policy's end if sooner. */
export function grantExpiry(at: number, until: number | null): number {
  const lifetime = at + GRANT_LIFETIME_MS;
  return until === null ? lifetime : Math.min(lifetime, until);
}
