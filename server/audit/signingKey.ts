import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A public key that checkpoints may be signed with, named by its key id. */
export interface AuditPublicKey {
  /** First 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

/** The server's checkpoint key. It lives in a file, never in the database it vouches for. */
export interface AuditSigningKey extends AuditPublicKey {
  readonly privateKey: KeyObject;
  /** The public half as PEM, for auditors who verify without the private key. */
  readonly publicKeyPem: string;
}

export function auditKeyId(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

export function signAuditStatement(key: AuditSigningKey, statement: string): string {
  return sign(null, Buffer.from(statement, 'utf8'), key.privateKey).toString('base64');
}

export function verifyAuditStatement(
  key: AuditPublicKey,
  statement: string,
  signature: string,
): boolean {
  try {
    return verify(
      null,
      Buffer.from(statement, 'utf8'),
      key.publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

function fromPrivateKey(privateKey: KeyObject, path: string): AuditSigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${path} holds a ${privateKey.asymmetricKeyType} key; audit checkpoints need Ed25519`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: auditKeyId(publicKey),
    publicKey,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Reads the checkpoint key from `path`; with `create`, makes one there first if none exists
 * (mode 600, created exclusively so two processes starting at once cannot each write their own).
 * A key file others may read is refused: whoever reads it can forge checkpoints.
 */
export function loadAuditSigningKey(
  path: string,
  opts: { readonly create: boolean },
): { readonly key: AuditSigningKey; readonly created: boolean } | null {
  let created = false;
  if (opts.create && !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
      created = true;
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
  }
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  return { key: fromPrivateKey(createPrivateKey(readFileSync(path)), path), created };
}

/** Reads an exported public key (PEM) that checkpoints are checked against. */
export function readAuditPublicKey(path: string): AuditPublicKey {
  return parseAuditPublicKey(readFileSync(path, 'utf8'), path);
}

/** An exported public key's PEM text; `path` names where it came from in messages. */
export function parseAuditPublicKey(pem: string, path: string): AuditPublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${path} holds a ${publicKey.asymmetricKeyType} key; audit checkpoints use Ed25519`,
    );
  }
  return { keyId: auditKeyId(publicKey), publicKey };
}
