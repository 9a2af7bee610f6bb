import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTimeCodes } from '../support/totpCodes';

/**
 * `npm start` as a service manager would run it: no terminal, stopped by SIGTERM. Its prestart
 * step builds dist/node/; then the launcher and everything it starts run on plain node.
 */
beforeAll(() => {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/buildNode.ts'], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (built.status !== 0) throw new Error(`build:node failed: ${built.stderr}`);
}, 300_000);

/** The command lines of a process's children (Linux `ps`). */
function childCommands(pid: number): string {
  return execFileSync('ps', ['-o', 'args=', '--ppid', String(pid)], { encoding: 'utf8' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() =>
        addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Whether a URL answers 200. The web console serves HTTPS with a certificate it made for
 * itself, so this check does not verify it (the console's own tests pin it).
 */
function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Launched launchers, stopped after the test whatever happened, so none is left behind. */
const launched: ChildProcess[] = [];

function launch(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, ['dist/node/scripts/start.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  launched.push(child);
  return { child, output: () => out, exited };
}

async function until(
  pred: () => Promise<boolean> | boolean,
  what: string,
  // The first start seeds the demo site; on two busy cores that can take minutes.
  ms = 300_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-start-'));
  afterAll(async () => {
    for (const child of launched) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the server with the demo site and the console, stops all on SIGTERM, reuses data', async () => {
    const ports = {
      server: await freePort(),
      console: await freePort(),
      sim: await freePort(),
      mail: await freePort(),
    };
    const env = {
      WF_DATA_DIR: dataDir,
      WF_SERVER_PORT: String(ports.server),
      WF_CONSOLE_PORT: String(ports.console),
      WF_SIMULATOR_PORT: String(ports.sim),
      WF_DEMO_MAIL_PORT: String(ports.mail),
      WF_DATABASE_URL: '',
    };
    const health = `http://127.0.0.1:${ports.server}/v1/health`;
    const consoleUrl = `https://127.0.0.1:${ports.console}/`;

    const first = launch(env);
    await until(
      () => /web console at|Electron console/.test(first.output()),
      'the console to start',
    );
    await until(() => reachable(consoleUrl), 'the console to answer');
    expect(await reachable(health)).toBe(true);
    expect(first.output()).toContain('Demo site seeded');
    // The server and the console run as built JavaScript, with no TypeScript loader.
    const commands = childCommands(first.child.pid!);
    expect(commands).toContain('dist/node/server/main.js');
    expect(commands).toContain('dist/node/electron/web/main.js');
    expect(commands).not.toMatch(/tsx|\.ts\b/);
    const creds = join(dataDir, 'demo-credentials.json');
    expect(statSync(creds).mode & 0o777).toBe(0o600);
    const users = JSON.parse(readFileSync(creds, 'utf8')).users as {
      username: string;
      password: string;
      totpSecret: string;
    }[];
    // Each password is printed once with its authenticator secret, as text and as a QR code.
    for (const u of users) {
      expect(first.output()).toContain(u.password);
      expect(first.output()).toContain(u.totpSecret);
    }
    expect(first.output()).toMatch(/otpauth:\/\/totp\/Watchfloor:/);
    expect(first.output()).toMatch(/[▀▄█]{20}/);
    // A password printed once, with a code computed from the printed secret, signs in.
    const signIn = async () =>
      fetch(`http://127.0.0.1:${ports.server}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: users[0]!.username,
          password: users[0]!.password,
          totpCode: await realTimeCodes.next(users[0]!.totpSecret),
        }),
      });
    const login = await signIn();
    expect(login.status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await reachable(health)).toBe(false);
    expect(await reachable(consoleUrl)).toBe(false);

    const second = launch(env);
    await until(() => reachable(consoleUrl), 'the console to answer again');
    expect(second.output()).not.toContain('Demo site seeded');
    const again = await signIn();
    expect(again.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(await reachable(health)).toBe(false);
  }, 720_000);
});
