import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RoleSchema, type Role } from '../../../shared/domain/roles';
import { descendantsOf, stillRunning, type ProcessId } from './processTree';
import { realTimeCodes } from '../../support/totpCodes';

/**
 * The demo site started the way `npm start` starts it (scripts/start.ts: the RTCC server with the
 * embedded demo site, the camera simulator and the web console), in a data folder and on ports
 * of its own, with the demo accounts read from the demo-credentials.json it writes.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const CredentialsSchema = z.object({
  users: z.array(
    z.object({
      username: z.string(),
      role: RoleSchema,
      password: z.string(),
      totpSecret: z.string(),
    }),
  ),
});

export interface Account {
  readonly username: string;
  readonly password: string;
  /** The account's authenticator secret (demo users are enrolled when the site is seeded). */
  readonly totpSecret?: string;
}

/**
 * A code for the account's next sign-in, computed from its secret with otplib. Codes are not
 * reused (the server refuses a replay), so several sign-ins in a row may wait for the next step.
 */
export function nextCode(account: Account): Promise<string> {
  if (!account.totpSecret) throw new Error(`${account.username} has no authenticator secret`);
  return realTimeCodes.next(account.totpSecret);
}

export interface ApiReply<T> {
  readonly status: number;
  readonly body: T;
}

export interface DemoSite {
  /** The web console, as a browser opens it. */
  readonly consoleUrl: string;
  readonly serverUrl: string;
  /** The demo camera simulator that the demo cameras' sources point at. */
  readonly simulatorUrl: string;
  /** The demo's mail catcher page, where the portal's emails are read (as `npm start` says). */
  readonly mailUrl: string;
  readonly dataDir: string;
  account(role: Role): Account;
  /** Signs in over the API; returns an access token. */
  token(account: Account): Promise<string>;
  api<T>(token: string, method: string, path: string, body?: unknown): Promise<ApiReply<T>>;
  /** Every process `npm start` runs now (server, console, simulator and gateway ffmpeg, ...). */
  processes(): ProcessId[];
  /** What the site printed, for a failure message. */
  output(): string;
  /** SIGTERM, as a service manager stops it; resolves with the exit code and what outlived it. */
  stop(): Promise<{ readonly exitCode: number | null; readonly leftRunning: ProcessId[] }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object'
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Waits for a condition that another process makes true; bounded, so a test fails rather than hangs. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit('timeout'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
}

export async function startDemoSite(
  options: { readonly startTimeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<DemoSite> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-e2e-'));
  const ports = {
    server: await freePort(),
    console: await freePort(),
    simulator: await freePort(),
    mail: await freePort(),
  };
  const serverUrl = `http://127.0.0.1:${ports.server}`;
  const consoleUrl = `https://127.0.0.1:${ports.console}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      WF_DATA_DIR: dataDir,
      WF_SERVER_HOST: '127.0.0.1',
      WF_SERVER_PORT: String(ports.server),
      WF_CONSOLE_HOST: '127.0.0.1',
      WF_CONSOLE_PORT: String(ports.console),
      WF_SIMULATOR_PORT: String(ports.simulator),
      WF_DEMO_MAIL_PORT: String(ports.mail),
      // The embedded database and the default console transport, as on a fresh machine.
      WF_DATABASE_URL: '',
      WF_SERVER_URL: '',
      WF_SIMULATOR_URL: '',
      WF_CONSOLE_TLS: '',
      WF_LOG_LEVEL: 'warn',
      // The demo CAD's day replay stays off: its calls' notices would land on whatever a scenario
      // is about to click. Scenarios post their own calls with the demo CAD's key
      // (demo-integrations.json); test/server/demo/ runs the replay through the real ingest.
      WF_DEMO_CAD_SPEED: '0',
      // The same for the demo's sensors (LPR, gunshots, tracks): scenarios post their own.
      WF_DEMO_ALERTS_SPEED: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (b: Buffer) => (printed += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (printed += b.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const stopAndClean = async (): Promise<{ exitCode: number | null; leftRunning: ProcessId[] }> => {
    const seen = descendantsOf(child.pid!);
    if (!exited) child.kill('SIGTERM');
    let code = await waitForExit(child, 30_000);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      code = await waitForExit(child, 5_000);
    }
    // Children of children are stopped by their own parents: give them a moment to go.
    const leftRunning = await eventually(
      () => {
        const alive = seen.filter(stillRunning);
        return alive.length === 0 ? [] : null;
      },
      'the processes to stop',
      10_000,
    ).catch(() => seen.filter(stillRunning));
    for (const p of leftRunning) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    return { exitCode: code === 'timeout' ? null : code, leftRunning };
  };

  try {
    await eventually(
      () => {
        if (exited) throw new Error(`npm start exited early:\n${printed}`);
        return /\[console\] watchfloor: web console at/.test(printed);
      },
      'the web console to listen',
      options.startTimeoutMs ?? 240_000,
      200,
    );
  } catch (error) {
    await stopAndClean();
    throw error;
  }

  const credentials = CredentialsSchema.parse(
    JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')),
  ).users;

  const api = async <T>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiReply<T>> => {
    const res = await fetch(`${serverUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  // The page's usual port may have been taken, and another chosen: the start says which.
  const mailUrl = /the demo's emails \([^)]*\): (http:\/\/\S+?),? /.exec(printed)?.[1];
  if (!mailUrl) {
    await stopAndClean();
    throw new Error(`npm start did not say where the demo's emails are:\n${printed}`);
  }

  let stopped: Promise<{ exitCode: number | null; leftRunning: ProcessId[] }> | null = null;
  return {
    consoleUrl,
    serverUrl,
    simulatorUrl: `http://127.0.0.1:${ports.simulator}`,
    mailUrl,
    dataDir,
    account(role) {
      const found = credentials.find((c) => c.role === role);
      if (!found) throw new Error(`the demo site has no ${role} account`);
      return { username: found.username, password: found.password, totpSecret: found.totpSecret };
    },
    async token(account) {
      const reply = await api<{ accessToken?: string; message?: string }>(
        '',
        'POST',
        '/v1/auth/login',
        {
          username: account.username,
          password: account.password,
          ...(account.totpSecret ? { totpCode: await nextCode(account) } : {}),
        },
      );
      if (reply.status !== 200 || !reply.body.accessToken)
        throw new Error(`sign-in of ${account.username} failed: ${reply.status}`);
      return reply.body.accessToken;
    },
    api,
    processes: () => (exited ? [] : descendantsOf(child.pid!)),
    output: () => printed,
    stop() {
      stopped ??= stopAndClean();
      return stopped;
    },
  };
}
