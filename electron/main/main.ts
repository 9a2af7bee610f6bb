import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  Notification,
  safeStorage,
  screen,
  type Display as ElectronDisplay,
  type WebContents,
} from 'electron';
import pino from 'pino';
import { IPC_SUBSCRIPTION_CHANNEL } from '../../shared/api/watchfloorApi';
import type { ConsoleConnection } from '../host/console/consoleConnection';
import { ConsoleHost, type ConnectionOptions } from '../host/console/consoleHost';
import { readHostConfig } from '../host/console/hostConfig';
import { mapTilesFrom, mapTilesImageSource } from '../host/console/mapTiles';
import { StreamGateway } from '../host/gateway/index';
import {
  EncryptedFileSecretStore,
  MemorySecretStore,
  type SecretStore,
} from '../host/session/secretStore';
import { handleProtocols, registerSchemes } from './appProtocols';
import { APP_ORIGIN, MEDIA_ROOT, TIP_MEDIA_ROOT } from './contentSecurity';
import { hardenWebContents } from './hardening';
import { watchIdle } from './idleWatch';
import { installIpcBridge } from './ipcBridge';
import { WallWindows } from './wallWindows';

/**
 * The Electron shell: a console window on the primary display, wall windows on the others, the
 * renderer served from wf-app://, media from wf-media://, and the WatchfloorApi over validated
 * IPC. All logic lives in electron/host; this file only wires it to Electron.
 */

const here = dirname(fileURLToPath(import.meta.url));
// Built layout: dist/electron/main/main.js, dist/electron/preload/preload.cjs, dist/renderer/.
const root = resolve(here, '../../..');
const preloadPath = join(here, '../preload/preload.cjs');
const rendererDir = join(root, 'dist/renderer');

registerSchemes();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

function secretStoreAt(path: string, log: pino.Logger): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    // No OS key store (e.g. Linux without a secret service): never write the token in clear.
    log.warn('no OS key store: the session will not survive a restart');
    return new MemorySecretStore();
  }
  return new EncryptedFileSecretStore(path, {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  });
}

/** An event that calls for it (eventCatalog.ts's desktopNotificationDue), as a native notification. */
function notify(notice: { readonly title: string; readonly body: string }): void {
  if (!Notification.isSupported()) return;
  new Notification({
    title: `Watchfloor: ${notice.title}`,
    body: notice.body,
    urgency: 'critical',
  }).show();
}

async function start(): Promise<void> {
  const config = readHostConfig(process.env);
  const log = pino({ level: config.WF_LOG_LEVEL });
  await app.whenReady();
  const dataDir = resolve(config.WF_DATA_DIR ?? app.getPath('userData'));
  const version = app.getVersion();

  hardenWebContents();
  const gateway = new StreamGateway({ dataDir: join(dataDir, 'gateway'), logger: log });
  const mapTiles = mapTilesFrom(
    config.WF_MAP_TILES,
    config.WF_MAP_TILES_ATTRIBUTION,
    config.WF_MAP_TILES_MAX_ZOOM,
  );
  let consoleWindow: BrowserWindow | undefined;
  const host = new ConsoleHost({
    serverUrl: config.WF_SERVER_URL,
    certSha256: config.WF_SERVER_CERT_SHA256,
    secretStore: secretStoreAt(join(dataDir, 'session.bin'), log),
    gateway,
    shell: 'electron',
    version,
    logger: log,
    idleLockMinutes: config.WF_IDLE_LOCK_MINUTES,
    wallPlaysWhenLocked: config.WF_WALL_PLAYS_WHEN_LOCKED,
    mapTiles,
    onUrgentEvent: notify,
    // Notable events marked notifyWhenAway notify only while the console window is out of sight.
    consoleAway: () =>
      consoleWindow === undefined ||
      consoleWindow.isDestroyed() ||
      !consoleWindow.isVisible() ||
      consoleWindow.isMinimized() ||
      !consoleWindow.isFocused(),
    tipMediaRoot: TIP_MEDIA_ROOT,
  });
  const connections = new Map<number, ConsoleConnection>();
  handleProtocols(
    rendererDir,
    {
      handleMediaRequest: (path, query, signal) => gateway.handleMediaRequest(path, query, signal),
      ownsMedia: (id) => host.ownsMedia(id),
      tipMedia: (path, range, signal) => host.tipMedia(path, range, signal),
    },
    mapTiles ? [mapTilesImageSource(mapTiles.urlTemplate)] : [],
  );
  installIpcBridge((contents: WebContents) => connections.get(contents.id) ?? null);

  const openWindow = (role: 'console' | 'wall', display: ElectronDisplay): BrowserWindow => {
    const win = new BrowserWindow({
      ...display.workArea,
      fullscreen: role === 'wall',
      backgroundColor: '#0d1117',
      show: false,
      title: role === 'wall' ? 'Watchfloor wall' : 'Watchfloor',
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // A middle click would otherwise open a link in a new window.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    const contents = win.webContents;
    const id = contents.id;
    const options: ConnectionOptions = {
      window: role,
      mediaRoot: MEDIA_ROOT,
      push: (subscription, payload) => {
        if (!contents.isDestroyed())
          contents.send(IPC_SUBSCRIPTION_CHANNEL, { subscription, payload });
      },
      windows: role === 'console' ? walls : undefined,
    };
    connections.set(id, host.connect(options));
    // A reload (Ctrl+R) once it has happened (a navigation refused by hardening.ts never gets
    // here): the new page takes over the views its tiles put back (docs/console.md).
    contents.on('did-navigate', () => {
      const earlier = connections.get(id);
      if (earlier && earlier.views.list().length > 0)
        connections.set(id, host.reload(earlier, options));
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      const connection = connections.get(id);
      connections.delete(id);
      if (connection) void host.disconnect(connection);
    });
    void win.loadURL(`${APP_ORIGIN}/index.html${role === 'wall' ? '#wall' : ''}`);
    return win;
  };

  const walls = new WallWindows(join(dataDir, 'walls.json'), (display) =>
    openWindow('wall', display),
  );
  consoleWindow = openWindow('console', screen.getPrimaryDisplay());
  await host.start();
  walls.restore();

  app.on('second-instance', () => {
    if (!consoleWindow || consoleWindow.isDestroyed()) {
      consoleWindow = openWindow('console', screen.getPrimaryDisplay());
      return;
    }
    if (consoleWindow.isMinimized()) consoleWindow.restore();
    consoleWindow.focus();
  });

  const stopIdleWatch = watchIdle(host.session);
  const ticker = setInterval(() => void host.tick(), 1_000);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    clearInterval(ticker);
    stopIdleWatch();
    // The session is kept (encrypted) for the next start; only the video stops.
    void Promise.allSettled([host.close({ signOut: false }), gateway.close()]).then(() =>
      app.exit(0),
    );
  });
  app.on('window-all-closed', () => app.quit());
  log.info({ version }, 'console started');
}
