import { createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadTipKey,
  normaliseNumber,
  parseTipKey,
  tipSecrets,
} from '../../../server/tips/tipSecrets';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const KEY = Buffer.from(KEY_HEX, 'hex');

/** Derived as docs/tip-line.md describes: HKDF-SHA256 of the secret, no salt, one label each. */
function derived(label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', KEY, Buffer.alloc(0), label, 32));
}

describe('tip secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-tip-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keys threads by HMAC-SHA256 under the derived label, so existing threads survive upgrades', () => {
    const secrets = tipSecrets(KEY);
    const number = '+1 (336) 555-0123';
    const expected = createHmac('sha256', derived('watchfloor tip number key v1'))
      .update('+13365550123')
      .digest('hex');
    expect(secrets.numberKey(number)).toBe(expected);
    expect(secrets.numberKey(' +1.336.555.0123 ')).toBe(expected);
    expect(secrets.numberKey('+13365550124')).not.toBe(expected);
  });

  it('derives aliases under their own label, from the radio-safe alphabet', () => {
    const secrets = tipSecrets(KEY);
    const numberKey = secrets.numberKey('+13365550123');
    const digest = createHmac('sha256', derived('watchfloor tip alias v1'))
      .update(numberKey)
      .digest();
    const alphabet = '34679ACDEFGHJKMNPQRTWXY';
    const expected = Array.from({ length: 6 }, (_, i) => alphabet[digest[i]! % 23]).join('');
    expect(secrets.alias(numberKey, 6)).toBe(expected);
  });

  it('seals with AES-256-GCM under the seal label, readable only with the same secret', () => {
    const secrets = tipSecrets(KEY);
    const sealed = secrets.seal('+13365550123');
    const [version, iv, ct, tag] = sealed.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain('3365550123');
    expect(secrets.open(sealed)).toBe('+13365550123');
    expect(secrets.seal('+13365550123')).not.toBe(sealed);
    // The seal key is the derived one, not the secret itself nor another label's key.
    const decipher = createDecipheriv(
      'aes-256-gcm',
      derived('watchfloor tip number seal v1'),
      Buffer.from(iv!, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ct!, 'base64url')), decipher.final()]);
    expect(plain.toString('utf8')).toBe('+13365550123');
    const other = tipSecrets(Buffer.alloc(32, 7));
    expect(() => other.open(sealed)).toThrow();
  });

  it('refuses what is not a sealed number', () => {
    const secrets = tipSecrets(KEY);
    const [, iv, ct, tag] = secrets.seal('+13365550123').split('.');
    for (const bad of [
      `v2.${iv}.${ct}.${tag}`,
      `v1..${ct}.${tag}`,
      `v1.${iv}..${tag}`,
      `v1.${iv}.${ct}.`,
      `v1.${iv}.${ct}`,
      '',
    ]) {
      expect(() => secrets.open(bad), bad).toThrow('not a sealed tip number');
    }
  });

  it('reads the secret as 64 hex digits or base64, around whitespace, and nothing else', () => {
    expect(parseTipKey(KEY_HEX)).toEqual(KEY);
    expect(parseTipKey(` ${KEY_HEX}\n`)).toEqual(KEY);
    expect(parseTipKey(KEY.toString('base64'))).toEqual(KEY);
    expect(parseTipKey(KEY.toString('base64url'))).toEqual(KEY);
    for (const bad of [`${KEY_HEX}0`, `0${KEY_HEX}`, KEY_HEX.slice(2), 'short']) {
      expect(() => parseTipKey(bad), bad).toThrow(
        'WF_TIP_KEY must be 32 bytes, as 64 hex digits or base64',
      );
    }
  });

  it('takes WF_TIP_KEY first, else the key file, else creates the file (0600) once', () => {
    const file = join(dir, 'data', 'keys', 'tip-key');
    expect(loadTipKey({ key: KEY_HEX, file })).toEqual({ key: KEY, created: false });
    const first = loadTipKey({ key: undefined, file });
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(readFileSync(file, 'utf8')).toBe(`${first.key.toString('hex')}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadTipKey({ key: undefined, file })).toEqual({ key: first.key, created: false });
    writeFileSync(file, `${KEY.toString('base64')}\n`);
    expect(loadTipKey({ key: undefined, file })).toEqual({ key: KEY, created: false });
  });

  it('treats a number written with spaces, dots, dashes or brackets as the same number', () => {
    expect(normaliseNumber(' +1 (336) 555-0123\t')).toBe('+13365550123');
    expect(normaliseNumber('336.555.0123')).toBe('3365550123');
  });
});
