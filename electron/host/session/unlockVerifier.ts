import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What lets a locked console be unlocked with the password alone, on the workstation, even while
 * the server is unreachable: a salted scrypt hash of the password given at sign-in. It never
 * leaves the host (Electron keeps it inside the encrypted session file).
 */
export const UnlockVerifierSchema = z.object({
  salt: z.string(),
  hash: z.string(),
});
export type UnlockVerifier = z.infer<typeof UnlockVerifierSchema>;

const KEY_BYTES = 32;
// About 50 ms on a workstation: slow to guess offline, quick enough for an unlock.
const COST = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, COST, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function makeUnlockVerifier(password: string): Promise<UnlockVerifier> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt);
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function checkUnlockPassword(
  verifier: UnlockVerifier,
  password: string,
): Promise<boolean> {
  const expected = Buffer.from(verifier.hash, 'base64');
  const actual = await derive(password, Buffer.from(verifier.salt, 'base64'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
