import { join, resolve } from 'node:path';
import { readHostConfig } from '../electron/host/console/hostConfig';
import { intFromEnv, readServerConfig } from '../server/config';

/**
 * What `npm start` starts and where, read with the very parsers the server
 * (server/config.ts) and the console (electron/host/console/hostConfig.ts) use, so the launcher
 * never announces a setting the process it starts would read differently or refuse.
 */
export interface LaunchSettings {
  readonly dataDir: string;
  readonly serverHost: string;
  readonly serverPort: number;
  /** Where this machine reaches the server (a wildcard listen address is reached on loopback). */
  readonly serverUrl: string;
  readonly consoleHost: string;
  readonly consolePort: number;
  readonly consoleScheme: 'http' | 'https';
  readonly simulatorPort: number;
}

/** Throws the server's or the console's own message when a setting is not valid. */
export function readLaunchSettings(env: NodeJS.ProcessEnv, root: string): LaunchSettings {
  const dataDir = resolve(env.WF_DATA_DIR || join(root, '.watchfloor'));
  const server = readServerConfig({ ...env, WF_DATA_DIR: dataDir });
  const host = readHostConfig(env);
  const simulatorPort = intFromEnv(env, 'WF_SIMULATOR_PORT', 7430);
  if (simulatorPort > 65535) {
    throw new Error(`WF_SIMULATOR_PORT must be at most 65535, got ${simulatorPort}`);
  }
  const reachHost = server.host === '0.0.0.0' ? '127.0.0.1' : server.host;
  return {
    dataDir,
    serverHost: server.host,
    serverPort: server.port,
    serverUrl: `http://${reachHost}:${server.port}`,
    consoleHost: host.WF_CONSOLE_HOST,
    consolePort: host.WF_CONSOLE_PORT,
    consoleScheme: host.WF_CONSOLE_TLS ? 'https' : 'http',
    simulatorPort,
  };
}
