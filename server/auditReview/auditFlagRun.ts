import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import type { Clock } from '../../shared/time/clock';
import {
  computeAuditFlags,
  flagLookbackDays,
  type AuditFlag,
} from '../../shared/domain/auditFlags';
import { cameraNames, firstPulled, readFlagActivity } from './auditReviewRepository';

const DAY_MS = 86_400_000;

/**
 * The flags over [from, to): the activity summed on the database from the lookback before
 * `from` (a baseline needs the days before the first day reviewed), then judged by the pure
 * computation with the agency's thresholds.
 */
export async function flagsBetween(
  db: Queryable,
  clock: Clock,
  from: number,
  to: number,
): Promise<AuditFlag[]> {
  const agency = await getAgency(db);
  const settings = agency.auditFlags;
  // A day of slack each side: local days in a zone far from UTC start before or after it.
  const since = from - (flagLookbackDays(settings) + 1) * DAY_MS;
  const activity = await readFlagActivity(db, agency, since, Math.min(to, clock.now()) + 1);
  const cameras = [
    ...activity.reveals.map((r) => r.cameraId),
    ...activity.privateCameraDays.map((c) => c.cameraId),
  ];
  const [pulledCameras, names] = await Promise.all([
    firstPulled(
      db,
      activity.reveals.map((r) => r.cameraId),
    ),
    cameraNames(db, cameras),
  ]);
  return computeAuditFlags(
    { activity, from, to, settings, agency, pulledCameras, cameraNames: names },
    clock,
  );
}
