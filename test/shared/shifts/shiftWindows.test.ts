import { describe, expect, it } from 'vitest';
import { shiftAt, shiftInstance, shiftsBetween, timeInShift } from '../../../shared/domain/shifts';
import { formatIsoDate } from '../../../shared/time/zonedTime';

const NY = 'America/New_York';
const TWO = [
  { name: 'Night', start: '18:00' },
  { name: 'Day', start: '06:00' },
];
const THREE = [
  { name: 'Days', start: '07:00' },
  { name: 'Swing', start: '15:00' },
  { name: 'Mids', start: '23:00' },
];
const iso = (ms: number) => new Date(ms).toISOString();
const hours = (i: { startsAt: number; endsAt: number }) => (i.endsAt - i.startsAt) / 3_600_000;

describe('shift windows in the agency zone', () => {
  it('runs each shift to the next one, the last to the first of the next day', () => {
    const day = shiftInstance(TWO, { year: 2026, month: 11, day: 29 }, 'day', NY)!;
    expect(day.shift.name).toBe('Day');
    expect([iso(day.startsAt), iso(day.endsAt)]).toEqual([
      '2026-11-29T11:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
    ]);
    const night = shiftInstance(TWO, { year: 2026, month: 11, day: 29 }, 'Night', NY)!;
    expect(iso(night.endsAt)).toBe('2026-11-30T11:00:00.000Z');
    expect(shiftInstance(TWO, { year: 2026, month: 11, day: 29 }, 'Swing', NY)).toBeNull();
  });

  it('is an hour longer when the clocks go back and an hour shorter when they go forward', () => {
    // 1 November 2026: 02:00 EDT becomes 01:00 EST.
    const fallBack = shiftInstance(TWO, { year: 2026, month: 10, day: 31 }, 'Night', NY)!;
    expect(hours(fallBack)).toBe(13);
    expect(iso(fallBack.endsAt)).toBe('2026-11-01T11:00:00.000Z');
    // 8 March 2026: 02:00 EST becomes 03:00 EDT.
    const springForward = shiftInstance(TWO, { year: 2026, month: 3, day: 7 }, 'Night', NY)!;
    expect(hours(springForward)).toBe(11);
    const mids = shiftInstance(THREE, { year: 2026, month: 3, day: 7 }, 'Mids', NY)!;
    expect(hours(mids)).toBe(7);
  });

  it("finds the shift an instant falls in, yesterday evening's night shift included", () => {
    const at = (s: string) => shiftAt(TWO, Date.parse(s), NY);
    const early = at('2026-11-30T08:00:00Z'); // 03:00 local
    expect([formatIsoDate(early.date), early.shift.name]).toEqual(['2026-11-29', 'Night']);
    const noon = at('2026-11-30T17:00:00Z');
    expect([formatIsoDate(noon.date), noon.shift.name]).toEqual(['2026-11-30', 'Day']);
    const edge = at('2026-11-30T11:00:00Z'); // 06:00 exactly: the day shift has begun
    expect(edge.shift.name).toBe('Day');
    const mids = shiftAt(THREE, Date.parse('2026-11-30T05:00:00Z'), NY); // 00:00 local
    expect([formatIsoDate(mids.date), mids.shift.name]).toEqual(['2026-11-29', 'Mids']);
  });

  it('lists the shifts that overlap a range, in order', () => {
    const list = shiftsBetween(
      TWO,
      Date.parse('2026-11-29T05:00:00Z'),
      Date.parse('2026-11-30T05:00:00Z'),
      NY,
    ).map((i) => `${formatIsoDate(i.date)} ${i.shift.name}`);
    expect(list).toEqual(['2026-11-28 Night', '2026-11-29 Day', '2026-11-29 Night']);
  });

  it("places a time of day inside a shift: a night shift's small hours are the next day", () => {
    const night = shiftInstance(TWO, { year: 2026, month: 11, day: 29 }, 'Night', NY)!;
    expect(iso(timeInShift(night, 2, 10, NY)!)).toBe('2026-11-30T07:10:00.000Z');
    expect(iso(timeInShift(night, 19, 0, NY)!)).toBe('2026-11-30T00:00:00.000Z');
    expect(timeInShift(night, 12, 0, NY)).toBeNull();
  });
});
