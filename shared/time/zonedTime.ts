/**
 * Wall-clock dates and times in an IANA time zone, converted to and from instants (ms since the
 * epoch) with nothing but Intl.DateTimeFormat: shared/ runs in the server, the host and the
 * browser, so it takes no Node API and no date library.
 *
 * Calendar arithmetic (adding days, weekdays) is done on the proleptic Gregorian calendar through
 * Date.UTC, which has no time zone and so no daylight-saving surprises.
 */

export interface LocalDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
}

export interface LocalDateTime extends LocalDate {
  /** 0-23 */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface ZonedDateTime extends LocalDateTime {
  /** 0 = Monday ... 6 = Sunday, the order of WEEKDAYS in the sharing policy. */
  readonly weekday: number;
}

const SECOND_MS = 1000;
export const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and evaluation asks for the same few
// zones over and over. Only zones that construct without error are kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        // h23, not hour12: false, which some engines render as "24" at midnight.
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`"${timeZone}" is not an IANA time zone (such as America/New_York)`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError that names the zone unless it is an IANA zone this engine knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// en-US with h23 and a short era formats as "3/8/2026 AD, 03:00:00". Reading that string is
// several times faster than formatToParts, which stays as the fallback should an engine's locale
// data ever render it differently.
const EN_US_DATE_TIME = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

function readFields(at: number, f: Intl.DateTimeFormat): Record<string, string> {
  const m = EN_US_DATE_TIME.exec(f.format(at));
  if (m) {
    const [, month = '', day = '', year = '', era = '', hour = '', minute = '', second = ''] = m;
    return { month, day, year, era, hour, minute, second };
  }
  const fields: Record<string, string> = {};
  for (const part of f.formatToParts(at)) fields[part.type] = part.value;
  return fields;
}

/** The wall-clock date and time shown in `timeZone` at instant `at` (to the second). */
export function zonedDateTime(at: number, timeZone: string): ZonedDateTime {
  if (!Number.isFinite(at)) throw new RangeError(`${at} is not an instant`);
  const fields = readFields(at, formatterFor(timeZone));
  const yearOfEra = Number(fields.year);
  // en-US names the eras "BC" and "AD"; years before 1 CE count backwards in the BC era.
  const year = fields.era === 'BC' ? 1 - yearOfEra : yearOfEra;
  const month = Number(fields.month);
  const day = Number(fields.day);
  return {
    year,
    month,
    day,
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
    weekday: weekdayOf({ year, month, day }),
  };
}

/**
 * The wall clock read as if it were UTC: the key to turning offsets into arithmetic. Plain
 * numbers rather than an object, because this sits under every conversion.
 */
function fieldsAsUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear undoes that.
  if (year >= 0 && year < 100) {
    const d = new Date(ms);
    d.setUTCFullYear(year);
    return d.getTime();
  }
  return ms;
}

function wallAsUtc(t: LocalDateTime): number {
  return fieldsAsUtc(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms (negative west of Greenwich). */
export function offsetMs(at: number, timeZone: string): number {
  const whole = Math.floor(at / SECOND_MS) * SECOND_MS;
  return wallAsUtc(zonedDateTime(whole, timeZone)) - whole;
}

/**
 * The instant at which the zone's wall clock first reaches `local`.
 *
 * Most wall times happen exactly once. Around daylight-saving changes they do not, and this one
 * rule answers both cases:
 * - a time that happens twice (the repeated hour when clocks go back) maps to its first
 *   occurrence;
 * - a time that never happens (the hour skipped when clocks go forward) maps to the first instant
 *   after the gap, the moment the clock jumps past it (02:30 on a spring-forward night in New York
 *   becomes 03:00 EDT).
 * The mapping never goes backwards (a later wall time never gives an earlier instant), so
 * intervals of wall time stay intervals, and wall-adjacent intervals stay adjacent.
 */
export function instantOf(local: LocalDateTime, timeZone: string): number {
  const wall = wallAsUtc(local);
  // A zone changes offset at most once in any two days, so the offsets a day either side are the
  // only two that can apply to this wall time.
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after]
    .filter((c, i) => offsetMs(c, timeZone) === (i === 0 ? before : after))
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // In the gap: the transition lies after wall - after (still the old offset) and at or before
  // wall - before (already the new one). Transitions fall on whole seconds.
  let lo = Math.floor((wall - after) / SECOND_MS);
  let hi = Math.ceil((wall - before) / SECOND_MS);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(mid * SECOND_MS, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi * SECOND_MS;
}

/** A local date at a time of day (to the minute). */
export function atTime(date: LocalDate, hour: number, minute: number): LocalDateTime {
  return { year: date.year, month: date.month, day: date.day, hour, minute, second: 0 };
}

/** The first instant of a local calendar day (usually midnight; after the gap if midnight is skipped). */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  return instantOf(atTime(date, 0, 0), timeZone);
}

/** The local calendar date at instant `at`. */
export function localDateOf(at: number, timeZone: string): LocalDate {
  const { year, month, day } = zonedDateTime(at, timeZone);
  return { year, month, day };
}

// --- calendar arithmetic, no time zone involved ---

function dateAsUtc(date: LocalDate): number {
  return fieldsAsUtc(date.year, date.month, date.day, 12, 0, 0);
}

function dateFromUtc(ms: number): LocalDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return dateFromUtc(dateAsUtc(date) + days * DAY_MS);
}

/** 0 = Monday ... 6 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return (new Date(dateAsUtc(date)).getUTCDay() + 6) % 7;
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Parses YYYY-MM-DD, refusing dates the calendar does not have (2026-02-30). */
export function parseIsoDate(text: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (compareDates(dateFromUtc(dateAsUtc(date)), date) === 0) return date;
  }
  throw new RangeError(`"${text}" is not a calendar date in the form YYYY-MM-DD`);
}

export function formatIsoDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
