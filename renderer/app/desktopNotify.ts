import { useSessionStore } from '../session/sessionStore';

/**
 * A desktop notification for an urgent event (or a notable one while the console is away,
 * eventCatalog.ts's desktopNotificationDue), in the web console (the browser's Notification
 * API). In the desktop app the host shows Electron's own notification for the same events, so
 * the page does not add a second one.
 */
export function desktopNotify(title: string, body: string): void {
  if (useSessionStore.getState().info?.shell !== 'web') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  new Notification(`Watchfloor: ${title}`, { body, tag: `${title}:${body}` });
}

/** Asks once, after sign-in, whether urgent (and away-notable) events may be shown as desktop notifications. */
export function askForDesktopNotifications(): void {
  if (useSessionStore.getState().info?.shell !== 'web') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}
