import type { TipLineSettings } from '../../shared/domain/tips';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: making one costs far more than using it. */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The weekday (0 = Sunday), date and time of day of an instant in a time zone. */
export function zonedParts(
  at: Date,
  timeZone: string,
): { readonly day: number; readonly date: string; readonly time: string } {
  const parts = formatIn(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return {
    day,
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
  };
}

/**
 * Whether someone watches the tip line at an instant: inside one of the weekly windows (in the
 * agency's zone, so that daylight saving moves nothing) and not on a holiday.
 */
export function isStaffed(settings: TipLineSettings, timeZone: string, at: Date): boolean {
  const { day, date, time } = zonedParts(at, timeZone);
  if (settings.holidays.includes(date)) return false;
  return settings.staffed.some((w) => w.day === day && w.start <= time && time < w.end);
}
