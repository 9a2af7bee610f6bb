import type {
  SharingAccess,
  SharingDecision,
  SharingDenial,
  SharingPolicy,
  SharingQuery,
} from '../domain/sharingPolicy';
import { addDays, assertTimeZone, parseIsoDate, startOfLocalDay } from '../time/zonedTime';
import {
  describeWindowsForReason,
  formatDay,
  formatWhen,
  describeSharingPolicy,
} from './describeSharingPolicy';
import { LOOKAHEAD_DAYS, scheduleStateAt } from './weeklySchedule';

export { describeSharingPolicy };

/**
 * Whether an owner's sharing policy lets the agency have `q.access` to the camera at `q.at`.
 *
 * Pure: the instant, the agency's zone and the owner's alarm state all come in the query, so the
 * server can ask about any moment (now, when a grant will lapse, a replayed audit entry) and
 * every rule is a plain unit test.
 *
 * The checks run from the one the owner most plainly said to the least: a withdrawal beats
 * everything, then what kind of access is shared, then the agreement's dates, then the mode.
 *
 * `until` and `nextOpen` answer "if nothing else changes": a grant that rests on a raised alarm
 * lasts as long as the alarm does, which the policy cannot know, so it runs to the end of the
 * agreement's last day (or null when there is none); the server revokes it when the alarm drops.
 * In the same way, a closed policy that a raised alarm would open reports when that would happen.
 *
 * Throws RangeError only for a time zone that is not an IANA zone, an instant that is not a
 * number, or a date that is not a date: the agency and policy schemas refuse the first and last
 * before they get here.
 */
export function evaluateSharingPolicy(policy: SharingPolicy, q: SharingQuery): SharingDecision {
  const tz = q.timeZone;
  // Checked first so that bad input fails the same way whichever rule would have decided.
  assertTimeZone(tz);
  if (!Number.isFinite(q.at)) throw new RangeError(`${q.at} is not an instant`);
  if (policy.withdrawn) return deny('withdrawn', 'Owner withdrew sharing.', null);

  const unshared = unsharedAccess(policy, q.access);
  if (unshared) return deny('not_shared', unshared, null);

  const firstDay = policy.validFrom ? parseIsoDate(policy.validFrom) : null;
  const lastDay = policy.validUntil ? parseIsoDate(policy.validUntil) : null;
  const opens = firstDay ? startOfLocalDay(firstDay, tz) : null;
  // Exclusive: the first instant of the day after the last day, so 23:59 local on the last day
  // still counts whatever the date is in UTC.
  const closes = lastDay ? startOfLocalDay(addDays(lastDay, 1), tz) : null;
  const withinValidity = (t: number | null) =>
    t !== null && closes !== null && t >= closes ? null : t;

  if (lastDay && closes !== null && q.at >= closes) {
    return deny('after_end', `Owner shared this camera until ${formatDay(lastDay)}.`, null);
  }

  if (firstDay && opens !== null && q.at < opens) {
    const first = withinValidity(firstOpening(policy, opens, q));
    const starts = `Owner's sharing starts ${formatDay(firstDay)}`;
    const reason =
      policy.mode === 'always'
        ? `${starts}.`
        : policy.mode === 'alarm'
          ? `${starts}, and then only while their alarm is raised.`
          : `${starts}: ${describeWindowsForReason(policy, tz)}${
              first === null ? '.' : `; first opens ${formatWhen(first, q.at, tz)}.`
            }`;
    return deny('before_start', reason, first);
  }

  const alarmOpens =
    policy.mode === 'alarm' || (policy.mode === 'schedule' && policy.alsoDuringAlarm);
  if (policy.mode === 'always' || (alarmOpens && q.alarmActive)) {
    return { allowed: true, until: closes };
  }
  if (policy.mode === 'alarm') {
    return deny('no_alarm', 'Owner shares this camera only while their alarm is raised.', null);
  }

  const state = scheduleStateAt(policy.windows, q.at, tz);
  if (state.open) {
    const until =
      state.end === null ? closes : closes === null ? state.end : Math.min(state.end, closes);
    return { allowed: true, until };
  }
  const nextOpen = withinValidity(state.nextOpen);
  const times = describeWindowsForReason(policy, tz);
  const next =
    nextOpen !== null
      ? `next opens ${formatWhen(nextOpen, q.at, tz)}`
      : state.nextOpen !== null && lastDay
        ? `no window opens before sharing ends on ${formatDay(lastDay)}`
        : `no window opens in the next ${LOOKAHEAD_DAYS} days`;
  return deny('outside_window', `Owner shares this camera ${times}; ${next}.`, nextOpen);
}

function deny(denial: SharingDenial, reason: string, nextOpen: number | null): SharingDecision {
  return { allowed: false, denial, reason, nextOpen };
}

/** Why this kind of access is never shared, or null if it can be. */
function unsharedAccess(policy: SharingPolicy, access: SharingAccess): string | null {
  switch (access) {
    case 'live':
      return policy.live ? null : 'Owner does not share live video from this camera.';
    case 'recordings':
      return policy.recordings ? null : 'Owner does not share recordings from this camera.';
    case 'ptz':
      if (!policy.ptz) return 'Owner does not allow PTZ control of this camera.';
      // Steering a camera nobody may watch makes no sense, so PTZ needs live sharing too.
      return policy.live
        ? null
        : 'Owner allows PTZ control only with live video, which they do not share.';
  }
}

/** The first instant at or after the agreement's first day that the mode would allow. */
function firstOpening(policy: SharingPolicy, opens: number, q: SharingQuery): number | null {
  switch (policy.mode) {
    case 'always':
      return opens;
    case 'alarm':
      return q.alarmActive ? opens : null;
    case 'schedule': {
      if (policy.alsoDuringAlarm && q.alarmActive) return opens;
      const state = scheduleStateAt(policy.windows, opens, q.timeZone);
      return state.open ? opens : state.nextOpen;
    }
  }
}
