import type { Queryable } from '../store/store';
import type { UserRow } from '../users/userRepository';

/** A user row with the sign-in columns added by migration 0003. */
export interface AuthUserRow extends UserRow {
  totp_last_step: number | null;
}

export async function loadAuthUser(db: Queryable, id: string): Promise<AuthUserRow | null> {
  const res = await db.query<AuthUserRow>('select * from users where id = $1', [id]);
  return res.rows[0] ?? null;
}
