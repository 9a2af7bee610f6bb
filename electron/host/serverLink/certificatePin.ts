import { Agent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/**
 * Pinning the RTCC server's certificate by the SHA-256 of its DER encoding
 * (`WF_SERVER_CERT_SHA256`): a center that runs its server on a self-signed or private-CA
 * certificate names the one certificate it trusts, and no other certificate, however it chains,
 * is accepted. Without a pin the usual CA validation applies.
 */

export class CertificatePinError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string | null,
  ) {
    super(
      `The RTCC server's certificate does not match the pinned SHA-256 fingerprint ` +
        `(WF_SERVER_CERT_SHA256): expected ${expected}, got ${actual ?? 'no certificate'}.`,
    );
    this.name = 'CertificatePinError';
  }
}

/** Accepts hex with or without colons, any case; returns lower-case hex without colons. */
export function parseFingerprint(raw: string): string {
  const hex = raw.trim().replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      'WF_SERVER_CERT_SHA256 is the SHA-256 of the server certificate: 64 hex digits, colons allowed',
    );
  }
  return hex;
}

function fingerprintOf(socket: TLSSocket): string | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return null;
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

/**
 * An HTTPS agent that accepts exactly the pinned certificate. The check runs when the handshake
 * completes, and the socket reaches the request only once the check has passed.
 */
export class PinnedAgent extends Agent {
  constructor(
    private readonly fingerprint: string,
    options: AgentOptions = {},
  ) {
    super({ ...options, keepAlive: true });
  }

  override createConnection(
    options: ConnectionOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    // The pin replaces chain validation: a pinned self-signed certificate does not chain.
    const socket = connect({ ...options, rejectUnauthorized: false });
    let settled = false;
    const settle = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      callback?.(err, socket);
    };
    socket.once('error', (err) => settle(err));
    socket.once('secureConnect', () => {
      const actual = fingerprintOf(socket);
      if (actual !== this.fingerprint) {
        const err = new CertificatePinError(this.fingerprint, actual);
        socket.destroy();
        settle(err);
        return;
      }
      // Only a verified socket is handed to the request, so nothing is written before the check.
      settle(null);
    });
    return undefined;
  }
}
