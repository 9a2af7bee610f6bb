import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type ScheduleWindow } from '../../../shared/domain/sharingPolicy';
import { ask, policy } from './policyCases';

/**
 * The evaluator against a brute-force reading of the same windows: at each instant, look at the
 * agency's clock and ask whether any window covers that weekday and time. In weeks with no
 * daylight-saving change the two must agree exactly, on whether it is open, on `until` (the first
 * closed instant after an open one) and on `nextOpen` (the first open instant after a closed one).
 *
 * The windows are generated from a fixed seed on a 30-minute grid; the oracle is sampled every
 * 5 minutes, so every boundary lands on a sample.
 */

const MINUTE = 60_000;
const STEP = 5 * MINUTE;
const DAY = 86_400_000;

/** Weekday (0 = Monday) and minute of the day on the zone's clock, read straight from Intl. */
const clocks = new Map<string, Intl.DateTimeFormat>();
function clock(at: number, timeZone: string): { weekday: number; minute: number } {
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  return { weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function covers(windows: readonly ScheduleWindow[], weekday: number, minute: number): boolean {
  const today = WEEKDAYS[weekday];
  const yesterday = WEEKDAYS[(weekday + 6) % 7];
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return windows.some((w) => {
    const s = minutes(w.start);
    const e = minutes(w.end);
    if (e > s) return !!today && w.days.includes(today) && minute >= s && minute < e;
    // Runs past midnight (or a full day when start equals end).
    return (
      (!!today && w.days.includes(today) && minute >= s) ||
      (!!yesterday && w.days.includes(yesterday) && minute < e)
    );
  });
}

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomWindows(next: () => number): ScheduleWindow[] {
  const count = 1 + Math.floor(next() * 4);
  const halfHour = () => {
    const slot = Math.floor(next() * 48);
    return `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`;
  };
  return Array.from({ length: count }, () => {
    const days = WEEKDAYS.filter(() => next() < 0.4);
    return { days: days.length ? [...days] : ['wed' as const], start: halfHour(), end: halfHour() };
  });
}

const handWritten: ScheduleWindow[][] = [
  [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
  [
    { days: ['fri'], start: '18:00', end: '22:00' },
    { days: ['fri'], start: '22:00', end: '06:00' },
    { days: ['sun'], start: '22:00', end: '02:00' },
  ],
  [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '08:00' },
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
  ],
  [{ days: ['sat', 'sun'], start: '12:00', end: '12:00' }],
];

const next = random(20_260_308);
const generated = Array.from({ length: 6 }, () => randomWindows(next));

// Two weeks with no clock change in each zone: New York in January (-05:00), Kolkata (+05:30,
// never changes), Kathmandu (+05:45). Every policy runs in New York; a few elsewhere, to show the
// odd offsets change nothing. (Two cores are shared: the full cross product adds little.)
const all = [...handWritten, ...generated];
const cases = [
  ['America/New_York', '2026-01-05T05:00:00Z', all],
  ['Asia/Kolkata', '2026-07-05T18:30:00Z', [all[1], all[6], all[8]]],
  ['Asia/Kathmandu', '2026-03-01T18:15:00Z', [all[2], all[7], all[9]]],
] as const;

describe.each(cases)('evaluator and brute force agree in %s', (timeZone, startIso, policies) => {
  const start = Date.parse(startIso);
  const rows = policies.flatMap((w) => (w ? [[JSON.stringify(w), w] as const] : []));
  it.each(rows)('windows %s', (_json, windows) => {
    const p = policy({ mode: 'schedule', windows });
    // Sixteen days of the oracle: a week of queries, each looking up to eight days ahead.
    const samples = (16 * DAY) / STEP;
    const grid = Array.from({ length: samples }, (_, k) => {
      const c = clock(start + k * STEP, timeZone);
      return covers(windows, c.weekday, c.minute);
    });
    const firstFrom = (k: number, value: boolean) => {
      for (let j = k; j < samples; j++) if (grid[j] === value) return j;
      return -1;
    };
    const lookahead = (8 * DAY) / STEP;
    // Every 30 minutes through a week (every boundary among them), and a millisecond either
    // side of each `until` and `nextOpen` found.
    for (let k = 0; k < (7 * DAY) / STEP; k += 6) {
      const at = start + k * STEP;
      const d = ask(p, at, { tz: timeZone });
      expect(d.allowed, `open at ${new Date(at).toISOString()}`).toBe(grid[k]);
      if (d.allowed) {
        const end = firstFrom(k, false);
        const expected = end === -1 || end - k > lookahead ? null : start + end * STEP;
        expect(d.until, `until, from ${new Date(at).toISOString()}`).toBe(expected);
        if (d.until !== null) {
          expect(ask(p, d.until - 1, { tz: timeZone }).allowed).toBe(true);
          expect(ask(p, d.until, { tz: timeZone }).allowed).toBe(false);
        }
      } else {
        const opens = firstFrom(k, true);
        const expected = opens === -1 || opens - k > lookahead ? null : start + opens * STEP;
        expect(d.nextOpen, `next open, from ${new Date(at).toISOString()}`).toBe(expected);
        if (d.nextOpen !== null) {
          expect(ask(p, d.nextOpen - 1, { tz: timeZone }).allowed).toBe(false);
          expect(ask(p, d.nextOpen, { tz: timeZone }).allowed).toBe(true);
        }
      }
    }
  });
});
