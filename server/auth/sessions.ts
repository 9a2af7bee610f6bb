import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/store';
import type { AccessTokens } from './accessTokens';
import type { Role } from '../../shared/domain/roles';
import {
  hashRefreshToken,
  newRefreshToken,
  sessionExpiresAt,
  SESSION_LIFETIME_MS,
  type SessionScope,
} from './refreshTokens';

/** Why a session ended; stored in sessions.revoke_reason and shown in audit details. */
export type RevokeReason =
  | 'logout'
  | 'refresh_reuse'
  | 'idle'
  | 'expired'
  | 'disabled'
  | 'role_changed'
  | 'password_changed'
  | 'enrolled'
  | 'locked'
  | 'ended_by_admin';

export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

/** What a client receives at sign-in and at each refresh. */
export interface IssuedTokens {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: string;
}

export interface SessionRow {
  readonly id: string;
  readonly user_id: string;
  readonly created_at: Date | string;
  readonly last_seen_at: Date | string;
  readonly revoked_at: Date | string | null;
  readonly revoke_reason: string | null;
  readonly scope: SessionScope;
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | null> {
  const res = await db.query<SessionRow>('select * from sessions where id = $1', [id]);
  return res.rows[0] ?? null;
}

/** Stores a new refresh token of the session (its hash only) and returns the token itself. */
export async function addRefreshToken(db: Queryable, sessionId: string, at: Date): Promise<string> {
  const token = newRefreshToken();
  await db.query(
    'insert into refresh_tokens (token_hash, session_id, created_at) values ($1, $2, $3)',
    [hashRefreshToken(token), sessionId, at.toISOString()],
  );
  return token;
}

export async function issueTokens(
  tokens: AccessTokens,
  user: SessionUser,
  session: Pick<SessionRow, 'id' | 'created_at' | 'scope'>,
  refreshToken: string,
): Promise<IssuedTokens> {
  const access = await tokens.issue({
    userId: user.id,
    username: user.username,
    role: user.role,
    sessionId: session.id,
  });
  return {
    sessionId: session.id,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt: sessionExpiresAt(session.created_at, session.scope).toISOString(),
  };
}

/** A new session family: one sign-in, its first refresh token and access token. */
export async function startSession(
  db: Queryable,
  tokens: AccessTokens,
  user: SessionUser,
  at: Date,
  scope: SessionScope,
): Promise<IssuedTokens & { readonly scope: SessionScope }> {
  const id = randomUUID();
  await db.query(
    `insert into sessions (id, user_id, created_at, last_seen_at, scope)
     values ($1, $2, $3, $3, $4)`,
    [id, user.id, at.toISOString(), scope],
  );
  const refreshToken = await addRefreshToken(db, id, at);
  const issued = await issueTokens(tokens, user, { id, created_at: at, scope }, refreshToken);
  return { ...issued, scope };
}

/** Ends one session; its access and refresh tokens stop working. False if it had ended already. */
export async function revokeSession(
  db: Queryable,
  sessionId: string,
  at: Date,
  reason: RevokeReason,
): Promise<boolean> {
  const res = await db.query(
    `update sessions set revoked_at = $2, revoke_reason = $3
     where id = $1 and revoked_at is null`,
    [sessionId, at.toISOString(), reason],
  );
  return res.rowCount > 0;
}

/** Ends every live session of a user, except `keep` when given; returns how many. */
export async function revokeUserSessions(
  db: Queryable,
  userId: string,
  at: Date,
  reason: RevokeReason,
  keep: string | null = null,
): Promise<number> {
  const res = await db.query(
    `update sessions set revoked_at = $2, revoke_reason = $3
     where user_id = $1 and revoked_at is null and ($4::text is null or id <> $4)`,
    [userId, at.toISOString(), reason, keep],
  );
  return res.rowCount;
}

export interface SignedInRow {
  readonly user_id: string;
  readonly display_name: string;
  readonly role: Role;
  readonly since: Date | string;
  readonly last_seen_at: Date | string;
}

/**
 * The users with a live session at `now` (not revoked, within the shift, active within the idle
 * limit), one row each, longest signed in first.
 */
export async function listSignedIn(
  db: Queryable,
  now: Date,
  idleMs: number,
): Promise<SignedInRow[]> {
  const res = await db.query<SignedInRow>(
    `select u.id as user_id, u.display_name, u.role,
            min(s.created_at) as since, max(s.last_seen_at) as last_seen_at
     from sessions s join users u on u.id = s.user_id
     where s.revoked_at is null and not u.disabled
       and s.created_at > $1 and s.last_seen_at >= $2
     group by u.id, u.display_name, u.role
     order by since, u.display_name`,
    [
      new Date(now.getTime() - SESSION_LIFETIME_MS).toISOString(),
      new Date(now.getTime() - idleMs).toISOString(),
    ],
  );
  return res.rows;
}

/**
 * Who was signed in at some time in [from, to): sessions opened before its end and seen after its
 * start. A session is seen while its console is in use, so this is who was at a console then.
 */
export async function listSignedInBetween(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<SignedInRow[]> {
  const res = await db.query<SignedInRow>(
    `select u.id as user_id, u.display_name, u.role,
            min(s.created_at) as since, max(s.last_seen_at) as last_seen_at
     from sessions s join users u on u.id = s.user_id
     where s.created_at < $2 and s.last_seen_at >= $1
       and s.created_at > $3
     group by u.id, u.display_name, u.role
     order by u.display_name`,
    [
      from.toISOString(),
      to.toISOString(),
      new Date(from.getTime() - SESSION_LIFETIME_MS).toISOString(),
    ],
  );
  return res.rows;
}
