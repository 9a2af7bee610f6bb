import { z } from 'zod';
import type { Shift } from './agency';
import { shiftAt, shiftInstance } from './shifts';
import type { Clock } from '../time/clock';
import {
  addDays,
  formatIsoDate,
  localDateOf,
  parseIsoDate,
  startOfLocalDay,
} from '../time/zonedTime';

/**
 * The audit review's flags (docs/audit-review.md): patterns in the trail that the critics of
 * camera networks ask a center to look at. Each is computed from the trail, explained in plain
 * words and listed for a reviewer; none of them says that anything wrong was done.
 *
 * The computation is pure: the server gathers the activity (in SQL on a large trail, or from
 * rows with `activityFromRows`) and `computeAuditFlags` decides, with the clock given.
 */

/** The thresholds, as the agency sets them (agency settings, section `auditFlags`). */
export const AuditFlagSettingsSchema = z
  .object({
    /** A user's camera views in one day without a case or incident number: more is flagged. */
    noCaseViewsPerDay: z.number().int().min(0).max(10_000).default(10),
    /** Days on which one user viewed the same private camera without a case: this many is flagged… */
    privateCameraDays: z.number().int().min(2).max(365).default(3),
    /** …within a window of this many days. */
    privateCameraWindowDays: z.number().int().min(2).max(365).default(30),
    /** A user's usual (shift, daily volume) is read from this many days before the day at hand. */
    baselineDays: z.number().int().min(7).max(365).default(28),
    /** A usual is only known from at least this many active days in the baseline. */
    baselineMinDays: z.number().int().min(1).max(365).default(5),
    /** The share of a user's shifts that makes one of them their usual shift. */
    usualShiftShare: z.number().min(0.5).max(1).default(0.8),
    /** A day's views above this many times the user's usual daily views is flagged… */
    volumeFactor: z.number().min(1.5).max(100).default(3),
    /** …when they are at least this many (a quiet user's 3 views are not a pattern). */
    volumeMinViews: z.number().int().min(1).max(100_000).default(40),
  })
  .refine((s) => s.privateCameraDays <= s.privateCameraWindowDays, {
    message: 'the days a private camera is viewed on cannot be more than the window they fall in',
    path: ['privateCameraDays'],
  });
export type AuditFlagSettings = z.infer<typeof AuditFlagSettingsSchema>;
export const DEFAULT_AUDIT_FLAG_SETTINGS: AuditFlagSettings = AuditFlagSettingsSchema.parse({});

export const AUDIT_FLAG_KINDS = [
  'no_case_views',
  'private_camera_days',
  'outside_shift',
  'volume',
  'reveal_without_pull',
] as const;
export const AuditFlagKindSchema = z.enum(AUDIT_FLAG_KINDS);
export type AuditFlagKind = z.infer<typeof AuditFlagKindSchema>;

export const AUDIT_FLAG_LABELS: Readonly<Record<AuditFlagKind, string>> = {
  no_case_views: 'Views without a case number',
  private_camera_days: 'Same private camera on many days',
  outside_shift: 'Views outside the usual shift',
  volume: 'Views far above the usual',
  reveal_without_pull: 'Owner contact without a pull',
};

export const AuditFlagSchema = z.object({
  /** Stable across recomputations: what a review is attached to. */
  key: z.string(),
  kind: AuditFlagKindSchema,
  actorId: z.string(),
  actorName: z.string(),
  /** The agency-local date it is about (a shift's date for outside_shift). */
  date: z.string(),
  /** The stretch of time the flag is about: the entries behind it lie within. */
  from: z.string(),
  to: z.string(),
  cameraId: z.string().nullable(),
  /** The one audit row it is about (a reveal), if any. */
  auditId: z.number().int().nullable(),
  /** In plain words, with the figures. */
  explanation: z.string(),
});
export type AuditFlag = z.infer<typeof AuditFlagSchema>;

// ----------------------------------------------------------------------------------------------
// The activity the flags are computed from

/** One user's camera views on one agency-local day. */
export interface ActivityDay {
  readonly actorId: string;
  readonly actorName: string;
  readonly date: string;
  readonly views: number;
  readonly viewsWithoutCase: number;
}

/** One user's camera views within one shift instance. */
export interface ShiftActivity {
  readonly actorId: string;
  readonly actorName: string;
  readonly shiftDate: string;
  readonly shiftName: string;
  readonly views: number;
}

/** One user's views of one private camera, without a case, on one day. */
export interface PrivateCameraDay {
  readonly actorId: string;
  readonly actorName: string;
  readonly cameraId: string;
  readonly date: string;
  readonly views: number;
}

/** One reveal of a registry owner's contact. */
export interface Reveal {
  readonly id: number;
  readonly actorId: string;
  readonly actorName: string;
  readonly at: number;
  readonly cameraId: string;
  readonly reasonCode: string | null;
  readonly reference: string | null;
}

export interface FlagActivity {
  readonly days: readonly ActivityDay[];
  readonly shifts: readonly ShiftActivity[];
  readonly privateCameraDays: readonly PrivateCameraDay[];
  readonly reveals: readonly Reveal[];
}

/** The audit actions the flags read: a camera view granted, an owner's contact shown. */
export const VIEW_ACTION = 'stream.grant';
export const REVEAL_ACTION = 'camera.owner_contact.reveal';

/** An audit row as the flags read it. */
export interface FlagSourceRow {
  readonly id: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AgencyTime {
  readonly timeZone: string;
  readonly shifts: readonly Shift[];
}

function reasonOf(details: Readonly<Record<string, unknown>>): {
  code: string | null;
  reference: string | null;
} {
  const r = details.reason;
  if (r === null || typeof r !== 'object') return { code: null, reference: null };
  const { code, reference } = r as { code?: unknown; reference?: unknown };
  return {
    code: typeof code === 'string' ? code : null,
    reference: typeof reference === 'string' && reference.trim() !== '' ? reference : null,
  };
}

function bump<V>(map: Map<string, V>, key: string, make: () => V, add: (v: V) => V): void {
  map.set(key, add(map.get(key) ?? make()));
}

/**
 * The activity of audit rows, in code: what server/auditReview's SQL computes on the database.
 * Only people's successful views and reveals count (a refused view showed nothing).
 */
export function activityFromRows(
  rows: readonly FlagSourceRow[],
  agency: AgencyTime,
  privateCameras: ReadonlySet<string>,
): FlagActivity {
  const days = new Map<string, ActivityDay>();
  const shifts = new Map<string, ShiftActivity>();
  const cams = new Map<string, PrivateCameraDay>();
  const reveals: Reveal[] = [];
  for (const row of rows) {
    if (row.outcome !== 'success' || row.actorId === null || row.targetType !== 'camera') continue;
    if (row.targetId === null) continue;
    const at = Date.parse(row.at);
    const actorId = row.actorId;
    const actorName = row.actorName ?? actorId;
    const reason = reasonOf(row.details);
    if (row.action === REVEAL_ACTION) {
      reveals.push({
        id: row.id,
        actorId,
        actorName,
        at,
        cameraId: row.targetId,
        reasonCode: reason.code,
        reference: reason.reference,
      });
      continue;
    }
    if (row.action !== VIEW_ACTION) continue;
    const date = formatIsoDate(localDateOf(at, agency.timeZone));
    const noCase = reason.reference === null ? 1 : 0;
    bump(
      days,
      `${actorId}|${date}`,
      () => ({ actorId, actorName, date, views: 0, viewsWithoutCase: 0 }),
      (d) => ({ ...d, views: d.views + 1, viewsWithoutCase: d.viewsWithoutCase + noCase }),
    );
    const shift = shiftAt(agency.shifts, at, agency.timeZone);
    const shiftDate = formatIsoDate(shift.date);
    bump(
      shifts,
      `${actorId}|${shiftDate}|${shift.shift.name}`,
      () => ({ actorId, actorName, shiftDate, shiftName: shift.shift.name, views: 0 }),
      (s) => ({ ...s, views: s.views + 1 }),
    );
    if (noCase && privateCameras.has(row.targetId)) {
      const cameraId = row.targetId;
      bump(
        cams,
        `${actorId}|${cameraId}|${date}`,
        () => ({ actorId, actorName, cameraId, date, views: 0 }),
        (c) => ({ ...c, views: c.views + 1 }),
      );
    }
  }
  return {
    days: [...days.values()],
    shifts: [...shifts.values()],
    privateCameraDays: [...cams.values()],
    reveals,
  };
}

// ----------------------------------------------------------------------------------------------
// The flags

export interface FlagInputs {
  /** Activity from `flagLookbackDays` before `from` up to `to`. */
  readonly activity: FlagActivity;
  /** The range under review. */
  readonly from: number;
  readonly to: number;
  readonly settings: AuditFlagSettings;
  readonly agency: AgencyTime;
  /** For each camera that a camera pull lists, when the first such pull was logged. */
  readonly pulledCameras: ReadonlyMap<string, number>;
  /** Cameras' names, for the explanations (an id where a name is missing). */
  readonly cameraNames: ReadonlyMap<string, string>;
}

/** How many days before the range the flags look at (the baselines and the private window). */
export function flagLookbackDays(s: AuditFlagSettings): number {
  return Math.max(s.baselineDays, s.privateCameraWindowDays);
}

/** A flag's key: its kind, who, when and what, each part escaped so none can be confused. */
export function flagKey(kind: AuditFlagKind, actorId: string, date: string, extra = ''): string {
  return [kind, actorId, date, extra].map(encodeURIComponent).join('|');
}

/** The parts of a key; null for anything that is not one. */
export function parseFlagKey(
  key: string,
): { kind: AuditFlagKind; actorId: string; date: string; extra: string } | null {
  const parts = key.split('|');
  if (parts.length !== 4) return null;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return null;
  }
  const [kind, actorId, date, extra] = decoded as [string, string, string, string];
  const k = AuditFlagKindSchema.safeParse(kind);
  if (!k.success || actorId === '' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return { kind: k.data, actorId, date, extra };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const shiftDay = (date: string, days: number) => formatIsoDate(addDays(parseIsoDate(date), days));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

interface Range {
  readonly from: number;
  readonly to: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly dayStart: (date: string) => number;
}

function dayWindow(range: Range, date: string): { from: string; to: string } {
  return {
    from: new Date(range.dayStart(date)).toISOString(),
    to: new Date(range.dayStart(shiftDay(date, 1))).toISOString(),
  };
}

function noCaseFlags(inputs: FlagInputs, range: Range): AuditFlag[] {
  const limit = inputs.settings.noCaseViewsPerDay;
  return inputs.activity.days
    .filter((d) => d.date >= range.firstDate && d.date <= range.lastDate)
    .filter((d) => d.viewsWithoutCase > limit)
    .map((d) => ({
      key: flagKey('no_case_views', d.actorId, d.date),
      kind: 'no_case_views' as const,
      actorId: d.actorId,
      actorName: d.actorName,
      date: d.date,
      ...dayWindow(range, d.date),
      cameraId: null,
      auditId: null,
      explanation:
        `${d.actorName} made ${plural(d.viewsWithoutCase, 'camera view')} without a case or ` +
        `incident number on ${d.date}; the agency's threshold is ${limit} a day.`,
    }));
}

function privateCameraFlags(inputs: FlagInputs, range: Range): AuditFlag[] {
  const { privateCameraDays: needed, privateCameraWindowDays: window } = inputs.settings;
  const flags: AuditFlag[] = [];
  const groups = groupBy(inputs.activity.privateCameraDays, (c) => `${c.actorId}|${c.cameraId}`);
  for (const list of groups.values()) {
    const dates = [...new Set(list.map((c) => c.date))].sort();
    const first = list[0]!;
    // Walk the days in order; once a run of `needed` days within the window is flagged, the
    // next flag needs `needed` new days after it, so one habit is one flag, not one a day.
    let after = '';
    for (let i = 0; i < dates.length; i += 1) {
      const date = dates[i]!;
      const since = shiftDay(date, -(window - 1));
      const inWindow = dates.slice(0, i + 1).filter((d) => d >= since && d > after);
      if (inWindow.length < needed) continue;
      after = date;
      if (date < range.firstDate || date > range.lastDate) continue;
      const name = inputs.cameraNames.get(first.cameraId) ?? first.cameraId;
      flags.push({
        key: flagKey('private_camera_days', first.actorId, date, first.cameraId),
        kind: 'private_camera_days',
        actorId: first.actorId,
        actorName: first.actorName,
        date,
        from: new Date(range.dayStart(inWindow[0]!)).toISOString(),
        to: new Date(range.dayStart(shiftDay(date, 1))).toISOString(),
        cameraId: first.cameraId,
        auditId: null,
        explanation:
          `${first.actorName} viewed the private camera "${name}" without a case or incident ` +
          `number on ${plural(inWindow.length, 'day')} within ${window} days ` +
          `(${inWindow.join(', ')}); the agency's threshold is ${needed} days.`,
      });
    }
  }
  return flags;
}

function outsideShiftFlags(inputs: FlagInputs, range: Range): AuditFlag[] {
  const { baselineDays, baselineMinDays, usualShiftShare } = inputs.settings;
  const flags: AuditFlag[] = [];
  for (const list of groupBy(inputs.activity.shifts, (s) => s.actorId).values()) {
    for (const s of list) {
      // Cheap first: a shift dated more than a day outside the range cannot overlap it.
      if (s.shiftDate < shiftDay(range.firstDate, -1) || s.shiftDate > range.lastDate) continue;
      const { shifts, timeZone } = inputs.agency;
      const instance = shiftInstance(shifts, parseIsoDate(s.shiftDate), s.shiftName, timeZone);
      // A shift is in the range when it overlaps it: a night that began the evening before
      // the first day reviewed is judged with its views after midnight.
      const inRange = instance
        ? instance.startsAt < range.to && instance.endsAt > range.from
        : s.shiftDate >= range.firstDate && s.shiftDate <= range.lastDate;
      if (!inRange) continue;
      const since = shiftDay(s.shiftDate, -baselineDays);
      const before = list.filter((b) => b.shiftDate >= since && b.shiftDate < s.shiftDate);
      if (before.length < baselineMinDays) continue;
      const counts = new Map<string, number>();
      for (const b of before) counts.set(b.shiftName, (counts.get(b.shiftName) ?? 0) + 1);
      const [usual, usualCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
      const share = usualCount / before.length;
      if (share < usualShiftShare || usual === s.shiftName) continue;
      flags.push({
        key: flagKey('outside_shift', s.actorId, s.shiftDate, s.shiftName),
        kind: 'outside_shift',
        actorId: s.actorId,
        actorName: s.actorName,
        date: s.shiftDate,
        // A shift renamed since is shown by its day.
        ...(instance === null
          ? dayWindow(range, s.shiftDate)
          : {
              from: new Date(instance.startsAt).toISOString(),
              to: new Date(instance.endsAt).toISOString(),
            }),
        cameraId: null,
        auditId: null,
        explanation:
          `${s.actorName} made ${plural(s.views, 'camera view')} during the ${s.shiftName} shift ` +
          `of ${s.shiftDate}; ${Math.round(share * 100)} % of the ${plural(before.length, 'shift')} ` +
          `they viewed cameras on in the ${baselineDays} days before were ${usual} shifts.`,
      });
    }
  }
  return flags;
}

function volumeFlags(inputs: FlagInputs, range: Range): AuditFlag[] {
  const { baselineDays, baselineMinDays, volumeFactor, volumeMinViews } = inputs.settings;
  const flags: AuditFlag[] = [];
  for (const list of groupBy(inputs.activity.days, (d) => d.actorId).values()) {
    for (const d of list) {
      if (d.date < range.firstDate || d.date > range.lastDate) continue;
      if (d.views < volumeMinViews) continue;
      const since = shiftDay(d.date, -baselineDays);
      const before = list.filter((b) => b.date >= since && b.date < d.date && b.views > 0);
      if (before.length < baselineMinDays) continue;
      const usual = median(before.map((b) => b.views));
      if (d.views <= volumeFactor * usual) continue;
      flags.push({
        key: flagKey('volume', d.actorId, d.date),
        kind: 'volume',
        actorId: d.actorId,
        actorName: d.actorName,
        date: d.date,
        ...dayWindow(range, d.date),
        cameraId: null,
        auditId: null,
        explanation:
          `${d.actorName} made ${plural(d.views, 'camera view')} on ${d.date}, ` +
          `${(d.views / usual).toFixed(1)} times their usual ${usual} a day (the median of ` +
          `${plural(before.length, 'active day')} in the ${baselineDays} days before); ` +
          `the agency flags more than ${volumeFactor} times.`,
      });
    }
  }
  return flags;
}

function revealFlags(inputs: FlagInputs, range: Range, from: number, to: number): AuditFlag[] {
  return inputs.activity.reveals
    .filter((r) => r.at >= from && r.at < to)
    .filter((r) => {
      const pulled = inputs.pulledCameras.get(r.cameraId);
      return pulled === undefined || pulled > r.at;
    })
    .map((r) => {
      const date = formatIsoDate(localDateOf(r.at, inputs.agency.timeZone));
      const name = inputs.cameraNames.get(r.cameraId) ?? r.cameraId;
      const why = r.reasonCode
        ? ` (reason: ${r.reasonCode.replace(/_/g, ' ')}${r.reference ? `, ${r.reference}` : ''})`
        : '';
      return {
        key: flagKey('reveal_without_pull', r.actorId, date, String(r.id)),
        kind: 'reveal_without_pull' as const,
        actorId: r.actorId,
        actorName: r.actorName,
        date,
        from: new Date(r.at).toISOString(),
        to: new Date(r.at + 1).toISOString(),
        cameraId: r.cameraId,
        auditId: r.id,
        explanation:
          `${r.actorName} revealed the owner's contact of "${name}"${why} on ${date}, ` +
          'and no camera pull listed that camera before then.',
      };
    });
}

/**
 * The flags raised in [from, to): a range that reaches past now is cut at the clock's now, so
 * a day still running is judged on what has happened so far. Sorted newest first.
 */
export function computeAuditFlags(inputs: FlagInputs, clock: Clock): AuditFlag[] {
  const to = Math.min(inputs.to, clock.now());
  if (to <= inputs.from) return [];
  const tz = inputs.agency.timeZone;
  const range: Range = {
    from: inputs.from,
    to,
    firstDate: formatIsoDate(localDateOf(inputs.from, tz)),
    lastDate: formatIsoDate(localDateOf(to - 1, tz)),
    dayStart: (date) => startOfLocalDay(parseIsoDate(date), tz),
  };
  const flags = [
    ...noCaseFlags(inputs, range),
    ...privateCameraFlags(inputs, range),
    ...outsideShiftFlags(inputs, range),
    ...volumeFlags(inputs, range),
    ...revealFlags(inputs, range, inputs.from, to),
  ];
  return flags.sort((a, b) =>
    a.to !== b.to ? (a.to < b.to ? 1 : -1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
