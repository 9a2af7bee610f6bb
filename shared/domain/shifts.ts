import { z } from 'zod';
import type { Shift } from './agency';
import {
  addDays,
  atTime,
  formatIsoDate,
  instantOf,
  localDateOf,
  type LocalDate,
} from '../time/zonedTime';

/**
 * The shift log: what the supervisor writes about a shift (docs/shift-log.md). A shift instance
 * is a date and one of the agency's named shifts; it starts on that date at the shift's start
 * time in the agency's zone and runs to the next shift's start.
 */

export const SHIFT_ENTRY_KINDS = [
  'staffing',
  'notable_event',
  'equipment',
  'briefing',
  'other',
] as const;
export const ShiftEntryKindSchema = z.enum(SHIFT_ENTRY_KINDS);
export type ShiftEntryKind = z.infer<typeof ShiftEntryKindSchema>;

export const SHIFT_ENTRY_KIND_LABELS: Readonly<Record<ShiftEntryKind, string>> = {
  staffing: 'Staffing',
  notable_event: 'Notable event',
  equipment: 'Equipment problem',
  briefing: 'Briefing',
  other: 'Other',
};

export const ShiftEntrySchema = z.object({
  id: z.string(),
  /** When it happened (the author may give a time earlier in the shift). */
  at: z.string(),
  kind: ShiftEntryKindSchema,
  text: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string(),
  /** Written after sign-off: a correction, shown as such. */
  addendum: z.boolean(),
  /** When it was written. */
  writtenAt: z.string(),
});
export type ShiftEntry = z.infer<typeof ShiftEntrySchema>;

/** The shift's work as the record shows it: counted, never typed in. */
export const ShiftSummarySchema = z.object({
  incidentsWorked: z.number().int(),
  camerasDocked: z.number().int(),
  cameraViews: z.number().int(),
  tipsTriaged: z.number().int(),
  alertsAcknowledged: z.number().int(),
  pullsLogged: z.number().int(),
  pullsFulfilled: z.number().int(),
  exports: z.number().int(),
});
export type ShiftSummary = z.infer<typeof ShiftSummarySchema>;

export const SHIFT_SUMMARY_LABELS: Readonly<Record<keyof ShiftSummary, string>> = {
  incidentsWorked: 'Incidents worked',
  camerasDocked: 'Cameras docked',
  cameraViews: 'Camera views',
  tipsTriaged: 'Tips triaged',
  alertsAcknowledged: 'Alerts acknowledged',
  pullsLogged: 'Camera pulls logged',
  pullsFulfilled: 'Camera pulls fulfilled',
  exports: 'Evidence exports',
};

export const ShiftPersonSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: z.string(),
});
export type ShiftPerson = z.infer<typeof ShiftPersonSchema>;

export const ShiftLogSchema = z.object({
  date: z.string(),
  shift: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The supervisor who signed it off; before that, the supervisors who were on. */
  supervisors: z.array(ShiftPersonSchema),
  /** Everyone signed in during the shift. */
  staff: z.array(ShiftPersonSchema),
  entries: z.array(ShiftEntrySchema),
  /** As it stood at sign-off once signed; counted afresh until then. */
  summary: ShiftSummarySchema,
  signedOff: z
    .object({ at: z.string(), byId: z.string().nullable(), byName: z.string(), note: z.string() })
    .nullable(),
});
export type ShiftLog = z.infer<typeof ShiftLogSchema>;

/** One shift instance: a local date and a shift of the agency's day. */
export interface ShiftInstance {
  readonly date: LocalDate;
  readonly shift: Shift;
  readonly startsAt: number;
  readonly endsAt: number;
}

const byStart = (shifts: readonly Shift[]) =>
  [...shifts].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

const clock = (start: string) => {
  const [h = '0', m = '0'] = start.split(':');
  return { hour: Number(h), minute: Number(m) };
};

const startOn = (date: LocalDate, shift: Shift, timeZone: string) => {
  const { hour, minute } = clock(shift.start);
  return instantOf(atTime(date, hour, minute), timeZone);
};

/** The instance of a named shift on a date (names compared without regard to case); null if none. */
export function shiftInstance(
  shifts: readonly Shift[],
  date: LocalDate,
  name: string,
  timeZone: string,
): ShiftInstance | null {
  const ordered = byStart(shifts);
  const i = ordered.findIndex((s) => s.name.toLowerCase() === name.toLowerCase());
  const shift = ordered[i];
  if (!shift) return null;
  const next = ordered[i + 1];
  // The last shift of the day runs to the first shift of the next day. Instants come from wall
  // times, so a shift across a daylight-saving change is an hour longer or shorter, as worked.
  const endsAt = next
    ? startOn(date, next, timeZone)
    : startOn(addDays(date, 1), ordered[0]!, timeZone);
  return { date, shift, startsAt: startOn(date, shift, timeZone), endsAt };
}

/** The shift instance an instant falls in. */
export function shiftAt(shifts: readonly Shift[], at: number, timeZone: string): ShiftInstance {
  const today = localDateOf(at, timeZone);
  // A shift that started yesterday evening may still be running.
  for (const date of [today, addDays(today, -1)]) {
    for (const shift of byStart(shifts).reverse()) {
      const instance = shiftInstance(shifts, date, shift.name, timeZone)!;
      if (instance.startsAt <= at && at < instance.endsAt) return instance;
    }
  }
  // Unreachable with a valid list (together the shifts cover every day); kept total.
  return shiftInstance(shifts, addDays(today, -1), byStart(shifts).at(-1)!.name, timeZone)!;
}

/** The instances that overlap [from, to), in order. */
export function shiftsBetween(
  shifts: readonly Shift[],
  from: number,
  to: number,
  timeZone: string,
): ShiftInstance[] {
  const out: ShiftInstance[] = [];
  let date = addDays(localDateOf(from, timeZone), -1);
  const last = addDays(localDateOf(to, timeZone), 1);
  for (; formatIsoDate(date) <= formatIsoDate(last); date = addDays(date, 1)) {
    for (const shift of byStart(shifts)) {
      const instance = shiftInstance(shifts, date, shift.name, timeZone)!;
      if (instance.startsAt < to && instance.endsAt > from) out.push(instance);
    }
  }
  return out;
}

/** How a shift instance is named in reports and files: "2026-11-29 Day". */
export const shiftLabel = (i: { readonly date: LocalDate; readonly shift: Shift }) =>
  `${formatIsoDate(i.date)} ${i.shift.name}`;

/**
 * The instant of a wall-clock time of day within a shift instance: a night shift's 02:10 is on
 * the day after the shift's date. Null when the time falls outside the shift.
 */
export function timeInShift(
  instance: ShiftInstance,
  hour: number,
  minute: number,
  timeZone: string,
): number | null {
  for (const date of [instance.date, addDays(instance.date, 1)]) {
    const at = instantOf(atTime(date, hour, minute), timeZone);
    if (at >= instance.startsAt && at < instance.endsAt) return at;
  }
  return null;
}
