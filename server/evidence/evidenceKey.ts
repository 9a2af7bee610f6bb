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

/**
 * The agency's evidence key (Ed25519): it signs every package's manifest, so that a court or a
 * defence expert can check, with the public key alone, that nothing in a package changed after
 * the center exported it. The private key lives in a file of the data folder (mode 600), like
 * the audit checkpoint key, never in the database; whoever reads it could sign a forged package.
 */
export interface EvidencePublicKey {
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  /** SHA-256 of the SubjectPublicKeyInfo (DER), hex in groups of four, as read over a phone. */
  readonly fingerprint: string;
}

export interface EvidenceSigningKey extends EvidencePublicKey {
  readonly privateKey: KeyObject;
}

export function keyFingerprint(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(spki).digest('hex');
  return hex.match(/.{4}/g)!.join(':');
}

export function publicKeyFromPem(pem: string | Buffer): EvidencePublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the public key is ${publicKey.asymmetricKeyType}, evidence uses Ed25519`);
  }
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

/** The signature of `bytes`, base64. */
export function signEvidence(key: EvidenceSigningKey, bytes: Buffer): string {
  return sign(null, bytes, key.privateKey).toString('base64');
}

export function verifyEvidenceSignature(
  key: EvidencePublicKey,
  bytes: Buffer,
  signature: string,
): boolean {
  try {
    return verify(null, bytes, key.publicKey, Buffer.from(signature.trim(), 'base64'));
  } catch {
    return false;
  }
}

/**
 * The key in `path`, made there on first use (created exclusively, so two processes starting at
 * once cannot each write their own). A key file others may read is refused.
 */
export function loadEvidenceKey(path: string): EvidenceSigningKey {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (err) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
  }
  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${path} holds a ${privateKey.asymmetricKeyType} key; evidence needs Ed25519`);
  }
  return {
    ...publicKeyFromPem(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })),
    privateKey,
  };
}
