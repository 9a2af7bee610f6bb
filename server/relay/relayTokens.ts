import { createHash, randomBytes } from 'node:crypto';
import type { RelayProtocol, RelaySource } from '../../shared/api/cameras';
import type { SourceDescriptor } from '../../shared/domain/cameras';

/** 256 random bits, base64url: the only thing that opens a grant's relay paths. */
export function newRelayToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The database keeps only this, so a copy of it opens no feed. */
export function relayTokenSha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const RELAY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** RTSP is remuxed to MPEG-TS over HTTP by the relay; the other kinds keep their form. */
export function relayProtocolOf(source: SourceDescriptor): RelayProtocol {
  return source.protocol === 'rtsp' ? 'http-ts' : source.protocol;
}

/** What a grant tells its holder: where to pull, and nothing about the camera's own address. */
export function relaySourceFor(token: string, source: SourceDescriptor): RelaySource {
  return {
    protocol: relayProtocolOf(source),
    path: `/v1/relay/${token}/main`,
    ...(source.substreamUrl ? { substreamPath: `/v1/relay/${token}/sub` } : {}),
    codecHint: source.codecHint,
    ptz: source.ptz,
  };
}
