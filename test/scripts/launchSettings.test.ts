import { describe, expect, it } from 'vitest';
import { readHostConfig } from '../../electron/host/console/hostConfig';
import { readLaunchSettings } from '../../scripts/launchSettings';

const ROOT = '/srv/watchfloor';

/** `npm start` announces what its processes will do: it must read each setting as they do. */
describe('npm start reads the settings as the processes it starts', () => {
  it.each(['', 'on', '1', 'OFF', 'off', 'No', '0', 'FALSE'])(
    'announces the scheme the console serves for WF_CONSOLE_TLS=%j',
    (raw) => {
      const env = { WF_CONSOLE_TLS: raw };
      const served = readHostConfig(env).WF_CONSOLE_TLS ? 'https' : 'http';
      expect(readLaunchSettings(env, ROOT).consoleScheme).toBe(served);
    },
  );

  it('serves plain HTTP for WF_CONSOLE_TLS=OFF', () => {
    expect(readLaunchSettings({ WF_CONSOLE_TLS: 'OFF' }, ROOT).consoleScheme).toBe('http');
  });

  it('refuses before starting anything what the console or the server would refuse', () => {
    expect(() => readLaunchSettings({ WF_CONSOLE_TLS: 'disabled' }, ROOT)).toThrow(
      /WF_CONSOLE_TLS/,
    );
    expect(() => readLaunchSettings({ WF_CONSOLE_PORT: '99999' }, ROOT)).toThrow(/WF_CONSOLE_PORT/);
    expect(() => readLaunchSettings({ WF_SESSION_IDLE_MINUTES: '60' }, ROOT)).toThrow(
      /WF_SESSION_IDLE_MINUTES is at most 30/,
    );
    expect(() => readLaunchSettings({ WF_SERVER_PORT: 'abc' }, ROOT)).toThrow(/WF_SERVER_PORT/);
    expect(() => readLaunchSettings({ WF_SIMULATOR_PORT: '-1' }, ROOT)).toThrow(
      /WF_SIMULATOR_PORT/,
    );
  });

  it('uses the server and console defaults, and reaches a wildcard server on loopback', () => {
    expect(readLaunchSettings({}, ROOT)).toEqual({
      dataDir: '/srv/watchfloor/.watchfloor',
      serverHost: '127.0.0.1',
      serverPort: 7400,
      serverUrl: 'http://127.0.0.1:7400',
      consoleHost: '127.0.0.1',
      consolePort: 7410,
      consoleScheme: 'https',
      simulatorPort: 7430,
    });
    const wild = readLaunchSettings(
      { WF_SERVER_HOST: '0.0.0.0', WF_SERVER_PORT: '7500', WF_DATA_DIR: '/data/wf' },
      ROOT,
    );
    expect(wild).toMatchObject({
      dataDir: '/data/wf',
      serverHost: '0.0.0.0',
      serverUrl: 'http://127.0.0.1:7500',
    });
  });
});
