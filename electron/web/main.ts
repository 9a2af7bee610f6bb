import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { readHostConfig } from '../host/console/hostConfig';
import { mapTilesFrom } from '../host/console/mapTiles';
import { StreamGateway } from '../host/gateway/index';
import { projectRoot } from '../host/projectRoot';
import { loadConsoleCertificate } from './consoleCertificate';
import { startWebConsole } from './webConsole';

/**
 * The web console host: `node dist/node/electron/web/main.js` (or its source through tsx), configured by WF_SERVER_URL,
 * WF_CONSOLE_HOST, WF_CONSOLE_PORT, WF_DATA_DIR and the settings in host/console/hostConfig.ts.
 */
const root = projectRoot(import.meta.url);

function devOrigin(raw: string | undefined): string[] {
  if (!raw) return [];
  const origin = new URL(raw).origin;
  if (origin === 'null')
    throw new Error('WF_CONSOLE_DEV_ORIGIN is an origin, e.g. http://127.0.0.1:5173');
  return [origin];
}

async function main(): Promise<void> {
  const config = readHostConfig(process.env);
  const log = pino({ level: config.WF_LOG_LEVEL });
  const dataDir = resolve(config.WF_DATA_DIR ?? join(root, '.watchfloor'));
  const version = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const cert = config.WF_CONSOLE_TLS ? await loadConsoleCertificate(dataDir, process.env) : null;
  const gateway = new StreamGateway({ dataDir: join(dataDir, 'gateway'), logger: log });
  const web = await startWebConsole({
    host: config.WF_CONSOLE_HOST,
    port: config.WF_CONSOLE_PORT,
    serverUrl: config.WF_SERVER_URL,
    certSha256: config.WF_SERVER_CERT_SHA256,
    gateway,
    rendererDir: join(root, 'dist/renderer'),
    tls: cert,
    version,
    logger: log,
    idleLockMinutes: config.WF_IDLE_LOCK_MINUTES,
    wallPlaysWhenLocked: config.WF_WALL_PLAYS_WHEN_LOCKED,
    mapTiles: mapTilesFrom(
      config.WF_MAP_TILES,
      config.WF_MAP_TILES_ATTRIBUTION,
      config.WF_MAP_TILES_MAX_ZOOM,
    ),
    // Vite's dev server proxies /rpc from its own origin.
    extraOrigins: devOrigin(process.env.WF_CONSOLE_DEV_ORIGIN),
  });
  const shown = web.origin.replace(
    '://127.0.0.1:',
    `://${config.WF_CONSOLE_HOST === '0.0.0.0' ? '127.0.0.1' : config.WF_CONSOLE_HOST}:`,
  );
  process.stdout.write(
    `watchfloor: web console at ${shown} (${web.transport === 'h2' ? 'HTTP/2' : 'HTTP/1.1'})\n`,
  );
  if (cert?.selfSigned) {
    process.stdout.write(
      `watchfloor: its certificate is self-signed; the browser asks once. SHA-256 ${cert.fingerprint256}\n`,
    );
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([web.close(), gateway.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`watchfloor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
