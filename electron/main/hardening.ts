import { app, session, type WebContents } from 'electron';
import { APP_ORIGIN } from './contentSecurity';

/** Whether a page is our own console, served from wf-app://console. */
export function isOwnPage(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Locks down every web contents the app ever creates: no navigation away from the console, no new
 * windows, no <webview>, and permissions refused unless listed (fullscreen for the wall).
 */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  const allowed = new Set(['fullscreen']);
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => {
    callback(allowed.has(permission) && isOwnPage(contents.getURL()));
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission) => {
    return allowed.has(permission) && contents !== null && isOwnPage(contents.getURL());
  });
  session.defaultSession.setDevicePermissionHandler(() => false);
  // Nothing in the console reaches the network: the RTCC server is reached by the main process.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const scheme = new URL(details.url).protocol;
    callback({ cancel: !['wf-app:', 'wf-media:', 'data:', 'blob:', 'devtools:'].includes(scheme) });
  });
}
