import { describe, expect, it } from 'vitest';
import type { SharingPolicySchema } from '../../../shared/domain/sharingPolicy';
import type { z } from 'zod';
import {
  describeDays,
  describeWindow,
  formatWhen,
} from '../../../shared/policy/describeSharingPolicy';
import { describeSharingPolicy } from '../../../shared/policy/evaluateSharingPolicy';
import { NY, policy } from './policyCases';

type Input = z.input<typeof SharingPolicySchema>;
const office = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' } as const;
const weekdaysOffice = { ...office, days: [...office.days] };

describe('describeSharingPolicy', () => {
  it.each<[string, Input, string | undefined, string]>([
    ['always', { mode: 'always' }, NY, 'Owner shares live video at all times.'],
    [
      'alarm, with recordings',
      { mode: 'alarm', recordings: true },
      NY,
      'Owner shares live video and recordings only while their alarm is raised.',
    ],
    [
      'a schedule, everything shared, dates',
      {
        mode: 'schedule',
        windows: [weekdaysOffice],
        recordings: true,
        ptz: true,
        validFrom: '2026-03-01',
        validUntil: '2026-12-31',
      },
      NY,
      'Owner shares live video, recordings and PTZ control Mon–Fri 08:00–18:00 (America/New_York), from Sun 1 Mar 2026 to Thu 31 Dec 2026.',
    ],
    [
      'a schedule with the alarm too, until a date',
      {
        mode: 'schedule',
        windows: [weekdaysOffice, { days: ['fri'], start: '22:00', end: '06:00' }],
        alsoDuringAlarm: true,
        validUntil: '2026-12-31',
      },
      NY,
      'Owner shares live video Mon–Fri 08:00–18:00 and Fri 22:00–06:00 (America/New_York) or while their alarm is raised, until Thu 31 Dec 2026.',
    ],
    [
      'no zone given',
      { mode: 'schedule', windows: [weekdaysOffice], validFrom: '2026-03-01' },
      undefined,
      'Owner shares live video Mon–Fri 08:00–18:00, from Sun 1 Mar 2026.',
    ],
    [
      'recordings only; PTZ without live video is no PTZ',
      { mode: 'always', live: false, recordings: true, ptz: true },
      NY,
      'Owner shares recordings at all times.',
    ],
    [
      'nothing at all',
      { mode: 'always', live: false },
      NY,
      'Owner shares nothing from this camera.',
    ],
    ['withdrawn', { mode: 'always', withdrawn: true }, NY, 'Owner withdrew sharing.'],
    [
      'a schedule with no windows',
      { mode: 'schedule' },
      NY,
      'Owner shares live video on a schedule with no windows.',
    ],
  ])('%s', (_name, input, tz, expected) => {
    expect(describeSharingPolicy(policy(input), tz)).toBe(expected);
  });

  it('spells out every window, however many', () => {
    const many = policy({
      mode: 'schedule',
      windows: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
        days: [day],
        start: '08:00',
        end: '09:00',
      })),
    });
    expect(describeSharingPolicy(many)).toContain('Thu 08:00–09:00 and Fri 08:00–09:00');
  });
});

describe('describeDays', () => {
  it.each([
    [['mon', 'tue', 'wed', 'thu', 'fri'], 'Mon–Fri'],
    [['sat', 'sun'], 'Sat, Sun'],
    [['fri', 'mon', 'wed', 'thu'], 'Mon, Wed–Fri'],
    [['sun', 'sat', 'fri', 'thu', 'wed', 'tue', 'mon'], 'daily'],
    [['tue', 'tue'], 'Tue'],
    [['mon', 'wed', 'fri'], 'Mon, Wed, Fri'],
  ])('%j reads %s', (days, expected) => {
    expect(describeDays(days)).toBe(expected);
  });
});

describe('describeWindow', () => {
  it.each([
    [{ days: ['fri'], start: '22:00', end: '06:00' }, 'Fri 22:00–06:00'],
    [{ days: ['sat'], start: '00:00', end: '00:00' }, 'Sat all day'],
    [{ days: ['sun'], start: '06:00', end: '06:00' }, 'Sun 24 h from 06:00'],
  ] as const)('%j reads %s', (w, expected) => {
    expect(describeWindow({ ...w, days: [...w.days] })).toBe(expected);
  });
});

describe('formatWhen', () => {
  // Monday 5 January 2026, 09:00 in New York.
  const now = Date.parse('2026-01-05T09:00-05:00');
  it.each([
    ['2026-01-05T18:00-05:00', 'today 18:00'],
    ['2026-01-06T08:00-05:00', 'Tue 08:00'],
    ['2026-01-11T23:59-05:00', 'Sun 23:59'],
    ['2026-01-12T08:00-05:00', 'Mon 12 Jan 08:00'],
    // On the agency's clock: 03:00Z on the 6th is still the evening of the 5th.
    ['2026-01-06T03:00Z', 'today 22:00'],
  ])('%s reads %s', (iso, expected) => {
    expect(formatWhen(Date.parse(iso), now, NY)).toBe(expected);
  });
});
