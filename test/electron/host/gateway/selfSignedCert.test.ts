import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { makeSelfSignedCert } from '../../../../electron/host/gateway/selfSignedCert';

describe('self-signed media certificate', () => {
  it('is a valid self-signed certificate for the loopback names', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const cert = makeSelfSignedCert(now, 30);
    const x509 = new X509Certificate(cert.certPem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkHost('example.com')).toBeUndefined();
    expect(new Date(x509.validTo).getTime()).toBe(now.getTime() + 30 * 86_400_000);
    expect(x509.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it('makes a new key every time, and every one is valid DER (random serials included)', () => {
    expect(makeSelfSignedCert().spkiSha256).not.toBe(makeSelfSignedCert().spkiSha256);
    // A serial with a needless leading zero byte is invalid DER; OpenSSL refuses it at load.
    for (let i = 0; i < 300; i++) {
      const cert = makeSelfSignedCert();
      expect(() => createSecureContext({ key: cert.keyPem, cert: cert.certPem })).not.toThrow();
    }
  });
});
