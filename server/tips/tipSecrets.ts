import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What keeps a tipster anonymous (docs/tip-line.md, "Anonymity"). The phone number is sealed with
 * AES-256-GCM so that replies can be sent, and threads are found by an HMAC-SHA256 of the number,
 * both with keys derived from one secret that lives outside the database (WF_TIP_KEY, or a file
 * beside the data created on first start). A copy of the database alone reveals no number.
 */
export interface TipSecrets {
  /** The number, sealed: `v1.<iv>.<ciphertext>.<tag>`, base64url. */
  seal(number: string): string;
  open(sealed: string): string;
  /** A keyed hash of the number: equal numbers give equal keys, and nothing else can. */
  numberKey(number: string): string;
  /** The alias of a thread, derived from its number key: `length` characters, no look-alikes. */
  alias(numberKey: string, length: number): string;
}

const SEAL_INFO = 'watchfloor tip number seal v1';
const HASH_INFO = 'watchfloor tip number key v1';
const ALIAS_INFO = 'watchfloor tip alias v1';
/** Digits and capitals without 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V: read aloud over the radio. */
const ALIAS_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';

/** Reads a 32-byte secret given as 64 hex digits or as base64 / base64url. */
export function parseTipKey(text: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length !== 32) {
    throw new Error('WF_TIP_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  return bytes;
}

/**
 * The secret from WF_TIP_KEY, else from the key file, which is created (mode 0600) when absent.
 * Several servers on one PostgreSQL database must share WF_TIP_KEY.
 */
export function loadTipKey(opts: { readonly key: string | undefined; readonly file: string }): {
  readonly key: Buffer;
  readonly created: boolean;
} {
  if (opts.key !== undefined) return { key: parseTipKey(opts.key), created: false };
  if (existsSync(opts.file))
    return { key: parseTipKey(readFileSync(opts.file, 'utf8')), created: false };
  mkdirSync(dirname(opts.file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(opts.file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(opts.file, 0o600);
  return { key, created: true };
}

const derive = (key: Buffer, info: string) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));

export function tipSecrets(key: Buffer): TipSecrets {
  const sealKey = derive(key, SEAL_INFO);
  const hashKey = derive(key, HASH_INFO);
  const aliasKey = derive(key, ALIAS_INFO);
  return {
    seal(number) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const ct = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', ...[iv, ct, tag].map((p) => p.toString('base64url'))].join('.');
    },
    open(sealed) {
      const [version, iv, ct, tag] = sealed.split('.');
      if (version !== 'v1' || !iv || !ct || !tag) throw new Error('not a sealed tip number');
      const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ct, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
    numberKey(number) {
      return createHmac('sha256', hashKey).update(normaliseNumber(number)).digest('hex');
    },
    alias(numberKey, length) {
      const digest = createHmac('sha256', aliasKey).update(numberKey).digest();
      let out = '';
      for (let i = 0; i < length; i++) out += ALIAS_ALPHABET[digest[i]! % ALIAS_ALPHABET.length];
      return out;
    },
  };
}

/**
 * One number, one thread: spaces (anywhere, the ends included), brackets, dashes and dots do not
 * make a new tipster.
 */
export function normaliseNumber(number: string): string {
  return number.replace(/[\s().-]/g, '');
}
