import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDates,
  formatIsoDate,
  instantOf,
  isValidTimeZone,
  localDateOf,
  offsetMs,
  parseIsoDate,
  startOfLocalDay,
  weekdayOf,
  zonedDateTime,
  type LocalDateTime,
} from '../../../shared/time/zonedTime';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const wall = (text: string): LocalDateTime => {
  const [date = '', time = '00:00'] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = time.split(':').map(Number) as [number, number, number?];
  return { year, month, day, hour, minute, second };
};
const show = (t: number, tz: string) => {
  const z = zonedDateTime(t, tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${z.year}-${p(z.month)}-${p(z.day)} ${p(z.hour)}:${p(z.minute)}:${p(z.second)}`;
};

describe('zonedDateTime', () => {
  it.each([
    ['2026-01-15T17:00:00Z', NY, '2026-01-15 12:00:00', 3],
    ['2026-07-04T04:30:15Z', NY, '2026-07-04 00:30:15', 5],
    // 23:30 local on 31 Dec is already 1 Jan in UTC.
    ['2027-01-01T04:30:00Z', NY, '2026-12-31 23:30:00', 3],
    ['2026-01-04T23:59:59Z', 'UTC', '2026-01-04 23:59:59', 6],
    ['2026-06-01T00:00:00Z', 'Australia/Sydney', '2026-06-01 10:00:00', 0],
    ['2026-12-31T13:00:00Z', 'Australia/Sydney', '2027-01-01 00:00:00', 4],
    ['2026-07-01T12:00:00Z', 'Europe/London', '2026-07-01 13:00:00', 2],
    ['2026-01-01T00:00:00Z', 'Asia/Kolkata', '2026-01-01 05:30:00', 3],
    ['2026-01-01T00:00:00Z', 'Asia/Kathmandu', '2026-01-01 05:45:00', 3],
  ])('%s in %s reads %s', (iso, tz, expected, weekday) => {
    expect(show(at(iso), tz)).toBe(expected);
    expect(zonedDateTime(at(iso), tz).weekday).toBe(weekday);
  });

  it('reads years before the common era', () => {
    // 1 January of year 0 (1 BC) in the proleptic Gregorian calendar.
    const yearZero = Date.UTC(2000, 0, 1) - 730_485 * 86_400_000;
    expect(zonedDateTime(yearZero, 'UTC')).toMatchObject({ year: 0, month: 1, day: 1, hour: 0 });
    expect(zonedDateTime(yearZero - 86_400_000, 'UTC')).toMatchObject({
      year: -1,
      month: 12,
      day: 31,
    });
  });

  it('refuses an unknown zone and a non-instant with a RangeError that says what is wrong', () => {
    expect(() => zonedDateTime(0, 'Mars/Olympus_Mons')).toThrow(/not an IANA time zone/);
    expect(() => zonedDateTime(Number.NaN, NY)).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Europe/London')).toBe(true);
  });
});

describe('offsetMs', () => {
  it.each([
    ['2026-01-15T12:00:00Z', NY, -5],
    ['2026-07-15T12:00:00Z', NY, -4],
    ['2026-03-08T06:59:59Z', NY, -5],
    ['2026-03-08T07:00:00Z', NY, -4],
    ['2026-11-01T05:59:59Z', NY, -4],
    ['2026-11-01T06:00:00Z', NY, -5],
    ['2026-01-15T12:00:00Z', 'Australia/Sydney', 11],
    ['2026-07-15T12:00:00Z', 'Australia/Sydney', 10],
    ['2026-10-03T15:30:00Z', 'Australia/Lord_Howe', 11],
    ['2026-10-03T15:29:59Z', 'Australia/Lord_Howe', 10.5],
    ['2026-07-15T12:00:00Z', 'Asia/Kolkata', 5.5],
  ])('%s in %s is UTC%s h', (iso, tz, hours) => {
    expect(offsetMs(at(iso), tz)).toBe(hours * HOUR);
  });

  it('is the same for every millisecond of a second', () => {
    expect(offsetMs(at('2026-03-08T06:59:59.999Z'), NY)).toBe(-5 * HOUR);
    expect(offsetMs(at('1969-12-31T23:59:59.500Z'), 'UTC')).toBe(0);
  });
});

describe('instantOf', () => {
  it.each([
    ['2026-01-15 12:00', NY, '2026-01-15T17:00:00Z'],
    ['2026-07-15 08:00', NY, '2026-07-15T12:00:00Z'],
    ['2026-12-31 23:30', NY, '2027-01-01T04:30:00Z'],
    ['2026-06-01 10:00', 'Australia/Sydney', '2026-06-01T00:00:00Z'],
    ['2026-07-01 13:00', 'Europe/London', '2026-07-01T12:00:00Z'],
    ['2026-01-01 05:30', 'Asia/Kolkata', '2026-01-01T00:00:00Z'],
    ['0050-03-01 00:00', 'UTC', '0050-03-01T00:00:00Z'],
  ])('%s in %s is %s', (local, tz, iso) => {
    expect(instantOf(wall(local), tz)).toBe(at(iso));
  });

  describe('New York springs forward on 2026-03-08: 02:00-02:59 never happens', () => {
    it.each([
      ['2026-03-08 01:59', '2026-03-08T06:59:00Z'],
      // In the gap: the first instant after it, 03:00 EDT.
      ['2026-03-08 02:00', '2026-03-08T07:00:00Z'],
      ['2026-03-08 02:30', '2026-03-08T07:00:00Z'],
      ['2026-03-08 02:59:59', '2026-03-08T07:00:00Z'],
      ['2026-03-08 03:00', '2026-03-08T07:00:00Z'],
      ['2026-03-08 03:01', '2026-03-08T07:01:00Z'],
    ])('%s is %s', (local, iso) => {
      expect(instantOf(wall(local), NY)).toBe(at(iso));
    });
  });

  describe('New York falls back on 2026-11-01: 01:00-01:59 happens twice', () => {
    it.each([
      ['2026-11-01 00:59', '2026-11-01T04:59:00Z'],
      // Repeated: the first occurrence, in EDT.
      ['2026-11-01 01:00', '2026-11-01T05:00:00Z'],
      ['2026-11-01 01:30', '2026-11-01T05:30:00Z'],
      ['2026-11-01 01:59:59', '2026-11-01T05:59:59Z'],
      // The clock first shows 02:00 after the second pass through 01:xx.
      ['2026-11-01 02:00', '2026-11-01T07:00:00Z'],
    ])('%s is %s', (local, iso) => {
      expect(instantOf(wall(local), NY)).toBe(at(iso));
    });
  });

  it.each([
    // Sydney goes forward 02:00 -> 03:00 on 2026-10-04 and back 03:00 -> 02:00 on 2026-04-05.
    ['2026-10-04 02:30', 'Australia/Sydney', '2026-10-03T16:00:00Z'],
    ['2026-04-05 02:30', 'Australia/Sydney', '2026-04-04T15:30:00Z'],
    // London goes forward 01:00 -> 02:00 on 2026-03-29 and back 02:00 -> 01:00 on 2026-10-25.
    ['2026-03-29 01:30', 'Europe/London', '2026-03-29T01:00:00Z'],
    ['2026-10-25 01:30', 'Europe/London', '2026-10-25T00:30:00Z'],
    // Lord Howe moves by half an hour, 02:00 -> 02:30.
    ['2026-10-04 02:15', 'Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    // Samoa skipped all of 30 December 2011 when it crossed the date line.
    ['2011-12-30 12:00', 'Pacific/Apia', '2011-12-30T10:00:00Z'],
  ])('outside the US too: %s in %s is %s', (local, tz, iso) => {
    expect(instantOf(wall(local), tz)).toBe(at(iso));
  });

  it('round-trips every quarter hour through both New York transitions, and only the repeated hour maps back to its first pass', () => {
    for (const [from, to] of [
      ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'],
      ['2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z'],
    ] as const) {
      let secondPass = 0;
      for (let t = at(from); t < at(to); t += 15 * 60_000) {
        const local = zonedDateTime(t, NY);
        const back = instantOf(local, NY);
        if (back !== t) {
          // Only wall times shown twice may map elsewhere, and then to exactly an hour before.
          expect(back).toBe(t - HOUR);
          expect(local.hour).toBe(1);
          secondPass++;
        }
      }
      expect(secondPass).toBe(from.startsWith('2026-10') ? 4 : 0);
    }
  });

  it('never goes backwards as the wall clock moves forward through a transition', () => {
    for (const [day, tz] of [
      ['2026-03-08', NY],
      ['2026-11-01', NY],
      ['2026-10-04', 'Australia/Lord_Howe'],
      ['2026-04-05', 'Australia/Sydney'],
    ] as const) {
      let previous = -Infinity;
      for (let minute = 0; minute < 24 * 60; minute += 5) {
        const t = instantOf(wall(`${day} ${Math.floor(minute / 60)}:${minute % 60}`), tz);
        expect(t).toBeGreaterThanOrEqual(previous);
        previous = t;
      }
    }
  });
});

describe('local days', () => {
  it('starts a day at local midnight, or after the gap where midnight is skipped', () => {
    expect(startOfLocalDay({ year: 2026, month: 3, day: 8 }, NY)).toBe(at('2026-03-08T05:00:00Z'));
    expect(startOfLocalDay({ year: 2026, month: 3, day: 9 }, NY)).toBe(at('2026-03-09T04:00:00Z'));
    // Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04.
    expect(startOfLocalDay({ year: 2018, month: 11, day: 4 }, 'America/Sao_Paulo')).toBe(
      at('2018-11-04T03:00:00Z'),
    );
  });

  it('gives the local date, not the UTC one', () => {
    expect(localDateOf(at('2027-01-01T04:30:00Z'), NY)).toEqual({ year: 2026, month: 12, day: 31 });
    expect(localDateOf(at('2026-12-31T13:30:00Z'), 'Australia/Sydney')).toEqual({
      year: 2027,
      month: 1,
      day: 1,
    });
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-03-07', 1, '2026-03-08'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-05', 365, '2027-01-05'],
  ])('%s + %i days is %s', (from, days, expected) => {
    expect(formatIsoDate(addDays(parseIsoDate(from), days))).toBe(expected);
  });

  it.each([
    ['2026-03-02', 0],
    ['2026-03-06', 4],
    ['2026-03-08', 6],
    ['2026-11-01', 6],
    ['2000-01-01', 5],
  ])('%s is weekday %i (Monday = 0)', (date, weekday) => {
    expect(weekdayOf(parseIsoDate(date))).toBe(weekday);
  });

  it('compares dates', () => {
    const d = (s: string) => parseIsoDate(s);
    expect(compareDates(d('2026-03-08'), d('2026-03-09'))).toBeLessThan(0);
    expect(compareDates(d('2027-01-01'), d('2026-12-31'))).toBeGreaterThan(0);
    expect(compareDates(d('2026-03-08'), d('2026-03-08'))).toBe(0);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '2026-3-1', '26-03-01', ''])(
    'refuses %j as a date',
    (text) => {
      expect(() => parseIsoDate(text)).toThrow(/not a calendar date/);
    },
  );

  it('accepts a leap day', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });
});
