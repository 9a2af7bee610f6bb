import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What keeps camera credentials unreadable in a copy of the database (docs/cameras-admin.md,
 * "Credentials at rest"). A source's secret parts (username, password, a user:password@ in its
 * URL, a token in its query) are sealed with AES-256-GCM under a key derived from one secret that
 * lives outside the database: WF_CAMERA_KEY, or a file beside the data made on first use, as the
 * tip line keeps its key (docs/deploy.md). The sealed text is bound to its camera and to which
 * source it is, so a row copied onto another camera does not open.
 */
export interface CameraSecrets {
  seal(plain: string, binding: SealBinding): string;
  open(sealed: string, binding: SealBinding): string;
}

/** Which row a sealed text belongs to: the camera and whether it is the live or recordings source. */
export interface SealBinding {
  readonly cameraId: string;
  readonly source: 'live' | 'recordings';
}

const SEAL_INFO = 'watchfloor camera credentials v1';
const PREFIX = 'v1';

/** Reads a 32-byte secret given as 64 hex digits or as base64 / base64url. */
export function parseCameraKey(text: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length !== 32) {
    throw new Error('WF_CAMERA_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  return bytes;
}

/**
 * The secret from WF_CAMERA_KEY, else from the key file, which is created (mode 0600) when absent.
 * Several servers on one PostgreSQL database must share WF_CAMERA_KEY.
 */
export function loadCameraKey(opts: { readonly key: string | undefined; readonly file: string }): {
  readonly key: Buffer;
  readonly created: boolean;
} {
  if (opts.key !== undefined) return { key: parseCameraKey(opts.key), created: false };
  if (existsSync(opts.file))
    return { key: parseCameraKey(readFileSync(opts.file, 'utf8')), created: false };
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(opts.file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs, or the two would seal with different keys.
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST')
      return { key: parseCameraKey(readFileSync(opts.file, 'utf8')), created: false };
    throw err;
  }
  chmodSync(opts.file, 0o600);
  return { key, created: true };
}

const aad = (b: SealBinding) => Buffer.from(`${b.source}\u0000${b.cameraId}`, 'utf8');

export function cameraSecrets(key: Buffer): CameraSecrets {
  const sealKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), SEAL_INFO, 32));
  return {
    seal(plain, binding) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(aad(binding));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [PREFIX, ...[iv, ct, tag].map((p) => p.toString('base64url'))].join('.');
    },
    open(sealed, binding) {
      const [version, iv, ct, tag] = sealed.split('.');
      if (version !== PREFIX || !iv || !ct || !tag)
        throw new Error('not sealed camera credentials');
      const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ct, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

/** The settings a server reads its camera key from (server/config.ts). */
export interface CameraKeyConfig {
  readonly cameraKey: string | undefined;
  readonly cameraKeyFile: string;
}

const loaded = new WeakMap<CameraKeyConfig, CameraSecrets>();

/**
 * The camera secrets of a server's settings. The key is read (or made) on the first seal or open,
 * so a server whose cameras have no credentials writes no key file.
 */
export function cameraSecretsOf(config: CameraKeyConfig): CameraSecrets {
  const cached = loaded.get(config);
  if (cached) return cached;
  let real: CameraSecrets | null = null;
  const load = () =>
    (real ??= cameraSecrets(
      loadCameraKey({ key: config.cameraKey, file: config.cameraKeyFile }).key,
    ));
  const lazy: CameraSecrets = {
    seal: (plain, binding) => load().seal(plain, binding),
    open: (sealed, binding) => load().open(sealed, binding),
  };
  loaded.set(config, lazy);
  return lazy;
}
