import type { Queryable } from '../store/store';
import type { Role } from '../../shared/domain/roles';
import type { UserSummary } from '../../shared/api/users';

/** Reading accounts (the changes to them are in userChanges.ts; sign-in's own columns in auth/). */

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  failed_attempts: number;
  locked_until: Date | string | null;
  disabled: boolean;
  created_at: Date | string;
}

export function summarizeUser(u: UserRow): UserSummary {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    totpEnrolled: u.totp_secret !== null,
    disabled: u.disabled,
  };
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const res = await db.query<UserRow>('select * from users where username = $1', [username]);
  return res.rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const res = await db.query<UserRow>('select * from users where id = $1', [id]);
  return res.rows[0] ?? null;
}

/** An account as the administrators' list shows it: with when it last completed a sign-in. */
export interface ListedUserRow extends UserRow {
  last_sign_in_at: Date | string | null;
}

/**
 * Every account, by username. The last sign-in is the newest full session: an enrolment-only
 * session is a password without the second factor, not a sign-in.
 */
export async function listUsers(db: Queryable): Promise<ListedUserRow[]> {
  const res = await db.query<ListedUserRow>(
    `select u.*, (select max(s.created_at) from sessions s
                  where s.user_id = u.id and s.scope = 'full') as last_sign_in_at
     from users u order by u.username`,
  );
  return res.rows;
}

/** Administrators other than `exceptId` who can still sign in (not disabled). */
export async function countOtherActiveAdmins(db: Queryable, exceptId: string): Promise<number> {
  const res = await db.query<{ n: number }>(
    `select count(*)::int as n from users
     where role = 'admin' and not disabled and id <> $1`,
    [exceptId],
  );
  return Number(res.rows[0]!.n);
}

/** The ids of a user's sessions that have not been ended. */
export async function liveSessionIds(db: Queryable, userId: string): Promise<string[]> {
  const res = await db.query<{ id: string }>(
    'select id from sessions where user_id = $1 and revoked_at is null order by created_at',
    [userId],
  );
  return res.rows.map((r) => r.id);
}
