import { createHash, randomBytes } from 'node:crypto';

/** A refresh token lives at most one shift after sign-in, however often it is rotated. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

/**
 * A session that may only enrol an authenticator, or only replace a temporary password, ends this
 * soon after the password: time to finish the step, not to keep a half sign-in around.
 */
export const ENROLMENT_SESSION_MS = 15 * 60_000;

/**
 * What a session may do: everything its role allows, only enrol a second factor, or only replace
 * a temporary password (docs/users.md).
 */
export type SessionScope = 'full' | 'enrolment' | 'password_change';

/** 32 random bytes, base64url: what a client holds. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this digest is stored, so a copy of the database does not hand out live sessions. A plain
 * SHA-256 is enough: the token has 256 bits of entropy, nothing to guess.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export { RefreshTokenSchema } from '../../shared/api/auth';

export function sessionExpiresAt(createdAt: Date | string, scope: SessionScope): Date {
  const lifetime = scope === 'full' ? SESSION_LIFETIME_MS : ENROLMENT_SESSION_MS;
  return new Date(new Date(createdAt).getTime() + lifetime);
}
