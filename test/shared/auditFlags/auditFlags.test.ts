import { describe, expect, it } from 'vitest';
import {
  activityFromRows,
  computeAuditFlags,
  DEFAULT_AUDIT_FLAG_SETTINGS,
  flagKey,
  parseFlagKey,
  type AuditFlagSettings,
  type FlagSourceRow,
} from '../../../shared/domain/auditFlags';
import { ManualClock } from '../../../shared/time/clock';
import { instantOf } from '../../../shared/time/zonedTime';

/**
 * Each flag raised at its threshold and not just below it, on seeded histories, with the clock
 * injected (docs/audit-review.md).
 */

const TZ = 'America/New_York';
const AGENCY = {
  timeZone: TZ,
  shifts: [
    { name: 'Day', start: '06:00' },
    { name: 'Night', start: '18:00' },
  ],
};
const PRIVATE = 'cam-private';
const AGENCY_CAM = 'cam-agency';

/** A local wall time in the agency's zone, as an instant. */
const local = (date: string, hour: number, minute = 0) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return instantOf({ year, month, day, hour, minute, second: 0 }, TZ);
};

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

let nextId = 1;
function view(
  at: number,
  opts: { user?: string; camera?: string; reference?: string; outcome?: string } = {},
): FlagSourceRow {
  return {
    id: nextId++,
    at: new Date(at).toISOString(),
    actorId: opts.user ?? 'u1',
    actorName: opts.user === undefined ? 'analyst.one' : `${opts.user}.name`,
    action: 'stream.grant',
    targetType: 'camera',
    targetId: opts.camera ?? AGENCY_CAM,
    outcome: opts.outcome ?? 'success',
    details: {
      reason: opts.reference
        ? { code: 'investigation_follow_up', reference: opts.reference }
        : { code: 'event_situational_awareness' },
    },
  };
}

function reveal(at: number, camera: string, user = 'u1'): FlagSourceRow {
  return {
    id: nextId++,
    at: new Date(at).toISOString(),
    actorId: user,
    actorName: 'analyst.one',
    action: 'camera.owner_contact.reveal',
    targetType: 'camera',
    targetId: camera,
    outcome: 'success',
    details: { reason: { code: 'investigation_follow_up', reference: '2026-000123' } },
  };
}

const DAY = '2026-11-20';

function flagsOf(
  rows: FlagSourceRow[],
  opts: {
    settings?: Partial<AuditFlagSettings>;
    from?: number;
    to?: number;
    now?: number;
    pulled?: Map<string, number>;
  } = {},
) {
  const from = opts.from ?? local(DAY, 0);
  const to = opts.to ?? local(addDays(DAY, 1), 0);
  return computeAuditFlags(
    {
      activity: activityFromRows(rows, AGENCY, new Set([PRIVATE])),
      from,
      to,
      settings: { ...DEFAULT_AUDIT_FLAG_SETTINGS, ...opts.settings },
      agency: AGENCY,
      pulledCameras: opts.pulled ?? new Map(),
      cameraNames: new Map([[PRIVATE, 'Corner store doorbell']]),
    },
    new ManualClock(opts.now ?? local(addDays(DAY, 2), 0)),
  );
}

const kinds = (flags: { kind: string }[]) => flags.map((f) => f.kind);

describe('views without a case number', () => {
  const views = (n: number, reference?: string) =>
    Array.from({ length: n }, (_, i) =>
      view(local(DAY, 9, i % 60), reference ? { reference } : {}),
    );

  it('is raised above the threshold and explains it', () => {
    const flags = flagsOf(views(11));
    expect(kinds(flags)).toEqual(['no_case_views']);
    expect(flags[0]!.explanation).toBe(
      "analyst.one made 11 camera views without a case or incident number on 2026-11-20; the agency's threshold is 10 a day.",
    );
    expect(flags[0]!.key).toBe(flagKey('no_case_views', 'u1', DAY));
  });

  it('is not raised at the threshold, nor by views that name a case', () => {
    expect(flagsOf(views(10))).toEqual([]);
    expect(flagsOf([...views(10), ...views(30, '2026-000123')])).toEqual([]);
  });

  it('does not count refused views', () => {
    const refused = views(5).map((r) => ({ ...r, outcome: 'denied' }));
    expect(flagsOf([...views(10), ...refused])).toEqual([]);
  });

  it('follows the agency threshold', () => {
    expect(kinds(flagsOf(views(6), { settings: { noCaseViewsPerDay: 5 } }))).toEqual([
      'no_case_views',
    ]);
  });

  it('judges a range up to the clock: a day that has not begun is not judged', () => {
    const rows = views(11);
    expect(kinds(flagsOf(rows, { now: local(DAY, 12) }))).toEqual(['no_case_views']);
    expect(flagsOf(rows, { now: local(addDays(DAY, -1), 23) })).toEqual([]);
  });
});

describe('the same private camera on many days without a case', () => {
  const onDays = (days: string[], camera = PRIVATE, reference?: string) =>
    days.map((d) => view(local(d, 10), { camera, ...(reference ? { reference } : {}) }));

  it('is raised on the day the user reaches the threshold of days within the window', () => {
    const flags = flagsOf(onDays([addDays(DAY, -20), addDays(DAY, -9), DAY]));
    expect(kinds(flags)).toEqual(['private_camera_days']);
    expect(flags[0]!.cameraId).toBe(PRIVATE);
    expect(flags[0]!.explanation).toContain('"Corner store doorbell"');
    expect(flags[0]!.explanation).toContain('on 3 days within 30 days');
  });

  it('is not raised one day short, outside the window, for an agency camera or with a case', () => {
    expect(flagsOf(onDays([addDays(DAY, -9), DAY]))).toEqual([]);
    expect(flagsOf(onDays([addDays(DAY, -40), addDays(DAY, -31), DAY]))).toEqual([]);
    expect(flagsOf(onDays([addDays(DAY, -20), addDays(DAY, -9), DAY], AGENCY_CAM))).toEqual([]);
    expect(
      flagsOf(onDays([addDays(DAY, -20), addDays(DAY, -9), DAY], PRIVATE, '2026-000123')),
    ).toEqual([]);
  });

  it('raises one flag for one habit, not one a day', () => {
    const days = [0, 1, 2, 3, 4].map((n) => addDays(DAY, n));
    const flags = flagsOf(onDays(days), {
      from: local(DAY, 0),
      to: local(addDays(DAY, 5), 0),
      now: local(addDays(DAY, 6), 0),
    });
    expect(flags.map((f) => f.date)).toEqual([addDays(DAY, 2)]);
  });
});

describe('views outside the usual shift', () => {
  /** Views on the Day shift for `n` days before DAY. */
  const dayShifts = (n: number) =>
    Array.from({ length: n }, (_, i) => view(local(addDays(DAY, -(i + 1)), 10)));

  it('is raised for views on a shift other than the one the user works', () => {
    const flags = flagsOf([...dayShifts(5), view(local(DAY, 23))]);
    expect(kinds(flags)).toEqual(['outside_shift']);
    expect(flags[0]!.explanation).toBe(
      'analyst.one made 1 camera view during the Night shift of 2026-11-20; 100 % of the 5 shifts they viewed cameras on in the 28 days before were Day shifts.',
    );
    expect(flags[0]!.from).toBe(new Date(local(DAY, 18)).toISOString());
    expect(flags[0]!.to).toBe(new Date(local(addDays(DAY, 1), 6)).toISOString());
  });

  it('dates a night view after midnight by the shift it belongs to', () => {
    // The baseline of the night of DAY-1 is the five days before DAY-1.
    const flags = flagsOf([...dayShifts(6), view(local(DAY, 2))]);
    expect(flags.map((f) => f.key)).toEqual([
      flagKey('outside_shift', 'u1', addDays(DAY, -1), 'Night'),
    ]);
  });

  it('is not raised on the usual shift, with too short a history, or without a clear usual', () => {
    expect(flagsOf([...dayShifts(5), view(local(DAY, 10))])).toEqual([]);
    expect(flagsOf([...dayShifts(4), view(local(DAY, 23))])).toEqual([]);
    // Four Day shifts and one Night shift: 80 %, at the share, is a usual…
    const mixed = [...dayShifts(4), view(local(addDays(DAY, -6), 20)), view(local(DAY, 23))];
    expect(kinds(flagsOf(mixed))).toEqual(['outside_shift']);
    // …and above the share set, it is not.
    expect(flagsOf(mixed, { settings: { usualShiftShare: 0.81 } })).toEqual([]);
  });
});

describe('volume far above the usual', () => {
  const history = (perDay: number, days = 5) =>
    Array.from({ length: days }, (_, i) =>
      Array.from({ length: perDay }, (_, k) =>
        view(local(addDays(DAY, -(i + 1)), 8 + (k % 9)), { reference: '2026-000123' }),
      ),
    ).flat();
  const today = (n: number) =>
    Array.from({ length: n }, (_, k) =>
      view(local(DAY, 7 + (k % 10)), { reference: '2026-000123' }),
    );

  it('is raised above the factor times the usual daily views', () => {
    const flags = flagsOf([...history(15), ...today(46)]);
    expect(kinds(flags)).toEqual(['volume']);
    expect(flags[0]!.explanation).toContain(
      '46 camera views on 2026-11-20, 3.1 times their usual 15 a day',
    );
  });

  it('is not raised at the factor, below the minimum, or without a history', () => {
    expect(flagsOf([...history(15), ...today(45)])).toEqual([]);
    expect(flagsOf([...history(5), ...today(39)])).toEqual([]);
    expect(flagsOf([...history(15, 4), ...today(100)])).toEqual([]);
  });
});

describe('owner-contact reveals without a pull', () => {
  it('is raised when no pull listed the camera before the reveal', () => {
    const r = reveal(local(DAY, 11), PRIVATE);
    const flags = flagsOf([r]);
    expect(kinds(flags)).toEqual(['reveal_without_pull']);
    expect(flags[0]!.auditId).toBe(r.id);
    expect(flags[0]!.explanation).toContain(
      'revealed the owner\'s contact of "Corner store doorbell" (reason: investigation follow up, 2026-000123)',
    );
    // A pull logged only after the reveal does not cover it.
    expect(kinds(flagsOf([r], { pulled: new Map([[PRIVATE, local(DAY, 11) + 1]]) }))).toEqual([
      'reveal_without_pull',
    ]);
  });

  it('is not raised when a pull listed the camera before (or as) the reveal', () => {
    const at = local(DAY, 11);
    expect(flagsOf([reveal(at, PRIVATE)], { pulled: new Map([[PRIVATE, at]]) })).toEqual([]);
  });
});

describe('flag keys', () => {
  it('round-trip, escaping the separator, and refuse anything else', () => {
    const key = flagKey('private_camera_days', 'u|1', DAY, 'cam|x');
    expect(parseFlagKey(key)).toEqual({
      kind: 'private_camera_days',
      actorId: 'u|1',
      date: DAY,
      extra: 'cam|x',
    });
    expect(parseFlagKey('no_case_views|u1|yesterday|')).toBeNull();
    expect(parseFlagKey('made_up|u1|2026-11-20|')).toBeNull();
    expect(parseFlagKey("' OR 1=1 --")).toBeNull();
    expect(parseFlagKey('no_case_views|%E0%A4%A|2026-11-20|')).toBeNull();
  });
});
