import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { listSignedInBetween } from '../auth/sessions';
import {
  shiftInstance,
  type ShiftInstance,
  type ShiftLog,
  type ShiftPerson,
} from '../../shared/domain/shifts';
import type { AgencyConfig } from '../../shared/domain/agency';
import { formatIsoDate, parseIsoDate } from '../../shared/time/zonedTime';
import { countShiftWork, findShiftLog, listEntries, type ShiftKey } from './shiftRepository';

/** A shift instance by its date and name, as the agency's settings define it now. */
export interface ResolvedShift {
  readonly agency: AgencyConfig;
  readonly instance: ShiftInstance;
  readonly key: ShiftKey;
}

export async function resolveShift(
  db: Queryable,
  date: string,
  name: string,
): Promise<ResolvedShift> {
  let day;
  try {
    day = parseIsoDate(date);
  } catch (e) {
    throw new HttpError(400, (e as Error).message, [{ path: 'params.date', message: 'a date' }]);
  }
  const agency = await getAgency(db);
  const instance = shiftInstance(agency.shifts, day, name, agency.timeZone);
  if (!instance) {
    const names = agency.shifts.map((s) => s.name).join(', ');
    throw new HttpError(404, `The agency has no shift "${name}" (its shifts: ${names}).`);
  }
  return {
    agency,
    instance,
    key: { date: formatIsoDate(day), name: instance.shift.name },
  };
}

const personOf = (r: { user_id: string; display_name: string; role: string }): ShiftPerson => ({
  userId: r.user_id,
  displayName: r.display_name,
  role: r.role,
});

/** The log as it reads now: entries, who was on, and the summary (frozen once signed off). */
export async function readShiftLog(
  db: Queryable,
  shift: ResolvedShift,
  now: Date,
): Promise<ShiftLog> {
  const { instance, key } = shift;
  const startsAt = new Date(instance.startsAt);
  const endsAt = new Date(instance.endsAt);
  const [log, entries, signedIn] = await Promise.all([
    findShiftLog(db, key),
    listEntries(db, key),
    startsAt <= now ? listSignedInBetween(db, startsAt, endsAt) : Promise.resolve([]),
  ]);
  const staff = signedIn.map(personOf);
  const summary = log?.summary ?? (await countShiftWork(db, startsAt, endsAt));
  const signedOff =
    log?.signedOffAt != null
      ? {
          at: log.signedOffAt,
          byId: log.signedOffBy,
          byName: log.signedOffByName ?? 'unknown',
          note: log.signoffNote,
        }
      : null;
  const supervisors = signedOff
    ? [
        staff.find((p) => p.userId === signedOff.byId) ?? {
          userId: signedOff.byId ?? '',
          displayName: signedOff.byName,
          role: 'supervisor',
        },
      ]
    : staff.filter((p) => p.role === 'supervisor');
  return {
    date: key.date,
    shift: key.name,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    supervisors,
    staff,
    entries,
    summary,
    signedOff,
  };
}
