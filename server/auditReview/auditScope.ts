import type { Queryable } from '../store/store';
import type { Principal } from '../auth/principal';
import { SESSION_LIFETIME_MS } from '../auth/refreshTokens';
import { getAgency } from '../agency/agencyRepository';
import { roleHas } from '../../shared/domain/roles';
import { shiftsBetween } from '../../shared/domain/shifts';
import type { AuditScope } from '../../shared/api/auditReview';

/**
 * Whose entries a reader of the audit review sees. Administrators and auditors
 * (audit.review_all) see every entry. A supervisor sees the entries that people made during
 * the shifts the supervisor was on: the shift instances their own sessions overlapped, as the
 * shift log counts who was on (docs/shift-log.md). The system's own entries (checkpoints,
 * timers) and machines' are not a person's work on a shift and stay out of that view.
 */
export interface ReaderScope {
  readonly scope: AuditScope;
  /** For own_shifts: the windows, [from, to) in ms, in order and not overlapping. */
  readonly windows: readonly (readonly [number, number])[];
}

export const ALL_ENTRIES: ReaderScope = { scope: 'all', windows: [] };

/** A supervisor who was never on sees nothing; this many windows is a year of daily shifts. */
const MAX_WINDOWS = 2000;

export async function readerScope(
  db: Queryable,
  who: Principal,
  range: { readonly from: number; readonly to: number },
): Promise<ReaderScope> {
  if (roleHas(who.role, 'audit.review_all')) return ALL_ENTRIES;
  const agency = await getAgency(db);
  const sessions = await db.query<{ created_at: Date | string; last_seen_at: Date | string }>(
    `select created_at, last_seen_at from sessions
     where user_id = $1 and created_at < $3 and last_seen_at >= $2 and created_at > $4
     order by created_at`,
    [
      who.userId,
      new Date(range.from - 2 * 86_400_000).toISOString(),
      new Date(range.to).toISOString(),
      new Date(range.from - SESSION_LIFETIME_MS - 2 * 86_400_000).toISOString(),
    ],
  );
  const starts = new Map<number, number>();
  for (const s of sessions.rows) {
    const from = new Date(s.created_at).getTime();
    const to = Math.max(new Date(s.last_seen_at).getTime(), from) + 1;
    for (const i of shiftsBetween(agency.shifts, from, to, agency.timeZone)) {
      if (i.endsAt > range.from && i.startsAt < range.to) starts.set(i.startsAt, i.endsAt);
    }
  }
  const windows = [...starts.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(-MAX_WINDOWS)
    .map(([f, t]) => [f, t] as const);
  return { scope: 'own_shifts', windows };
}

/** Whether a stretch of time overlaps what the reader may see. */
export function scopeCovers(scope: ReaderScope, from: number, to: number): boolean {
  if (scope.scope === 'all') return true;
  return scope.windows.some(([f, t]) => f < to && t > from);
}
