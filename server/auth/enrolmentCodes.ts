import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/store';

/**
 * The one-time code an administrator hands a person so that they can enrol an authenticator
 * app. A password alone must not be enough to enrol, or whoever steals a password before its
 * owner's first sign-in could bind their own phone to the account.
 */

/** Long enough to hand over at the start of a shift or a week, short enough not to linger. */
export const ENROLMENT_CODE_HOURS = 72;

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols of 5 bits: 100 random bits. */
const SYMBOLS = 20;

export interface EnrolmentCode {
  /** Shown once, in groups of four: `7K2M-...`. */
  readonly code: string;
  readonly expiresAt: string;
}

function newCode(): string {
  const bytes = randomBytes(SYMBOLS);
  let out = '';
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every symbol equally likely.
  for (let i = 0; i < SYMBOLS; i += 1) out += ALPHABET[bytes[i]! % 32];
  return out.replace(/(.{4})(?!$)/g, '$1-');
}

/**
 * The code as typed, in its canonical form: case, spaces and dashes do not matter, and the
 * letters people confuse with digits are read as those digits.
 */
export function normalizeEnrolmentCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A plain SHA-256 is enough: the code has 100 random bits, nothing to guess or look up. */
export function hashEnrolmentCode(typed: string): string {
  return createHash('sha256').update(normalizeEnrolmentCode(typed), 'utf8').digest('hex');
}

/** Issues a code for the user, replacing any earlier one; only its hash is stored. */
export async function issueEnrolmentCode(
  db: Queryable,
  userId: string,
  at: Date,
): Promise<EnrolmentCode> {
  const code = newCode();
  const expiresAt = new Date(at.getTime() + ENROLMENT_CODE_HOURS * 3_600_000);
  await db.query(
    `insert into enrolment_codes (user_id, code_hash, created_at, expires_at)
     values ($1, $2, $3, $4)
     on conflict (user_id) do update
       set code_hash = excluded.code_hash, created_at = excluded.created_at,
           expires_at = excluded.expires_at`,
    [userId, hashEnrolmentCode(code), at.toISOString(), expiresAt.toISOString()],
  );
  return { code, expiresAt: expiresAt.toISOString() };
}

export type EnrolmentCodeCheck = 'valid' | 'wrong' | 'expired' | 'none';

/** Whether `typed` is the user's outstanding code at `at`. Does not use it up. */
export async function checkEnrolmentCode(
  db: Queryable,
  userId: string,
  typed: string,
  at: Date,
): Promise<EnrolmentCodeCheck> {
  const res = await db.query<{ code_hash: string; expires_at: Date | string }>(
    'select code_hash, expires_at from enrolment_codes where user_id = $1',
    [userId],
  );
  const row = res.rows[0];
  if (!row) return 'none';
  if (row.code_hash !== hashEnrolmentCode(typed)) return 'wrong';
  if (new Date(row.expires_at).getTime() <= at.getTime()) return 'expired';
  return 'valid';
}

export async function deleteEnrolmentCode(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from enrolment_codes where user_id = $1', [userId]);
}
