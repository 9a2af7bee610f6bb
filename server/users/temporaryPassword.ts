import { randomBytes } from 'node:crypto';
import { passwordProblem } from '../auth/passwordPolicy';

/**
 * A first password the server makes when the administrator does not set one: shown to the
 * administrator once, stored only as its hash like any other password.
 */

/** Lower-case Crockford base32 (no i, l, o, u): read aloud or copied by hand, it survives. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 20 symbols of 5 bits: 100 random bits, far past what an offline guess could reach. */
const SYMBOLS = 20;

function candidate(): string {
  const bytes = randomBytes(SYMBOLS);
  let out = '';
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every symbol equally likely.
  for (let i = 0; i < SYMBOLS; i += 1) out += ALPHABET[bytes[i]! % 32];
  return out.replace(/(.{5})(?!$)/g, '$1-');
}

/** A random password that passes the password policy for this username. */
export function newTemporaryPassword(username: string): string {
  // A random draw almost never trips the policy (a run, the username); drawing again is enough.
  for (;;) {
    const password = candidate();
    if (passwordProblem(password, username) === null) return password;
  }
}
