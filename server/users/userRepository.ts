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

/** Every account, by username. */
export async function listUsers(db: Queryable): Promise<UserRow[]> {
  const res = await db.query<UserRow>('select * from users order by username');
  return res.rows;
}
