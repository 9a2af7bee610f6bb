import { consoleContentSecurityPolicy } from '../host/console/contentSecurity';

/** The console's CSP (electron/host/console/contentSecurity.ts) for the web host. */
export function contentSecurityPolicy(imageSources: readonly string[] = []): string {
  return consoleContentSecurityPolicy({ imageSources });
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * Sent only over TLS (RFC 6797: browsers ignore it on plain HTTP, on IP-literal hosts and on
 * connections with certificate errors, so the self-made certificate on 127.0.0.1 is unaffected).
 * A year: a browser that has reached a center's console under its real name never again tries
 * it over plain HTTP, where a token could be read on the way.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export function securityHeaders(
  imageSources: readonly string[] = [],
  tls = false,
): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    'content-security-policy': contentSecurityPolicy(imageSources),
    ...(tls ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
};
