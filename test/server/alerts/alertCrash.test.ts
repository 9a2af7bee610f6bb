import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgency, UNCONFIGURED_AGENCY } from '../../../server/agency/agencyRepository';
import { insertIntegration } from '../../../server/integrations/integrationRepository';
import {
  hashIntegrationKey,
  newIntegrationKey,
} from '../../../server/integrations/integrationKeys';
import { migrate } from '../../../server/store/migrate';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import { openPostgresStore } from '../../../server/store/postgresStore';
import type { Store } from '../../../server/store/store';
import { AlertPolicySchema } from '../../../shared/domain/agency';
import { STORE_KINDS, TEST_DATABASE_URL } from '../../support/stores';

/**
 * The real server, killed with SIGKILL in the middle of a burst of gunshot detections: every
 * detection it acknowledged is there after a restart, and the sender's retries of everything
 * (acknowledged or not) make each detection exactly one alert with exactly one announcement.
 */

const BURST = 240;
const IN_FLIGHT = 16;
const KILL_AFTER = 60;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

describe.each(STORE_KINDS)('alert ingest across a crash on %s', (kind) => {
  let dataDir: string;
  let databaseUrl = '';
  let schema = '';
  let port: number;
  const key = newIntegrationKey();
  const children: ChildProcess[] = [];

  const openStore = (): Promise<Store> =>
    kind === 'pglite'
      ? openPgliteStore(join(dataDir, 'db'))
      : openPostgresStore(TEST_DATABASE_URL!, { schema, poolSize: 1 });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wf-alerts-crash-'));
    port = await freePort();
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
    // The integration and the agency, in the store before the server starts.
    const store = await openStore();
    try {
      await migrate(store);
      const at = new Date();
      await insertIntegration(store, {
        id: randomUUID(),
        name: 'burst-sensor',
        scope: 'gunshot',
        keyHash: hashIntegrationKey(key),
        createdBy: 'test',
        at,
      });
      await setAgency(
        store,
        {
          ...UNCONFIGURED_AGENCY,
          name: 'Test City Police',
          timeZone: 'America/New_York',
          jurisdiction: {
            type: 'Polygon',
            coordinates: [
              [
                [-80.3, 36.05],
                [-80.2, 36.05],
                [-80.2, 36.15],
                [-80.3, 36.15],
                [-80.3, 36.05],
              ],
            ],
          },
          alerts: AlertPolicySchema.parse({}),
        },
        at,
      );
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });

  async function start(): Promise<Running> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        WF_DATA_DIR: dataDir,
        WF_DATABASE_URL: databaseUrl,
        WF_SERVER_HOST: '127.0.0.1',
        WF_SERVER_PORT: String(port),
        WF_PUBLIC_URL: `http://127.0.0.1:${port}`,
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
      if (ok) return { child, url, exited };
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not start:\n${out}`);
  }

  const post = (url: string, i: number) =>
    fetch(`${url}/v1/ingest/gunshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: `burst-${i}`,
        time: new Date(Date.now() - 60_000).toISOString(),
        position: { lat: 36.1 + (i % 40) * 0.001, lon: -80.25 },
        type: i % 3 === 0 ? 'multiple' : 'single',
      }),
    }).then(
      (r) => r.status,
      () => 0,
    );

  it('keeps every acknowledged detection once, and a retry of all makes one alert each', async () => {
    const first = await start();
    const acknowledged = new Set<number>();
    const statuses: number[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < BURST) {
        const i = next++;
        const status = await post(first.url, i);
        statuses.push(status);
        if (status === 200) acknowledged.add(i);
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await first.exited;
    expect(killed).toBe(true);
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);
    expect(acknowledged.size).toBeLessThan(BURST);

    // Nothing acknowledged was lost, before any retry.
    const afterCrash = await openStore();
    try {
      const rows = await afterCrash.query<{ sender_id: string }>('select sender_id from alerts');
      const kept = new Set(rows.rows.map((r) => r.sender_id));
      for (const i of acknowledged) expect(kept.has(`burst-${i}`), `burst-${i}`).toBe(true);
    } finally {
      await afterCrash.close();
    }

    // The sensor retries what was not acknowledged, and may retry what was.
    const second = await start();
    for (let i = 0; i < BURST; i++) expect(await post(second.url, i)).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;

    const store = await openStore();
    try {
      const rows = await store.query<{ sender_id: string; n: number }>(
        'select sender_id, count(*)::int as n from alerts group by sender_id',
      );
      const counts = new Map(rows.rows.map((r) => [r.sender_id, r.n]));
      for (let i = 0; i < BURST; i++) expect(counts.get(`burst-${i}`), `burst-${i}`).toBe(1);
      const raised = await store.query<{ n: number }>(
        `select count(*)::int as n from events where type = 'alert.raised'`,
      );
      expect(raised.rows[0]!.n).toBe(BURST);
    } finally {
      await store.close();
    }
  }, 240_000);
});
