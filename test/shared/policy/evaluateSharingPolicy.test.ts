import { describe, expect, it } from 'vitest';
import {
  SharingPolicySchema,
  type ScheduleWindow,
  type SharingAccess,
} from '../../../shared/domain/sharingPolicy';
import { NY, allowedUntil, ask, denied, policy, summary } from './policyCases';

// January 2026 in New York is EST (-05:00) throughout; 2026-01-05 is a Monday.
const weekdays: ScheduleWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
};

describe('mode always', () => {
  it('is allowed with no end when no dates are set', () => {
    expect(summary(ask(policy({ mode: 'always' }), '2026-01-05T03:00-05:00'))).toBe(
      allowedUntil(null),
    );
  });

  it.each([
    // validUntil is inclusive in local time: 23:30 on the last day is already the next day in UTC.
    ['2026-12-31T23:30-05:00', allowedUntil('2027-01-01T00:00-05:00')],
    ['2026-12-31T23:59:59.999-05:00', allowedUntil('2027-01-01T00:00-05:00')],
    ['2027-01-01T00:00-05:00', denied('after_end')],
    ['2027-03-01T12:00-05:00', denied('after_end')],
    // validFrom is inclusive from local midnight; 22:00 the evening before is the day in UTC.
    ['2026-03-10T03:59:59.999Z', denied('before_start', '2026-03-10T00:00-04:00')],
    ['2026-03-09T22:00-04:00', denied('before_start', '2026-03-10T00:00-04:00')],
    ['2026-03-10T00:00-04:00', allowedUntil('2027-01-01T00:00-05:00')],
  ])('from 2026-03-10 until 2026-12-31 in New York, at %s: %s', (at, expected) => {
    const p = policy({ mode: 'always', validFrom: '2026-03-10', validUntil: '2026-12-31' });
    expect(summary(ask(p, at))).toBe(expected);
  });

  it('reads the dates on the agency clock, wherever that is', () => {
    const p = policy({ mode: 'always', validFrom: '2026-06-01', validUntil: '2026-06-30' });
    const sydney = { tz: 'Australia/Sydney' };
    // 2026-05-31T15:00Z is already 1 June 01:00 in Sydney but still 31 May in New York.
    expect(summary(ask(p, '2026-05-31T15:00Z', sydney))).toBe(
      allowedUntil('2026-07-01T00:00+10:00'),
    );
    expect(summary(ask(p, '2026-05-31T15:00Z'))).toBe(
      denied('before_start', '2026-06-01T00:00-04:00'),
    );
    expect(summary(ask(p, '2026-06-30T14:00Z', sydney))).toBe(denied('after_end'));
  });

  it('is allowed on the single day when the dates are the same day', () => {
    const p = policy({ mode: 'always', validFrom: '2026-03-08', validUntil: '2026-03-08' });
    // The spring-forward day is 23 hours long.
    expect(summary(ask(p, '2026-03-08T00:00-05:00'))).toBe(allowedUntil('2026-03-09T00:00-04:00'));
    expect(summary(ask(p, '2026-03-09T00:00-04:00'))).toBe(denied('after_end'));
  });

  it('never opens when the dates are the wrong way round', () => {
    const p = policy({ mode: 'always', validFrom: '2026-03-10', validUntil: '2026-03-01' });
    expect(summary(ask(p, '2026-02-20T12:00-05:00'))).toBe(denied('before_start'));
    expect(summary(ask(p, '2026-03-05T12:00-05:00'))).toBe(denied('after_end'));
  });
});

describe('mode alarm', () => {
  const p = policy({ mode: 'alarm' });

  it('is denied while no alarm is raised, with no way to know when one will be', () => {
    const d = ask(p, '2026-01-05T12:00-05:00');
    expect(summary(d)).toBe(denied('no_alarm'));
    expect(d.allowed || d.reason).toBe(
      'Owner shares this camera only while their alarm is raised.',
    );
  });

  it('is allowed while the alarm is raised, for as long as it lasts', () => {
    expect(summary(ask(p, '2026-01-05T12:00-05:00', { alarm: true }))).toBe(allowedUntil(null));
  });

  it('lapses at the end of the last day even if the alarm is still raised', () => {
    const dated = policy({ mode: 'alarm', validFrom: '2026-01-10', validUntil: '2026-01-20' });
    expect(summary(ask(dated, '2026-01-12T12:00-05:00', { alarm: true }))).toBe(
      allowedUntil('2026-01-21T00:00-05:00'),
    );
    expect(summary(ask(dated, '2026-01-21T00:00-05:00', { alarm: true }))).toBe(
      denied('after_end'),
    );
    // Before the first day the alarm would open it at local midnight, if it stays raised.
    expect(summary(ask(dated, '2026-01-09T23:00-05:00', { alarm: true }))).toBe(
      denied('before_start', '2026-01-10T00:00-05:00'),
    );
    expect(summary(ask(dated, '2026-01-09T23:00-05:00'))).toBe(denied('before_start'));
  });

  it('ignores any windows', () => {
    const withWindows = policy({ mode: 'alarm', windows: [weekdays] });
    expect(summary(ask(withWindows, '2026-01-05T09:00-05:00'))).toBe(denied('no_alarm'));
  });
});

describe('withdrawn', () => {
  const everything = {
    mode: 'always',
    live: true,
    recordings: true,
    ptz: true,
    withdrawn: true,
  } as const;

  it.each(['live', 'recordings', 'ptz'] as const)('wins over everything for %s', (access) => {
    for (const p of [
      policy(everything),
      policy({ ...everything, mode: 'alarm' }),
      policy({ ...everything, mode: 'schedule', windows: [weekdays], alsoDuringAlarm: true }),
      policy({ ...everything, validFrom: '2027-01-01' }),
      policy({ ...everything, validUntil: '2025-01-01' }),
      policy({ ...everything, live: false, recordings: false, ptz: false }),
    ]) {
      const d = ask(p, '2026-01-05T09:00-05:00', { access, alarm: true });
      expect(summary(d)).toBe(denied('withdrawn'));
      expect(d.allowed || d.reason).toBe('Owner withdrew sharing.');
    }
  });
});

describe('access kinds', () => {
  type Row = [string, { live: boolean; recordings: boolean; ptz: boolean }, SharingAccess, boolean];
  const rows: Row[] = [
    ['live only', { live: true, recordings: false, ptz: false }, 'live', true],
    ['live only', { live: true, recordings: false, ptz: false }, 'recordings', false],
    ['live only', { live: true, recordings: false, ptz: false }, 'ptz', false],
    ['recordings only', { live: false, recordings: true, ptz: false }, 'recordings', true],
    ['recordings only', { live: false, recordings: true, ptz: false }, 'live', false],
    ['live and PTZ', { live: true, recordings: false, ptz: true }, 'ptz', true],
    // PTZ needs live video too.
    ['PTZ without live', { live: false, recordings: true, ptz: true }, 'ptz', false],
    ['everything', { live: true, recordings: true, ptz: true }, 'recordings', true],
    ['nothing', { live: false, recordings: false, ptz: false }, 'live', false],
  ];

  it.each(rows)('%s, asking for %s: allowed %s', (_name, kinds, access, allowed) => {
    const d = ask(policy({ mode: 'always', ...kinds }), '2026-01-05T09:00-05:00', { access });
    expect(summary(d)).toBe(allowed ? allowedUntil(null) : denied('not_shared'));
  });

  it('says which kind is not shared', () => {
    const reason = (kinds: object, access: SharingAccess) => {
      const d = ask(policy({ mode: 'always', ...kinds }), '2026-01-05T09:00-05:00', { access });
      return d.allowed ? 'allowed' : d.reason;
    };
    expect(reason({ live: false }, 'live')).toBe(
      'Owner does not share live video from this camera.',
    );
    expect(reason({}, 'recordings')).toBe('Owner does not share recordings from this camera.');
    expect(reason({}, 'ptz')).toBe('Owner does not allow PTZ control of this camera.');
    expect(reason({ live: false, ptz: true }, 'ptz')).toBe(
      'Owner allows PTZ control only with live video, which they do not share.',
    );
  });

  it('puts what is shared before when it is shared', () => {
    const p = policy({ mode: 'always', validFrom: '2027-01-01' });
    expect(summary(ask(p, '2026-01-05T09:00-05:00', { access: 'recordings' }))).toBe(
      denied('not_shared'),
    );
  });

  it.each(['live', 'recordings', 'ptz'] as const)('applies the schedule to %s alike', (access) => {
    const p = policy({ mode: 'schedule', windows: [weekdays], recordings: true, ptz: true });
    expect(summary(ask(p, '2026-01-05T09:00-05:00', { access }))).toBe(
      allowedUntil('2026-01-05T18:00-05:00'),
    );
    expect(summary(ask(p, '2026-01-05T19:00-05:00', { access }))).toBe(
      denied('outside_window', '2026-01-06T08:00-05:00'),
    );
  });
});

describe('alsoDuringAlarm', () => {
  const p = policy({ mode: 'schedule', windows: [weekdays], alsoDuringAlarm: true });

  it.each([
    [
      'inside a window, no alarm',
      '2026-01-05T09:00-05:00',
      false,
      allowedUntil('2026-01-05T18:00-05:00'),
    ],
    [
      'outside, no alarm',
      '2026-01-05T19:00-05:00',
      false,
      denied('outside_window', '2026-01-06T08:00-05:00'),
    ],
    ['outside, alarm raised', '2026-01-05T19:00-05:00', true, allowedUntil(null)],
    // The alarm keeps it open past the window's end, so the window's end is not when it lapses.
    ['inside a window, alarm raised', '2026-01-05T09:00-05:00', true, allowedUntil(null)],
  ])('%s', (_name, at, alarm, expected) => {
    expect(summary(ask(p, at, { alarm }))).toBe(expected);
  });

  it('still ends with the agreement', () => {
    const dated = policy({ ...p, validUntil: '2026-01-05' });
    expect(summary(ask(dated, '2026-01-05T19:00-05:00', { alarm: true }))).toBe(
      allowedUntil('2026-01-06T00:00-05:00'),
    );
    expect(summary(ask(dated, '2026-01-06T01:00-05:00', { alarm: true }))).toBe(
      denied('after_end'),
    );
  });

  it('before the first day, would open at its midnight while the alarm stays raised', () => {
    const later = policy({ ...p, validFrom: '2026-01-07' });
    expect(summary(ask(later, '2026-01-05T19:00-05:00', { alarm: true }))).toBe(
      denied('before_start', '2026-01-07T00:00-05:00'),
    );
    expect(summary(ask(later, '2026-01-05T19:00-05:00'))).toBe(
      denied('before_start', '2026-01-07T08:00-05:00'),
    );
  });

  it('does nothing without the flag', () => {
    const plain = policy({ mode: 'schedule', windows: [weekdays] });
    expect(summary(ask(plain, '2026-01-05T19:00-05:00', { alarm: true }))).toBe(
      denied('outside_window', '2026-01-06T08:00-05:00'),
    );
  });
});

describe('reasons', () => {
  const reason = (p: ReturnType<typeof policy>, at: string, tz = NY) => {
    const d = ask(p, at, { tz });
    if (d.allowed) throw new Error('expected a denial');
    return d.reason;
  };
  const schedule = policy({ mode: 'schedule', windows: [weekdays] });

  it('names the windows, the zone and when it next opens', () => {
    // Saturday noon.
    expect(reason(schedule, '2026-01-10T12:00-05:00')).toBe(
      'Owner shares this camera Mon–Fri 08:00–18:00 (America/New_York); next opens Mon 08:00.',
    );
    // Monday before work: later today.
    expect(reason(schedule, '2026-01-05T06:00-05:00')).toBe(
      'Owner shares this camera Mon–Fri 08:00–18:00 (America/New_York); next opens today 08:00.',
    );
  });

  it('mentions the alarm when it would open the camera too', () => {
    const withAlarm = policy({ ...schedule, alsoDuringAlarm: true });
    expect(reason(withAlarm, '2026-01-05T19:00-05:00')).toBe(
      'Owner shares this camera Mon–Fri 08:00–18:00 (America/New_York) or while their alarm is raised; next opens Tue 08:00.',
    );
  });

  it('gives the date when the next opening is a week or more away', () => {
    const weekly = policy({
      mode: 'schedule',
      windows: [{ days: ['mon'], start: '08:00', end: '09:00' }],
    });
    expect(reason(weekly, '2026-01-05T10:00-05:00')).toBe(
      'Owner shares this camera Mon 08:00–09:00 (America/New_York); next opens Mon 12 Jan 08:00.',
    );
  });

  it('says when the agreement ends before the next window', () => {
    const ending = policy({ ...schedule, validUntil: '2026-01-10' });
    expect(reason(ending, '2026-01-09T19:00-05:00')).toBe(
      'Owner shares this camera Mon–Fri 08:00–18:00 (America/New_York); no window opens before sharing ends on Sat 10 Jan 2026.',
    );
  });

  it('counts a window opening the instant the agreement ends as no opening at all', () => {
    // The agreement covers Friday 9 January; the only window opens at Saturday 00:00, the first
    // instant after it.
    const p = policy({
      mode: 'schedule',
      windows: [{ days: ['sat'], start: '00:00', end: '06:00' }],
      validUntil: '2026-01-09',
    });
    expect(summary(ask(p, '2026-01-09T20:00-05:00'))).toBe(denied('outside_window'));
    expect(reason(p, '2026-01-09T20:00-05:00')).toBe(
      'Owner shares this camera Sat 00:00–06:00 (America/New_York); no window opens before sharing ends on Fri 9 Jan 2026.',
    );
  });

  it('says no window opens in the lookahead when there are no windows, dates or not', () => {
    const none = policy({ mode: 'schedule', windows: [] });
    const expected = /; no window opens in the next \d+ days\.$/;
    expect(reason(none, '2026-01-05T10:00-05:00')).toMatch(expected);
    expect(reason(policy({ ...none, validUntil: '2026-12-31' }), '2026-01-05T10:00-05:00')).toMatch(
      expected,
    );
    expect(summary(ask(none, '2026-01-05T10:00-05:00'))).toBe(denied('outside_window'));
  });

  it('before the first day, says nothing of a first opening when none falls inside the dates', () => {
    // Sharing is Saturday 10 January only; the windows are on Mondays.
    const p = policy({
      mode: 'schedule',
      windows: [{ days: ['mon'], start: '08:00', end: '09:00' }],
      validFrom: '2026-01-10',
      validUntil: '2026-01-10',
    });
    expect(summary(ask(p, '2026-01-05T10:00-05:00'))).toBe(denied('before_start'));
    expect(reason(p, '2026-01-05T10:00-05:00')).toBe(
      "Owner's sharing starts Sat 10 Jan 2026: Mon 08:00–09:00 (America/New_York).",
    );
  });

  it('counts windows beyond the first three rather than listing them all', () => {
    const many = policy({
      mode: 'schedule',
      windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
        days: [day as 'mon'],
        start: '08:00',
        end: '09:00',
      })),
    });
    expect(reason(many, '2026-01-10T12:00-05:00')).toBe(
      'Owner shares this camera Mon 08:00–09:00, Tue 08:00–09:00, Wed 08:00–09:00 and 2 more windows (America/New_York); next opens Mon 08:00.',
    );
  });

  it('explains the dates', () => {
    const dated = policy({ mode: 'always', validFrom: '2026-03-10', validUntil: '2026-12-31' });
    expect(reason(dated, '2026-03-01T12:00-05:00')).toBe("Owner's sharing starts Tue 10 Mar 2026.");
    expect(reason(dated, '2027-01-02T12:00-05:00')).toBe(
      'Owner shared this camera until Thu 31 Dec 2026.',
    );
    const alarm = policy({ mode: 'alarm', validFrom: '2026-03-10' });
    expect(reason(alarm, '2026-03-01T12:00-05:00')).toBe(
      "Owner's sharing starts Tue 10 Mar 2026, and then only while their alarm is raised.",
    );
    const scheduled = policy({ ...schedule, validFrom: '2026-03-10' });
    expect(reason(scheduled, '2026-03-01T12:00-05:00')).toBe(
      "Owner's sharing starts Tue 10 Mar 2026: Mon–Fri 08:00–18:00 (America/New_York); first opens Tue 10 Mar 08:00.",
    );
  });
});

describe('bad input', () => {
  it('refuses a zone that is not an IANA zone', () => {
    for (const p of [policy({ mode: 'always' }), policy({ mode: 'alarm', withdrawn: true })]) {
      expect(() => ask(p, 0, { tz: 'Nowhere/Atlantis' })).toThrow(
        '"Nowhere/Atlantis" is not an IANA time zone (such as America/New_York)',
      );
    }
  });

  it('refuses an instant that is not a number', () => {
    expect(() => ask(policy({ mode: 'always' }), Number.NaN)).toThrow('NaN is not an instant');
  });

  it('the schema refuses dates that are not on the calendar', () => {
    const r = SharingPolicySchema.safeParse({ mode: 'always', validUntil: '2026-02-30' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('not a date on the calendar');
    expect(
      SharingPolicySchema.safeParse({ mode: 'always', validUntil: '2028-02-29' }).success,
    ).toBe(true);
  });
});
