/** The renderer is served from wf-app://console; media from wf-media://media. */
export const APP_SCHEME = 'wf-app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const MEDIA_SCHEME = 'wf-media';
export const MEDIA_ROOT = `${MEDIA_SCHEME}://media/`;

/**
 * The console's CSP: code only from the bundle, media only from the gateway, nothing from the
 * network, no framing. Sent as a header by the wf-app:// handler.
 */
export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
