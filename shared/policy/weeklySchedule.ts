import { WEEKDAYS, type ScheduleWindow } from '../domain/sharingPolicy';
import {
  DAY_MS,
  addDays,
  atTime,
  compareDates,
  instantOf,
  localDateOf,
  startOfLocalDay,
  weekdayOf,
  type LocalDate,
} from '../time/zonedTime';

/**
 * Weekly schedule windows laid out as real instants.
 *
 * A window is a range of wall-clock time in the agency's zone that starts on each of its days;
 * `end` at or before `start` carries it into the next day (so a Sunday window wraps into Monday),
 * and `start` equal to `end` means a full 24 hours of wall time. Each boundary becomes an instant
 * through `instantOf`, i.e. the first moment the zone's clock reaches it:
 *
 * - Spring forward (New York, 2026-03-08, 02:00-02:59 never happens): a boundary in the skipped
 *   hour is the first instant after the gap, 03:00 EDT. A window 02:30-04:00 that night opens at
 *   03:00; one that ends at 02:30 shares until 03:00, having lost no time the owner could name;
 *   a window wholly inside the gap (02:10-02:40) does not happen that night.
 * - Fall back (2026-11-01, 01:00-01:59 happens twice): a start in the repeated hour opens at its
 *   first occurrence (EDT). An end there closes at its first occurrence too: the feed stops the
 *   moment the owner's own clock first shows the end time, never later. The other choice (the
 *   second occurrence) would keep sharing for an extra hour while the clock reads times outside
 *   the window the owner set, which their consent does not cover. The price is that a window such
 *   as 00:00-01:30 does not reopen while the clock replays 01:00-01:30 EST; sharing less than
 *   agreed for half an hour once a year is the safe side to err on. A window ending at 02:00 that
 *   night runs to 02:00 EST, since the clock does not show 02:00 before then.
 *
 * Because the mapping from wall time to instants never goes backwards, windows that touch or
 * overlap in wall time still touch or overlap as instants, across both transitions.
 */

export interface Period {
  /** Inclusive (ms). */
  readonly start: number;
  /** Exclusive (ms). */
  readonly end: number;
}

export type ScheduleState =
  | {
      readonly open: true;
      /** When the merged open period ends, or null when the windows leave no gap in the week. */
      readonly end: number | null;
    }
  | {
      readonly open: false;
      /** The next instant a window opens, or null if none does within LOOKAHEAD_DAYS. */
      readonly nextOpen: number | null;
    };

/** How far ahead a closed schedule looks for its next opening. */
export const LOOKAHEAD_DAYS = 8;

/** Every occurrence of every window that starts on a local day from `first` to `last`, inclusive. */
export function windowPeriods(
  windows: readonly ScheduleWindow[],
  first: LocalDate,
  last: LocalDate,
  timeZone: string,
): Period[] {
  // The same few wall times recur across windows and days; each costs a few Intl calls.
  const memo = new Map<string, number>();
  const at = (date: LocalDate, hhmm: string): number => {
    const key = `${date.year}-${date.month}-${date.day} ${hhmm}`;
    let instant = memo.get(key);
    if (instant === undefined) {
      instant = instantOf(
        atTime(date, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))),
        timeZone,
      );
      memo.set(key, instant);
    }
    return instant;
  };
  const periods: Period[] = [];
  for (let date = first; compareDates(date, last) <= 0; date = addDays(date, 1)) {
    const weekday = WEEKDAYS[weekdayOf(date)];
    for (const w of windows) {
      if (!weekday || !w.days.includes(weekday)) continue;
      const endDate = w.end <= w.start ? addDays(date, 1) : date;
      const period = { start: at(date, w.start), end: at(endDate, w.end) };
      // Empty when the whole window falls in a skipped hour.
      if (period.end > period.start) periods.push(period);
    }
  }
  return periods;
}

/** Sorted, with overlapping and touching periods joined into one. */
export function mergePeriods(periods: readonly Period[]): Period[] {
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  const merged: Period[] = [];
  for (const p of sorted) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, p.end) };
    } else {
      merged.push(p);
    }
  }
  return merged;
}

/** Whether the windows are open at `at`, and until when or from when. */
export function scheduleStateAt(
  windows: readonly ScheduleWindow[],
  at: number,
  timeZone: string,
): ScheduleState {
  const today = localDateOf(at, timeZone);
  // A window lasts at most a day of wall time, so nothing that starts before yesterday reaches
  // today; the far end covers the lookahead.
  const horizonDate = addDays(today, LOOKAHEAD_DAYS);
  const periods = mergePeriods(windowPeriods(windows, addDays(today, -1), horizonDate, timeZone));
  const current = periods.find((p) => p.start <= at && at < p.end);
  if (current) {
    // Open without a break from today to the horizon means every wall time of seven whole days
    // is covered: a weekly pattern like that never closes.
    const endless = current.end >= startOfLocalDay(horizonDate, timeZone);
    return { open: true, end: endless ? null : current.end };
  }
  const next = periods.find((p) => p.start > at);
  return {
    open: false,
    nextOpen: next && next.start <= at + LOOKAHEAD_DAYS * DAY_MS ? next.start : null,
  };
}
