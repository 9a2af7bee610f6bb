import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../server/store/migrate';
import { openPgliteStore } from '../../server/store/pgliteStore';
import { openPostgresStore } from '../../server/store/postgresStore';
import type { Store, StoreKind } from '../../server/store/store';
import { TEST_DATABASE_URL } from './stores';
import { insertIntegration } from '../../server/integrations/integrationRepository';
import { hashIntegrationKey, newIntegrationKey } from '../../server/integrations/integrationKeys';
import type { IngestScope } from '../../shared/domain/roles';

/**
 * The real server as a process of its own, for the tests that kill it with SIGKILL in the middle
 * of an ingest burst and check that nothing it acknowledged is lost: a data folder (and, on
 * PostgreSQL, a schema) that outlives the process, a start that waits for health, and the burst.
 */

export interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote on stdout and stderr so far. */
  log(): string;
  readonly exited: Promise<void>;
}

export interface CrashSite {
  readonly dataDir: string;
  /** The store the server uses, opened from the test while the server is not running. */
  openStore(): Promise<Store>;
  /** Migrates the store and lets the test put rows in it before the first start. */
  prepare(fill: (store: Store) => Promise<void>): Promise<void>;
  start(env?: Readonly<Record<string, string>>): Promise<RunningServer>;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

export async function crashSite(kind: StoreKind, name: string): Promise<CrashSite> {
  const dataDir = mkdtempSync(join(tmpdir(), `wf-${name}-crash-`));
  const port = await freePort();
  let schema = '';
  let databaseUrl = '';
  if (kind === 'postgres') {
    schema = `wf_crash_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(TEST_DATABASE_URL!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = u.toString();
  }
  const children: ChildProcess[] = [];
  const openStore = (): Promise<Store> =>
    kind === 'pglite'
      ? openPgliteStore(join(dataDir, 'db'))
      : openPostgresStore(TEST_DATABASE_URL!, { schema, poolSize: 1 });

  return {
    dataDir,
    openStore,
    async prepare(fill) {
      const store = await openStore();
      try {
        await migrate(store);
        await fill(store);
      } finally {
        await store.close();
      }
    },
    async start(env = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {
          ...process.env,
          WF_DATA_DIR: dataDir,
          WF_DATABASE_URL: databaseUrl,
          WF_SERVER_HOST: '127.0.0.1',
          WF_SERVER_PORT: String(port),
          WF_PUBLIC_URL: `http://127.0.0.1:${port}`,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300; i++) {
        const ok = await fetch(`${url}/v1/health`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) return { child, url, log: () => out, exited };
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the server did not start:\n${out}`);
    },
    async dispose() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(
        children.map((c) =>
          c.exitCode !== null || c.signalCode !== null
            ? undefined
            : new Promise((resolve) => c.once('exit', resolve)),
        ),
      );
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
    },
  };
}

/**
 * Posts `total` requests, `inFlight` at a time, and kills the server with SIGKILL once
 * `killAfter` have been acknowledged. Answers which were acknowledged (200) and every status
 * seen (0: no answer, the server was gone).
 */
export async function burstThenKill(
  server: RunningServer,
  post: (i: number) => Promise<number>,
  opts: { readonly total: number; readonly inFlight: number; readonly killAfter: number },
): Promise<{ acknowledged: Set<number>; statuses: number[]; killed: boolean }> {
  const acknowledged = new Set<number>();
  const statuses: number[] = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < opts.total) {
      const i = next++;
      const status = await post(i);
      statuses.push(status);
      if (status === 200) acknowledged.add(i);
      if (!killed && acknowledged.size >= opts.killAfter) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: opts.inFlight }, worker));
  await server.exited;
  return { acknowledged, statuses, killed };
}

/** An integration written straight into the store before the server starts; answers its key. */
export async function seedIntegration(
  store: Store,
  name: string,
  scope: IngestScope,
): Promise<string> {
  const key = newIntegrationKey();
  await insertIntegration(store, {
    id: randomBytes(16).toString('hex'),
    name,
    scope,
    keyHash: hashIntegrationKey(key),
    createdBy: 'test',
    at: new Date(),
  });
  return key;
}
