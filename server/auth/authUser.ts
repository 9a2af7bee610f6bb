import type { Queryable } from '../store/store';
import type { UserRow } from '../users/userRepository';

/** A user row with the sign-in columns added by migrations 0003 and 0027. */
export interface AuthUserRow extends UserRow {
  totp_last_step: number | null;
  /** The password is a temporary one the server made: it is changed at the next sign-in. */
  password_must_change: boolean;
}

export async function loadAuthUser(db: Queryable, id: string): Promise<AuthUserRow | null> {
  const res = await db.query<AuthUserRow>('select * from users where id = $1', [id]);
  return res.rows[0] ?? null;
}
