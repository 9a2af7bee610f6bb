import { dictionary } from '@zxcvbn-ts/language-common';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../shared/api/users';

/**
 * What a new password must be, after NIST SP 800-63B (5.1.1.2), which the CJIS Security Policy
 * follows since version 5.9.2: long enough, not known to attackers, and nothing else. No rules
 * about character classes (they make passwords harder to remember, not harder to guess), no
 * expiry, every printable character and space allowed.
 *
 * Twelve characters, not the eight 800-63B allows beside a second factor: a password here also
 * unlocks an idle console without the second factor, and the account list of a center is small
 * and known, so an offline guess against a stolen hash is the attack to price out.
 */
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH };

/**
 * About 49,000 of the passwords most found in breach corpora (the list that zxcvbn-ts ships in
 * @zxcvbn-ts/language-common, kept up by that project). Compared in lower case.
 */
let common: ReadonlySet<string> | null = null;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Names of this system that people put in its passwords. */
const CONTEXT_WORDS = ['watchfloor', 'rtcc'];

/** One unit said over and over ("aaaaaaaaaaaa", "abcabcabcabc", "121212121212"). */
function isRepetition(p: string): boolean {
  return /^(.{1,4})\1+$/su.test(p);
}

/** A run up or down the alphabet or the digits ("abcdefghijkl", "987654321098"). */
function isSequence(p: string): boolean {
  const codes = [...p.toLowerCase()].map((c) => c.codePointAt(0)!);
  if (codes.length < 3) return false;
  const step = codes[1]! - codes[0]!;
  if (step !== 1 && step !== -1) return false;
  // Digits wrap around (…8 9 0 1…), as people type them along the keyboard row.
  const wraps = (a: number, b: number) => (a === 57 && b === 48) || (a === 48 && b === 57);
  return codes.every((c, i) => i === 0 || c - codes[i - 1]! === step || wraps(codes[i - 1]!, c));
}

/** The letter rows of a QWERTY keyboard end to end, as people sweep along them. */
const KEYBOARD_ROWS = 'qwertyuiopasdfghjklzxcvbnm';

/** A sweep along the keyboard's letter rows ("qwertyuiopasdf"), either way. */
function isKeyboardWalk(p: string): boolean {
  const reversed = [...KEYBOARD_ROWS].reverse().join('');
  return p.length >= 6 && (KEYBOARD_ROWS.includes(p) || reversed.includes(p));
}

/**
 * Why a password is refused, as a sentence for the person choosing it, or null when it is
 * acceptable. `username` is the account's own name, which a password must not be built on.
 */
export function passwordProblem(password: string, username: string | null): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `A password has at least ${MIN_PASSWORD_LENGTH} characters; a few words make a good one.`;
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return `A password has at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/[\d\W_]+$/u, '');
  // A common password padded with digits or symbols ("password1234!") is still a common one.
  if (commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core))) {
    return 'That password is on a list of common and breached passwords: choose another.';
  }
  if (isRepetition(lower) || isSequence(lower) || isKeyboardWalk(core)) {
    return 'That password is a repeated or sequential run of characters: choose another.';
  }
  const names = [...CONTEXT_WORDS, ...(username && username.length >= 3 ? [username] : [])];
  if (names.some((name) => lower.includes(name.toLowerCase()))) {
    return 'A password must not contain the username or the name of this system: choose another.';
  }
  return null;
}
