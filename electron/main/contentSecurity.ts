import { consoleContentSecurityPolicy } from '../host/console/contentSecurity';

/** The renderer is served from wf-app://console; media from wf-media://media. */
export const APP_SCHEME = 'wf-app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const MEDIA_SCHEME = 'wf-media';
export const MEDIA_ROOT = `${MEDIA_SCHEME}://media/`;
/** Tip photos and videos, streamed from the server through the host (electron/host/console/tipMedia.ts). */
export const TIP_MEDIA_HOST = 'tip-media';
export const TIP_MEDIA_ROOT = `${MEDIA_SCHEME}://${TIP_MEDIA_HOST}/`;

/** The console's CSP (electron/host/console/contentSecurity.ts) with media from wf-media://. */
export function electronCsp(imageSources: readonly string[] = []): string {
  return consoleContentSecurityPolicy({ imageSources, mediaSources: [`${MEDIA_SCHEME}:`] });
}
