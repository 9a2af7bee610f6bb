import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../../shared/domain/sharingPolicy';
import { allowedUntil, ask, denied, policy, summary } from './policyCases';

// New York in January 2026 is EST (-05:00) throughout, so these read as plain wall-clock times.
// The week: Mon 5, Tue 6, Wed 7, Thu 8, Fri 9, Sat 10, Sun 11 January.
const local = (dayAndTime: string) => `2026-01-${dayAndTime}-05:00`;

type Row = readonly [label: string, at: string, expected: string];

function table(windows: readonly ScheduleWindow[], rows: readonly Row[]) {
  const p = policy({ mode: 'schedule', windows: [...windows] });
  it.each(rows)('%s', (_label, at, expected) => {
    expect(summary(ask(p, local(at)))).toBe(expected);
  });
}

const open = (until: string) => allowedUntil(local(until));
const closed = (next: string | null) =>
  denied('outside_window', next === null ? null : local(next));

describe('weekday office hours, Mon–Fri 08:00–18:00', () => {
  table(
    [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
    [
      ['opens at exactly the start', '05T08:00', open('05T18:00')],
      ['closed a millisecond before', '05T07:59:59.999', closed('05T08:00')],
      ['open the last millisecond', '05T17:59:59.999', open('05T18:00')],
      ['closed at exactly the end', '05T18:00', closed('06T08:00')],
      ['Friday evening waits for Monday', '09T18:00', closed('12T08:00')],
      ['Saturday', '10T12:00', closed('12T08:00')],
      ['late Sunday', '11T23:59', closed('12T08:00')],
      ['Wednesday midday', '07T12:00', open('07T18:00')],
    ],
  );
});

describe('overnight: Fri 22:00–06:00 runs into Saturday', () => {
  table(
    [{ days: ['fri'], start: '22:00', end: '06:00' }],
    [
      ['Friday night', '09T23:00', open('10T06:00')],
      ['after midnight, on Saturday', '10T05:59', open('10T06:00')],
      ['Saturday at the end', '10T06:00', closed('16T22:00')],
      ['Friday before it opens', '09T21:59', closed('09T22:00')],
      ['Thursday night is not Friday night', '08T23:00', closed('09T22:00')],
    ],
  );
});

describe('the week wraps: Sun 22:00–02:00 runs into Monday', () => {
  table(
    [{ days: ['sun'], start: '22:00', end: '02:00' }],
    [
      ['Sunday night', '11T23:00', open('12T02:00')],
      ['Monday morning, from the Sunday before', '12T01:00', open('12T02:00')],
      ['Monday at the end', '12T02:00', closed('18T22:00')],
      ['Monday just after midnight, a week earlier', '05T00:30', open('05T02:00')],
    ],
  );
});

describe('overlapping windows merge: until is the end of the union', () => {
  table(
    [
      { days: ['mon'], start: '08:00', end: '12:00' },
      { days: ['mon'], start: '10:00', end: '14:00' },
      { days: ['mon'], start: '13:00', end: '13:30' },
    ],
    [
      ['in the first', '05T09:00', open('05T14:00')],
      ['in all three', '05T13:15', open('05T14:00')],
      ['in the second only', '05T13:45', open('05T14:00')],
      ['after', '05T14:00', closed('12T08:00')],
    ],
  );
});

describe('adjacent windows merge: Fri 18:00–22:00 then Fri 22:00–06:00', () => {
  table(
    [
      { days: ['fri'], start: '18:00', end: '22:00' },
      { days: ['fri'], start: '22:00', end: '06:00' },
    ],
    [
      ['in the evening window', '09T19:00', open('10T06:00')],
      ['at the seam', '09T22:00', open('10T06:00')],
    ],
  );
});

describe('a chain over days: office hours, Friday night, Saturday morning', () => {
  table(
    [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
      { days: ['fri'], start: '18:00', end: '22:00' },
      { days: ['fri'], start: '22:00', end: '06:00' },
      { days: ['sat'], start: '06:00', end: '12:00' },
    ],
    [
      ['Friday morning follows the chain to Saturday noon', '09T09:00', open('10T12:00')],
      ['Thursday stops at 18:00', '08T09:00', open('08T18:00')],
      ['Saturday noon', '10T12:00', closed('12T08:00')],
    ],
  );
});

describe('nights every day plus weekday days: open from Monday to Saturday morning', () => {
  table(
    [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '08:00' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
    ],
    [
      ['Monday morning', '05T09:00', open('10T08:00')],
      ['Sunday night', '11T20:00', open('17T08:00')],
      ['Saturday daytime', '10T09:00', closed('10T18:00')],
    ],
  );
});

describe('a 24-hour window: start equal to end', () => {
  table(
    [{ days: ['wed'], start: '06:00', end: '06:00' }],
    [
      ['Wednesday 06:00', '07T06:00', open('08T06:00')],
      ['Thursday 05:59', '08T05:59', open('08T06:00')],
      ['Thursday 06:00', '08T06:00', closed('14T06:00')],
    ],
  );
});

describe('windows that leave no gap in the week', () => {
  it.each([
    [
      'every day, all day',
      [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00' }],
    ],
    [
      'every day, 06:00 to 06:00',
      [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '06:00', end: '06:00' }],
    ],
    [
      'halves that meet',
      [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '12:00' },
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '12:00', end: '00:00' },
      ],
    ],
  ] as const)('%s: open with no end, unless the agreement ends', (_name, windows) => {
    const p = policy({
      mode: 'schedule',
      windows: windows.map((w) => ({ ...w, days: [...w.days] })),
    });
    expect(summary(ask(p, local('07T03:00')))).toBe(allowedUntil(null));
    const ending = policy({ ...p, validUntil: '2026-02-01' });
    expect(summary(ask(ending, local('07T03:00')))).toBe(allowedUntil('2026-02-02T00:00-05:00'));
  });

  it('a single missing day is still a gap', () => {
    const p = policy({
      mode: 'schedule',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '00:00' }],
    });
    expect(summary(ask(p, local('05T03:00')))).toBe(open('11T00:00'));
    expect(summary(ask(p, local('11T03:00')))).toBe(closed('12T00:00'));
  });
});

describe('the agreement bounds the schedule', () => {
  const overnight = [{ days: ['fri' as const], start: '22:00', end: '06:00' }];

  it('cuts a window short at the end of the last day', () => {
    const p = policy({ mode: 'schedule', windows: overnight, validUntil: '2026-01-09' });
    expect(summary(ask(p, local('09T23:00')))).toBe(allowedUntil('2026-01-10T00:00-05:00'));
    expect(summary(ask(p, local('10T00:30')))).toBe(denied('after_end'));
  });

  it('has no next opening after the last day', () => {
    const p = policy({ mode: 'schedule', windows: overnight, validUntil: '2026-01-08' });
    expect(summary(ask(p, local('06T12:00')))).toBe(closed(null));
  });

  it.each([
    ['the first window of the first day', '2026-01-07', '05T09:00', '07T08:00'],
    // The first day opens partway through the Wednesday-night window: open from its midnight.
    ['already inside a window at the first midnight', '2026-01-08', '05T09:00', '08T00:00'],
    ['months ahead', '2026-06-01', '05T09:00', null],
  ] as const)('before the first day, next opens at %s', (_name, validFrom, at, next) => {
    const p = policy({
      mode: 'schedule',
      validFrom,
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
        { days: ['wed'], start: '22:00', end: '06:00' },
      ],
    });
    const expected = next ? local(next) : '2026-06-01T08:00-04:00';
    expect(summary(ask(p, local(at)))).toBe(denied('before_start', expected));
  });
});

describe('no window in reach', () => {
  it('has no next opening when there are no windows', () => {
    const p = policy({ mode: 'schedule', windows: [] });
    expect(summary(ask(p, local('05T09:00')))).toBe(closed(null));
  });
});

describe('nothing is hard-wired to New York', () => {
  const p = policy({
    mode: 'schedule',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
  });
  // Monday 2026-06-01 00:00 UTC.
  const at = '2026-06-01T00:00Z';

  it.each([
    ['Australia/Sydney', 'Mon 10:00 AEST', allowedUntil('2026-06-01T18:00+10:00')],
    ['Europe/London', 'Mon 01:00 BST', denied('outside_window', '2026-06-01T08:00+01:00')],
    ['America/New_York', 'Sun 20:00 EDT', denied('outside_window', '2026-06-01T08:00-04:00')],
    ['Asia/Kolkata', 'Mon 05:30 IST', denied('outside_window', '2026-06-01T08:00+05:30')],
    ['Pacific/Auckland', 'Mon 12:00 NZST', allowedUntil('2026-06-01T18:00+12:00')],
  ])('%s (%s)', (tz, _wall, expected) => {
    expect(summary(ask(p, at, { tz }))).toBe(expected);
  });
});
