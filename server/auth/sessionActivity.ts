import type { Queryable } from '../store/store';
import type { Clock } from '../../shared/time/clock';
import { sessionExpiresAt, type SessionScope } from './refreshTokens';

/** Writes of last_seen_at are coalesced to this interval; idle expiry is measured in minutes. */
const TOUCH_EVERY_MS = 15_000;

export type SessionCheck =
  | { readonly state: 'active'; readonly scope: SessionScope }
  | { readonly state: 'revoked' | 'idle' | 'expired' | 'unknown' };

/**
 * Checks that a session is alive (not revoked, not idle past the limit, not past its end) and,
 * when `activity` is set, records activity. Every authenticated request passes through here,
 * which is what makes "30 minutes without activity" true on the server and not just in the
 * console. A check that is not the person's doing (an event stream's periodic recheck) passes
 * `activity: false`, or an open but unattended console would never idle out (CJIS 5.5.5).
 */
export async function checkSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  idleMs: number,
  activity: boolean,
): Promise<SessionCheck> {
  const res = await db.query<{
    created_at: Date | string;
    last_seen_at: Date | string;
    revoked_at: Date | string | null;
    scope: SessionScope;
  }>('select created_at, last_seen_at, revoked_at, scope from sessions where id = $1', [sessionId]);
  const row = res.rows[0];
  if (!row) return { state: 'unknown' };
  if (row.revoked_at) return { state: 'revoked' };
  const now = clock.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (now - lastSeen > idleMs) return { state: 'idle' };
  if (now >= sessionExpiresAt(row.created_at, row.scope).getTime()) return { state: 'expired' };
  if (activity && now - lastSeen > TOUCH_EVERY_MS) {
    await db.query('update sessions set last_seen_at = $2 where id = $1 and revoked_at is null', [
      sessionId,
      new Date(now).toISOString(),
    ]);
  }
  return { state: 'active', scope: row.scope };
}
