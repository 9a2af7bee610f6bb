import { WEEKDAYS, type ScheduleWindow, type SharingPolicy } from '../domain/sharingPolicy';
import { parseIsoDate, weekdayOf, zonedDateTime, type LocalDate } from '../time/zonedTime';

/**
 * The words an analyst reads about an owner's sharing: the camera pop-up's summary and the
 * pieces of a denied tile's reason. English, fixed formats, no locale lookups, so the same policy
 * reads the same on every workstation and in the audit trail.
 */

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** More windows than this and a tile reason just counts the rest. */
const WINDOWS_IN_A_REASON = 3;

/** "Sat 1 Mar 2026" */
export function formatDay(date: LocalDate): string {
  return `${DAY_NAMES[weekdayOf(date)]} ${date.day} ${MONTH_NAMES[date.month - 1]} ${date.year}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An instant on the agency's clock, with its date: "Mon 30 Nov 2026 14:05". */
export function formatInstant(instant: number, timeZone: string): string {
  const t = zonedDateTime(instant, timeZone);
  return `${formatDay(t)} ${pad2(t.hour)}:${pad2(t.minute)}`;
}

/**
 * An instant as the agency's clock shows it, relative to `now`: "today 18:00", "Mon 08:00" within
 * the coming week, and with the date beyond it so that a weekday is never ambiguous.
 */
export function formatWhen(instant: number, now: number, timeZone: string): string {
  const t = zonedDateTime(instant, timeZone);
  const n = zonedDateTime(now, timeZone);
  const clock = `${pad2(t.hour)}:${pad2(t.minute)}`;
  const daysAhead = Math.round(
    (Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(n.year, n.month - 1, n.day)) / 86_400_000,
  );
  if (daysAhead === 0) return `today ${clock}`;
  if (daysAhead > 0 && daysAhead < 7) return `${DAY_NAMES[t.weekday]} ${clock}`;
  return `${DAY_NAMES[t.weekday]} ${t.day} ${MONTH_NAMES[t.month - 1]} ${clock}`;
}

/** "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri", "daily". */
export function describeDays(days: readonly string[]): string {
  const indexes = [...new Set(days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])))]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  if (indexes.length === 7) return 'daily';
  const runs: number[][] = [];
  for (const i of indexes) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === i - 1) run.push(i);
    else runs.push([i]);
  }
  return runs
    .flatMap((run) => {
      const first = DAY_NAMES[run[0] ?? 0];
      const last = DAY_NAMES[run[run.length - 1] ?? 0];
      // Two days read better listed than as a range.
      if (run.length >= 3) return [`${first}–${last}`];
      return run.map((i) => DAY_NAMES[i] ?? '');
    })
    .join(', ');
}

/** "Mon–Fri 08:00–18:00", "Fri 22:00–06:00", "Sat all day", "Sun 24 h from 06:00". */
export function describeWindow(w: ScheduleWindow): string {
  const days = describeDays(w.days);
  if (w.start === w.end)
    return w.start === '00:00' ? `${days} all day` : `${days} 24 h from ${w.start}`;
  return `${days} ${w.start}–${w.end}`;
}

/** The windows joined up, at most `max` of them spelled out. */
export function describeWindows(windows: readonly ScheduleWindow[], max = Infinity): string {
  const shown = windows.slice(0, max).map(describeWindow);
  const rest = windows.length - shown.length;
  if (rest > 0) shown.push(`${rest} more window${rest === 1 ? '' : 's'}`);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** When the schedule shares, for a sentence: "Mon–Fri 08:00–18:00 (America/New_York)". */
export function describeScheduleTimes(
  policy: SharingPolicy,
  timeZone: string | undefined,
  maxWindows = Infinity,
): string {
  if (policy.windows.length === 0) {
    return policy.alsoDuringAlarm
      ? 'only while their alarm is raised (the schedule has no windows)'
      : 'on a schedule with no windows';
  }
  const zone = timeZone ? ` (${timeZone})` : '';
  const alarm = policy.alsoDuringAlarm ? ' or while their alarm is raised' : '';
  return `${describeWindows(policy.windows, maxWindows)}${zone}${alarm}`;
}

export function describeWindowsForReason(policy: SharingPolicy, timeZone: string): string {
  return describeScheduleTimes(policy, timeZone, WINDOWS_IN_A_REASON);
}

function describeWhat(policy: SharingPolicy): string | null {
  const kinds: string[] = [];
  if (policy.live) kinds.push('live video');
  if (policy.recordings) kinds.push('recordings');
  // PTZ rides on live video; without it there is nothing to steer.
  if (policy.ptz && policy.live) kinds.push('PTZ control');
  if (kinds.length === 0) return null;
  if (kinds.length === 1) return kinds[0] ?? null;
  return `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
}

function describeDates(policy: SharingPolicy): string {
  const from = policy.validFrom ? formatDay(parseIsoDate(policy.validFrom)) : null;
  const until = policy.validUntil ? formatDay(parseIsoDate(policy.validUntil)) : null;
  if (from && until) return `, from ${from} to ${until}`;
  if (from) return `, from ${from}`;
  if (until) return `, until ${until}`;
  return '';
}

/**
 * One sentence summing up a policy for the camera pop-up, e.g. "Owner shares live video and
 * recordings Mon–Fri 08:00–18:00 (America/New_York), until Thu 31 Dec 2026." Pass the agency's
 * zone so that the times say which clock they are on.
 */
export function describeSharingPolicy(policy: SharingPolicy, timeZone?: string): string {
  if (policy.withdrawn) return 'Owner withdrew sharing.';
  const what = describeWhat(policy);
  if (!what) return 'Owner shares nothing from this camera.';
  const when =
    policy.mode === 'always'
      ? 'at all times'
      : policy.mode === 'alarm'
        ? 'only while their alarm is raised'
        : describeScheduleTimes(policy, timeZone);
  return `Owner shares ${what} ${when}${describeDates(policy)}.`;
}
