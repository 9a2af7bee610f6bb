import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../../shared/domain/sharingPolicy';
import { allowedUntil, ask, denied, policy, summary } from './policyCases';

/**
 * Wall-clock windows across daylight-saving changes. Every expected instant is written in UTC,
 * worked out by hand from the offsets before and after the change.
 *
 * The rule (see shared/policy/weeklySchedule.ts): a window boundary is the first instant the
 * agency's clock reaches it. A boundary in a skipped hour is the first instant after the gap; a
 * boundary in a repeated hour is its first occurrence, for a start and for an end alike.
 */

type Row = readonly [label: string, at: string, expected: string];

function table(windows: readonly ScheduleWindow[], rows: readonly Row[], tz = 'America/New_York') {
  const p = policy({ mode: 'schedule', windows: [...windows] });
  it.each(rows)('%s', (_label, at, expected) => {
    expect(summary(ask(p, at, { tz }))).toBe(expected);
  });
}

const open = allowedUntil;
const closed = (next: string | null) => denied('outside_window', next);

describe('New York springs forward, Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z', () => {
  describe('Sat 22:00–06:00 spans the change and lasts 7 hours', () => {
    table(
      [{ days: ['sat'], start: '22:00', end: '06:00' }],
      [
        // 22:00 EST = 03:00Z; 06:00 EDT = 10:00Z.
        ['Saturday 23:00 EST', '2026-03-08T04:00Z', open('2026-03-08T10:00Z')],
        ['05:59 EDT', '2026-03-08T09:59Z', open('2026-03-08T10:00Z')],
        ['06:00 EDT', '2026-03-08T10:00Z', closed('2026-03-15T02:00Z')],
      ],
    );
  });

  describe('Sun 01:00–03:00 touches the gap and lasts 1 hour', () => {
    table(
      [{ days: ['sun'], start: '01:00', end: '03:00' }],
      [
        ['00:59 EST', '2026-03-08T05:59Z', closed('2026-03-08T06:00Z')],
        ['01:00 EST', '2026-03-08T06:00Z', open('2026-03-08T07:00Z')],
        ['01:59:59 EST', '2026-03-08T06:59:59Z', open('2026-03-08T07:00Z')],
        // Next Sunday 01:00 is EDT.
        ['03:00 EDT', '2026-03-08T07:00Z', closed('2026-03-15T05:00Z')],
      ],
    );
  });

  describe('Sun 02:30–04:00 starts in the gap: it opens when the clock jumps to 03:00', () => {
    table(
      [{ days: ['sun'], start: '02:30', end: '04:00' }],
      [
        ['01:59 EST', '2026-03-08T06:59Z', closed('2026-03-08T07:00Z')],
        ['03:00 EDT', '2026-03-08T07:00Z', open('2026-03-08T08:00Z')],
        ['03:30 EDT', '2026-03-08T07:30Z', open('2026-03-08T08:00Z')],
      ],
    );
  });

  describe('Sat 22:00–02:30 ends in the gap: it closes when the clock jumps to 03:00', () => {
    table(
      [{ days: ['sat'], start: '22:00', end: '02:30' }],
      [
        ['01:30 EST', '2026-03-08T06:30Z', open('2026-03-08T07:00Z')],
        ['03:00 EDT', '2026-03-08T07:00Z', closed('2026-03-15T02:00Z')],
      ],
    );
  });

  describe('Sun 02:10–02:40 lies wholly in the gap: it does not happen that night', () => {
    table(
      [{ days: ['sun'], start: '02:10', end: '02:40' }],
      [
        // The next Sunday it happens, in EDT.
        ['01:30 EST', '2026-03-08T06:30Z', closed('2026-03-15T06:10Z')],
        ['03:00 EDT', '2026-03-08T07:00Z', closed('2026-03-15T06:10Z')],
        ['the Sunday before, in EST', '2026-03-01T07:20Z', open('2026-03-01T07:40Z')],
      ],
    );
  });

  describe('windows that meet at 02:00 still meet across the gap', () => {
    table(
      [
        { days: ['sat'], start: '20:00', end: '02:00' },
        { days: ['sun'], start: '02:00', end: '05:00' },
      ],
      [
        // Sat 20:00 EST = 01:00Z Sunday; Sun 05:00 EDT = 09:00Z.
        ['Saturday 21:00 EST', '2026-03-08T02:00Z', open('2026-03-08T09:00Z')],
        ['03:00 EDT, at the seam', '2026-03-08T07:00Z', open('2026-03-08T09:00Z')],
      ],
    );
  });

  describe('the whole of Sunday is 23 hours long', () => {
    table(
      [{ days: ['sun'], start: '00:00', end: '00:00' }],
      [
        ['Sunday 00:00 EST', '2026-03-08T05:00Z', open('2026-03-09T04:00Z')],
        ['Monday 00:00 EDT', '2026-03-09T04:00Z', closed('2026-03-15T04:00Z')],
      ],
    );
  });
});

describe('New York falls back, Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z', () => {
  describe('Sat 22:00–06:00 spans the change and lasts 9 hours', () => {
    table(
      [{ days: ['sat'], start: '22:00', end: '06:00' }],
      [
        // 22:00 EDT = 02:00Z; 06:00 EST = 11:00Z.
        ['Saturday 23:00 EDT', '2026-11-01T03:00Z', open('2026-11-01T11:00Z')],
        ['the second 01:30', '2026-11-01T06:30Z', open('2026-11-01T11:00Z')],
        ['06:00 EST', '2026-11-01T11:00Z', closed('2026-11-08T03:00Z')],
      ],
    );
  });

  describe('Sun 01:00–03:00 covers both passes through 01:xx and lasts 3 hours', () => {
    table(
      [{ days: ['sun'], start: '01:00', end: '03:00' }],
      [
        ['00:59 EDT', '2026-11-01T04:59Z', closed('2026-11-01T05:00Z')],
        ['the first 01:00', '2026-11-01T05:00Z', open('2026-11-01T08:00Z')],
        ['the second 01:00', '2026-11-01T06:00Z', open('2026-11-01T08:00Z')],
        ['03:00 EST', '2026-11-01T08:00Z', closed('2026-11-08T06:00Z')],
      ],
    );
  });

  describe('Sun 01:30–04:00 opens at the first 01:30 and stays open through the second', () => {
    table(
      [{ days: ['sun'], start: '01:30', end: '04:00' }],
      [
        ['the first 01:29', '2026-11-01T05:29Z', closed('2026-11-01T05:30Z')],
        ['the first 01:30', '2026-11-01T05:30Z', open('2026-11-01T09:00Z')],
        ['the second 01:15', '2026-11-01T06:15Z', open('2026-11-01T09:00Z')],
      ],
    );
  });

  describe('Sat 22:00–01:30 closes at the first 01:30 and does not reopen in the second pass', () => {
    table(
      [{ days: ['sat'], start: '22:00', end: '01:30' }],
      [
        ['the first 01:29:59', '2026-11-01T05:29:59Z', open('2026-11-01T05:30Z')],
        ['the first 01:45', '2026-11-01T05:45Z', closed('2026-11-08T03:00Z')],
        ['the second 01:15', '2026-11-01T06:15Z', closed('2026-11-08T03:00Z')],
      ],
    );
  });

  describe('Sun 00:00–01:30 is not reopened by the second 01:00–01:30 either', () => {
    table(
      [{ days: ['sun'], start: '00:00', end: '01:30' }],
      [
        ['00:30 EDT', '2026-11-01T04:30Z', open('2026-11-01T05:30Z')],
        ['the second 01:10', '2026-11-01T06:10Z', closed('2026-11-08T05:00Z')],
      ],
    );
  });

  describe('Sun 01:00–02:00 ends when the clock first shows 02:00, after the second pass', () => {
    table(
      [{ days: ['sun'], start: '01:00', end: '02:00' }],
      [
        ['the first 01:30', '2026-11-01T05:30Z', open('2026-11-01T07:00Z')],
        ['the second 01:59', '2026-11-01T06:59Z', open('2026-11-01T07:00Z')],
        ['02:00 EST', '2026-11-01T07:00Z', closed('2026-11-08T06:00Z')],
      ],
    );
  });

  describe('the whole of Sunday is 25 hours long', () => {
    table(
      [{ days: ['sun'], start: '00:00', end: '00:00' }],
      [
        ['Sunday 00:00 EDT', '2026-11-01T04:00Z', open('2026-11-02T05:00Z')],
        ['Sunday 23:59 EST', '2026-11-02T04:59Z', open('2026-11-02T05:00Z')],
      ],
    );
  });

  describe('an always-open week is not broken by the repeated hour', () => {
    table(
      [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '01:30', end: '01:30' }],
      [['the second 01:10', '2026-11-01T06:10Z', open(null)]],
    );
  });
});

describe('the end of the agreement on a change day', () => {
  it('runs to the local midnight after the last day, however long that day is', () => {
    const p = policy({
      mode: 'schedule',
      validUntil: '2026-11-01',
      windows: [{ days: ['sun'], start: '20:00', end: '06:00' }],
    });
    // Midnight after the 25-hour day is 05:00Z.
    expect(summary(ask(p, '2026-11-02T02:00Z'))).toBe(open('2026-11-02T05:00Z'));
  });
});

describe('Sydney springs forward, Sunday 2026-10-04: 02:00 AEST becomes 03:00 AEDT at 16:00Z', () => {
  table(
    [
      { days: ['sat'], start: '22:00', end: '06:00' },
      { days: ['sun'], start: '02:15', end: '02:45' },
    ],
    [
      // 22:00 AEST = 12:00Z; 06:00 AEDT = 19:00Z: 7 hours.
      ['Saturday 23:00 AEST', '2026-10-03T13:00Z', open('2026-10-03T19:00Z')],
      ['03:30 AEDT', '2026-10-03T16:30Z', open('2026-10-03T19:00Z')],
      // Next Saturday 22:00 AEDT = 11:00Z; the skipped window happens again the Sunday after.
      ['06:00 AEDT', '2026-10-03T19:00Z', closed('2026-10-10T11:00Z')],
    ],
    'Australia/Sydney',
  );
});

describe('London falls back, Sunday 2026-10-25: 02:00 BST becomes 01:00 GMT at 01:00Z', () => {
  table(
    [{ days: ['sun'], start: '01:00', end: '01:30' }],
    [
      ['the first 01:10 (BST)', '2026-10-25T00:10Z', open('2026-10-25T00:30Z')],
      ['the second 01:10 (GMT)', '2026-10-25T01:10Z', closed('2026-11-01T01:00Z')],
    ],
    'Europe/London',
  );
});
