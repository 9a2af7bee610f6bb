import type { Queryable } from '../store/store';
import type { Clock } from '../../shared/time/clock';

/** Writes of last_seen_at are coalesced to this interval; idle expiry is measured in minutes. */
const TOUCH_EVERY_MS = 15_000;

export type SessionState = 'active' | 'revoked' | 'idle' | 'unknown';

interface SessionLiveness {
  readonly state: SessionState;
  readonly lastSeen: number;
}

async function readSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  idleMs: number,
): Promise<SessionLiveness> {
  const res = await db.query<{ last_seen_at: Date | string; revoked_at: Date | string | null }>(
    'select last_seen_at, revoked_at from sessions where id = $1',
    [sessionId],
  );
  const row = res.rows[0];
  if (!row) return { state: 'unknown', lastSeen: 0 };
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (row.revoked_at) return { state: 'revoked', lastSeen };
  if (clock.now() - lastSeen > idleMs) return { state: 'idle', lastSeen };
  return { state: 'active', lastSeen };
}

/**
 * Checks that a session is alive (not revoked, not idle past the limit) without recording
 * activity: for work the console does by itself, such as an open event stream's periodic
 * recheck, which says nothing about a person being at the console (CJIS 5.5.5).
 */
export async function checkSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  idleMs: number,
): Promise<SessionState> {
  return (await readSession(db, clock, sessionId, idleMs)).state;
}

/**
 * Checks that a session is alive and records activity. Every request a person makes passes
 * through here, which is what makes "30 minutes without activity" true on the server and not
 * just in the console.
 */
export async function touchSession(
  db: Queryable,
  clock: Clock,
  sessionId: string,
  idleMs: number,
): Promise<SessionState> {
  const { state, lastSeen } = await readSession(db, clock, sessionId, idleMs);
  const now = clock.now();
  if (state === 'active' && now - lastSeen > TOUCH_EVERY_MS) {
    await db.query('update sessions set last_seen_at = $2 where id = $1 and revoked_at is null', [
      sessionId,
      new Date(now).toISOString(),
    ]);
  }
  return state;
}
