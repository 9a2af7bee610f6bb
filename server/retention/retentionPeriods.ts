import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import type { RetentionPeriod } from '../../shared/api/retention';
import { RETENTION_KIND_INFO, RETENTION_KINDS } from '../../shared/domain/retention';
import { PURGE_BATCHES } from './retentionRepository';

/** What the periods say of the audit trail, which is not one of them. */
export const AUDIT_TRAIL_RETENTION =
  'The audit trail is kept at least one year (CJIS 5.4.7) and is never purged: it is append-only and hash-chained.';

/**
 * The retention periods in force, as the agency set them, with each kind's floor and default:
 * what the transparency report prints (docs/retention.md) and `GET /v1/retention` answers.
 */
export async function retentionPeriodsInForce(db: Queryable): Promise<RetentionPeriod[]> {
  const settings = (await getAgency(db)).retention;
  return RETENTION_KINDS.map((kind) => {
    const info = RETENTION_KIND_INFO[kind];
    return {
      kind,
      label: info.label,
      days: settings[kind],
      defaultDays: info.defaultDays,
      floorDays: info.floorDays,
      floorReason: info.floorReason,
      from: info.from,
      enforced: PURGE_BATCHES[kind] !== null,
    };
  });
}
