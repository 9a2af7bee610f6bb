import type { TipLineSettings } from '../../shared/domain/tips';
import { scheduleStateAt } from '../../shared/policy/weeklySchedule';
import { formatIsoDate, localDateOf } from '../../shared/time/zonedTime';

/**
 * Whether someone watches the tip line at an instant: inside one of its weekly windows (laid out
 * in the agency's zone by the same code as owners' sharing schedules, daylight saving included)
 * and not on a holiday.
 */
export function isStaffed(settings: TipLineSettings, timeZone: string, at: Date): boolean {
  const instant = at.getTime();
  if (settings.holidays.includes(formatIsoDate(localDateOf(instant, timeZone)))) return false;
  return scheduleStateAt(settings.staffed, instant, timeZone).open;
}
