import { createHash, randomBytes } from 'node:crypto';

/**
 * Integration keys are 32 random bytes, so a plain SHA-256 of one cannot be reversed by trying
 * candidates: a slow, salted hash (argon2) protects secrets people choose, which a key is not.
 * An unsalted hash also lets the guard find the key's row by an index lookup, with no key id to
 * send beside it. The prefix tells a leaked key apart in logs and secret scanners.
 */
const KEY_PREFIX = 'wfi_';

export function newIntegrationKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashIntegrationKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
