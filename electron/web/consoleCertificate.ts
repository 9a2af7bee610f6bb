import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSelfSignedCert } from '../host/gateway/selfSignedCert';

export interface ConsoleCertificate {
  readonly keyPem: string;
  readonly certPem: string;
  /** SHA-256 of the certificate (hex with colons), for a person to compare with the browser's. */
  readonly fingerprint256: string;
  /** base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  readonly spkiSha256: string;
  readonly selfSigned: boolean;
}

/** Made again this long before it expires. */
const RENEW_BEFORE_MS = 7 * 86_400_000;
const VALID_DAYS = 365;

function describe(keyPem: string, certPem: string, selfSigned: boolean): ConsoleCertificate {
  const x509 = new X509Certificate(certPem);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyPem,
    certPem,
    fingerprint256: x509.fingerprint256,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    selfSigned,
  };
}

/**
 * The web console's TLS certificate: the center's own (WF_CONSOLE_CERT and WF_CONSOLE_KEY, PEM
 * files) or, without one, a self-signed certificate for 127.0.0.1 and localhost made once and kept
 * in the data folder, so that a browser's one-time exception lasts across restarts.
 */
export async function loadConsoleCertificate(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  now = new Date(),
): Promise<ConsoleCertificate> {
  if (env.WF_CONSOLE_CERT || env.WF_CONSOLE_KEY) {
    if (!env.WF_CONSOLE_CERT || !env.WF_CONSOLE_KEY) {
      throw new Error('WF_CONSOLE_CERT and WF_CONSOLE_KEY go together (PEM files)');
    }
    const [certPem, keyPem] = await Promise.all([
      readFile(env.WF_CONSOLE_CERT, 'utf8'),
      readFile(env.WF_CONSOLE_KEY, 'utf8'),
    ]);
    return describe(keyPem, certPem, false);
  }
  const dir = join(dataDir, 'console-tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(certPath, 'utf8'),
      readFile(keyPath, 'utf8'),
    ]);
    const validTo = Date.parse(new X509Certificate(certPem).validTo);
    if (validTo - RENEW_BEFORE_MS > now.getTime()) return describe(keyPem, certPem, true);
  } catch {
    // none yet, or unreadable: make one
  }
  const made = makeSelfSignedCert(now, VALID_DAYS);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, made.keyPem, { mode: 0o600 });
  await writeFile(certPath, made.certPem, { mode: 0o644 });
  return describe(made.keyPem, made.certPem, true);
}
