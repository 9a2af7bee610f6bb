import { consoleContentSecurityPolicy } from '../host/console/contentSecurity';

/** The console's CSP (electron/host/console/contentSecurity.ts) for the web host. */
export function contentSecurityPolicy(imageSources: readonly string[] = []): string {
  return consoleContentSecurityPolicy({ imageSources });
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export function securityHeaders(imageSources: readonly string[] = []): Record<string, string> {
  return { ...SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy(imageSources) };
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
