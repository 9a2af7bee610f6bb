import type { CameraKind } from '../domain/cameras';
import type { SharingAccess, SharingDecision, SharingPolicy } from '../domain/sharingPolicy';
import { evaluateSharingPolicy } from './evaluateSharingPolicy';

/** What decides whether a camera may be viewed: its kind and, for an owner's camera, their policy. */
export interface AccessSubject {
  readonly kind: CameraKind;
  readonly sharing: SharingPolicy | null;
  readonly alarmActive: boolean;
}

export const NOT_AGREED = 'Owner has not agreed to share this camera.';

/**
 * Whether a camera's feed (or its recordings) may be viewed at `at`. The city's own cameras need
 * no owner's consent; an integrated camera is shared only as its owner's policy says; a
 * registered camera is a location only. The server decides grants with it, and the console shows
 * with it which cameras can be viewed now, so the two never disagree.
 */
export function decideAccess(
  camera: AccessSubject,
  access: SharingAccess,
  at: number,
  timeZone: string,
): SharingDecision {
  if (camera.kind === 'agency') return { allowed: true, until: null };
  if (camera.kind === 'registered' || camera.sharing === null) {
    return { allowed: false, denial: 'not_shared', reason: NOT_AGREED, nextOpen: null };
  }
  return evaluateSharingPolicy(camera.sharing, {
    at,
    timeZone,
    alarmActive: camera.alarmActive,
    access,
  });
}
