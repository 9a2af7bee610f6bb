import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import { DataDirInUseError } from '../../../server/store/dataDirLock';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** Runs the real server on the data dir and waits (bounded) for it to exit. */
async function startServer(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      WF_DATA_DIR: dataDir,
      WF_DATABASE_URL: '',
      WF_SERVER_HOST: '127.0.0.1',
      WF_SERVER_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server kept running:\n${output}`)),
      90_000,
    );
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('one process per embedded database', () => {
  it('a server refuses a data dir another live process holds, naming the process and the dir', async () => {
    const dataDir = freshDataDir();
    const dbDir = join(dataDir, 'db');
    const holder = await openPgliteStore(dbDir);
    cleanups.push(() => holder.close().catch(() => undefined));

    // The lock file says who holds the folder, and since when.
    expect(JSON.parse(readFileSync(`${dbDir}.lock`, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      command: process.argv.join(' ').slice(0, 300),
    });

    const second = await startServer(dataDir);
    expect(second.code).toBe(1);
    // The refusal names the holder: its pid, host and command line.
    expect(second.output).toContain(
      `The embedded database in ${dbDir} is in use by process ${process.pid} on ${hostname()} ` +
        `(${process.argv.join(' ').slice(0, 300)}`,
    );
    // The holder's data is untouched and still its own.
    expect((await holder.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);

    // In this process too, a second opening is refused.
    await expect(openPgliteStore(dbDir)).rejects.toThrow(DataDirInUseError);

    await holder.close();
    expect(existsSync(`${dbDir}.lock`)).toBe(false);
    const reopened = await openPgliteStore(dbDir);
    await reopened.close();
  }, 120_000);

  it('takes over the lock of a process that no longer runs', async () => {
    const dbDir = join(freshDataDir(), 'db');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    expect(Number.isInteger(deadPid) && deadPid > 0).toBe(true);
    writeFileSync(
      `${dbDir}.lock`,
      JSON.stringify({
        pid: deadPid,
        host: hostname(),
        since: new Date().toISOString(),
        token: 'x',
      }),
    );

    const store = await openPgliteStore(dbDir);
    cleanups.push(() => store.close().catch(() => undefined));
    const lock = JSON.parse(readFileSync(`${dbDir}.lock`, 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    await store.close();
    expect(existsSync(`${dbDir}.lock`)).toBe(false);
  });

  it('is released when the process that held it exits without closing the store', async () => {
    const dbDir = join(freshDataDir(), 'db');
    // A process that opens the store, says so, and exits at once (as a failing command does).
    const script = [
      "import { openPgliteStore } from './server/store/pgliteStore.ts';",
      `await openPgliteStore(${JSON.stringify(dbDir)});`,
      "process.stdout.write('held\\n');",
      'process.exit(3);',
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stdout).toBe('held\n');
    expect(child.status).toBe(3);
    expect(existsSync(`${dbDir}.lock`)).toBe(false);
  }, 120_000);
});
