import type { Queryable } from '../store/store';
import { listCameras } from '../cameras/cameraSearch';
import { decideAccess, type AccessSubject } from '../../shared/policy/decideAccess';
import type { CameraListItem } from '../../shared/api/cameras';
import type { CandidateAction, PullPosition } from '../../shared/domain/pulls';
import { DAY_MS, zonedDateTime } from '../../shared/time/zonedTime';

/** More cameras than this inside one radius are not listed (2 km of a dense city holds ~2,000). */
export const CANDIDATE_LIMIT = 5000;

/** A camera around a pull, judged for the pull's window, before it is kept with the pull. */
export interface SelectedCandidate {
  readonly camera: CameraListItem;
  readonly distanceM: number;
  readonly action: CandidateAction;
  readonly actionNote: string | null;
  readonly rank: number;
}

export interface PullArea {
  readonly position: PullPosition;
  readonly radiusM: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

/** Candidates are worked in this order: what the center can fetch itself first. */
const ACTION_ORDER: Readonly<Record<CandidateAction, number>> = {
  fetch_now: 0,
  agency: 1,
  contact_owner: 2,
};

/** A policy walk never takes more steps than this over one window (24 h of 15-minute windows). */
const MAX_POLICY_STEPS = 200;

/**
 * The parts of [start, end) whose recordings the owner's policy shares, walking the policy's own
 * answers (when an allowed stretch ends, when the next one opens) across the window.
 *
 * An owner who shares only while their alarm is raised is judged with no alarm: whether one was
 * raised during a past window is not on record here, so that owner is contacted instead.
 */
export function sharedStretches(
  camera: AccessSubject,
  start: number,
  end: number,
  timeZone: string,
): { covered: number; stretches: [number, number][]; refusal: string | null } {
  const subject = { ...camera, alarmActive: false };
  const stretches: [number, number][] = [];
  let refusal: string | null = null;
  let t = start;
  for (let step = 0; t < end && step < MAX_POLICY_STEPS; step += 1) {
    const d = decideAccess(subject, 'recordings', t, timeZone);
    if (d.allowed) {
      const until = d.until === null ? end : Math.min(end, d.until);
      const stop = until > t ? until : end;
      stretches.push([t, stop]);
      t = stop;
    } else {
      refusal ??= d.reason;
      if (d.nextOpen === null || d.nextOpen >= end || d.nextOpen <= t) break;
      t = d.nextOpen;
    }
  }
  const covered = stretches.reduce((sum, [a, b]) => sum + (b - a), 0);
  return { covered, stretches, refusal };
}

const pad = (n: number) => String(n).padStart(2, '0');
const clockTime = (at: number, timeZone: string) => {
  const z = zonedDateTime(at, timeZone);
  return `${pad(z.hour)}:${pad(z.minute)}`;
};

function judge(
  camera: CameraListItem,
  area: PullArea,
  timeZone: string,
  now: number,
): { action: CandidateAction; actionNote: string | null } {
  if (camera.kind === 'agency') return { action: 'agency', actionNote: null };
  if (camera.kind === 'registered') {
    const days = camera.retentionDays;
    const aged = days !== null && now - area.windowStart > days * DAY_MS;
    return {
      action: 'contact_owner',
      actionNote:
        days === null
          ? null
          : aged
            ? `Owner keeps recordings ${days} days: footage of this window may be gone.`
            : `Owner keeps recordings ${days} days.`,
    };
  }
  const { covered, stretches, refusal } = sharedStretches(
    camera,
    area.windowStart,
    area.windowEnd,
    timeZone,
  );
  if (covered === 0) {
    return {
      action: 'contact_owner',
      actionNote: `Recordings of this window are not shared: ${refusal ?? 'owner not asked yet.'}`,
    };
  }
  if (covered === area.windowEnd - area.windowStart)
    return { action: 'fetch_now', actionNote: null };
  const parts = stretches
    .map(([a, b]) => `${clockTime(a, timeZone)}–${clockTime(b, timeZone)}`)
    .join(', ');
  return {
    action: 'fetch_now',
    actionNote: `Owner shares recordings for part of the window only: ${parts}.`,
  };
}

/**
 * The cameras within the pull's radius, each judged for the pull's window by its owner's policy
 * for recordings, ranked by what can be done (fetch now, agency, contact the owner) and then by
 * distance. The radius search is the registry's own (the GiST index on location).
 */
export async function selectCandidates(
  db: Queryable,
  area: PullArea,
  timeZone: string,
  now: number,
): Promise<SelectedCandidate[]> {
  const { items } = await listCameras(db, {
    status: 'active',
    near: { lat: area.position.lat, lng: area.position.lon },
    radius: area.radiusM,
    limit: CANDIDATE_LIMIT,
  });
  return rankCandidates(
    items.map((camera) => ({
      camera,
      distanceM: camera.distanceM ?? 0,
      ...judge(camera, area, timeZone, now),
    })),
  );
}

/** By what can be done, then nearest first, then id so that the order is stable. */
export function rankCandidates(
  judged: readonly Omit<SelectedCandidate, 'rank'>[],
): SelectedCandidate[] {
  return [...judged]
    .sort(
      (a, b) =>
        ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
        a.distanceM - b.distanceM ||
        a.camera.id.localeCompare(b.camera.id),
    )
    .map((c, i) => ({ ...c, rank: i + 1 }));
}
