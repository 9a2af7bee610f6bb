import { z } from 'zod';
import { parseIsoDate } from '../time/zonedTime';

/**
 * What the owner of an integrated camera agreed to share, and when. The owner decides; the
 * console only ever shows a feed while this policy allows it.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

export const ClockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM, 00:00 to 23:59');

/**
 * A weekly window in the agency's time zone. `end` at or before `start` means the window runs
 * past midnight into the next day (22:00-06:00 on "fri" covers Friday night to Saturday 06:00).
 */
export const ScheduleWindowSchema = z.object({
  days: z.array(WeekdaySchema).min(1, 'a window names at least one day').max(7),
  start: ClockTimeSchema,
  end: ClockTimeSchema,
});
export type ScheduleWindow = z.infer<typeof ScheduleWindowSchema>;

function isCalendarDate(text: string): boolean {
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine(isCalendarDate, 'not a date on the calendar');

export const SharingPolicySchema = z.object({
  /** always: whenever the dates allow; schedule: inside a window; alarm: only while the owner's alarm is raised. */
  mode: z.enum(['always', 'schedule', 'alarm']),
  windows: z.array(ScheduleWindowSchema).max(50).default([]),
  /** With mode "schedule": also share outside the windows while the owner's alarm is raised. */
  alsoDuringAlarm: z.boolean().default(false),
  /** First and last day of the agreement, in the agency's time zone, both inclusive. */
  validFrom: IsoDate.optional(),
  validUntil: IsoDate.optional(),
  live: z.boolean().default(true),
  recordings: z.boolean().default(false),
  ptz: z.boolean().default(false),
  /** Set when the owner withdraws consent; nothing is shared while it is. */
  withdrawn: z.boolean().default(false),
});
export type SharingPolicy = z.infer<typeof SharingPolicySchema>;

export type SharingAccess = 'live' | 'recordings' | 'ptz';

export interface SharingQuery {
  /** The instant asked about (ms since the epoch). */
  readonly at: number;
  /** The agency's IANA time zone, e.g. America/New_York. */
  readonly timeZone: string;
  /** Whether the owner has an alarm raised right now. */
  readonly alarmActive: boolean;
  readonly access: SharingAccess;
}

export type SharingDenial =
  | 'withdrawn'
  | 'not_shared' // the policy does not share this kind of access (live / recordings / PTZ)
  | 'before_start'
  | 'after_end'
  | 'outside_window'
  | 'no_alarm';

export type SharingDecision =
  | {
      readonly allowed: true;
      /** When the permission lapses if nothing else changes (ms), or null if open-ended. */
      readonly until: number | null;
    }
  | {
      readonly allowed: false;
      readonly denial: SharingDenial;
      /** A sentence for the tile, e.g. "Shared Mon-Fri 08:00-18:00; opens Mon 08:00". */
      readonly reason: string;
      /** When it would next be allowed (ms), if the policy alone can tell. */
      readonly nextOpen: number | null;
    };
