import type { Queryable } from '../store/store';
import type { Clock } from '../../shared/time/clock';

/** Writes of last_seen_at are coalesced to this interval; idle expiry is measured in minutes. */
const TOUCH_EVERY_MS = 15_000;

export type SessionState = 'active' | 'revoked' | 'idle' | 'unknown';

/**
 * Checks that a session is alive (not revoked, not idle past the limit) and records activity.
 * Every authenticated request passes through here, which is what makes "30 minutes without
 * activity" true on the server and not just in the console.
 */
export async function touchSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  idleMs: number,
): Promise<SessionState> {
  const res = await db.query<{ last_seen_at: Date | string; revoked_at: Date | string | null }>(
    'select last_seen_at, revoked_at from sessions where id = $1',
    [sessionId],
  );
  const row = res.rows[0];
  if (!row) return 'unknown';
  if (row.revoked_at) return 'revoked';
  const now = clock.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (now - lastSeen > idleMs) return 'idle';
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await db.query('update sessions set last_seen_at = $2 where id = $1 and revoked_at is null', [
      sessionId,
      new Date(now).toISOString(),
    ]);
  }
  return 'active';
}
