import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, TEST_DATABASE_URL } from '../../support/stores';
import { startTwilioDouble, twilioSid, type TwilioDouble } from '../../../server/demo/twilioDouble';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import type { Store } from '../../../server/store/store';
import { openPostgresStore } from '../../../server/store/postgresStore';

/**
 * The real server, killed with SIGKILL in the middle of a burst of webhooks: every message it
 * acknowledged is there once after a restart, and no sender's number is anywhere in its files or
 * its log (docs/tip-line.md).
 */

const BURST = 240;
const IN_FLIGHT = 16;
const KILL_AFTER = 60;
/** Every tipster of the burst: 3365557000 to 3365557239. */
const number = (i: number) => `+1336555${7000 + i}`;

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
  readonly log: () => string;
  readonly exited: Promise<void>;
}

describe.each(STORE_KINDS)('the tip line across a crash on %s', (kind) => {
  let double: TwilioDouble;
  let dataDir: string;
  let databaseUrl = '';
  let schema = '';
  let port: number;
  const logs: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    double = await startTwilioDouble({
      accountSid: twilioSid('AC'),
      authToken: randomBytes(16).toString('hex'),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'wf-tips-crash-'));
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
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await double.close();
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
        WF_LOG_LEVEL: 'debug',
        WF_TWILIO_ACCOUNT_SID: double.accountSid,
        WF_TWILIO_AUTH_TOKEN: double.authToken,
        WF_TWILIO_API_URL: double.url,
        WF_TWILIO_FROM: '+13365550100',
        WF_PUBLIC_URL: `http://127.0.0.1:${port}`,
        WF_TIP_KEY: '',
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
  }

  const post = (url: string, i: number, sid: string) => {
    const fields = {
      MessageSid: sid,
      SmsMessageSid: sid,
      AccountSid: double.accountSid,
      From: number(i),
      To: '+13365550100',
      Body: `Burst tip ${i}: a silver pickup keeps circling the school`,
      NumMedia: '0',
      FromCity: 'WINSTON-SALEM',
      FromZip: '27101',
    };
    const signed = double.signedForm(`${url}/v1/ingest/twilio/sms`, fields);
    return fetch(`${url}/v1/ingest/twilio/sms`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    }).then(
      (r) => r.status,
      () => 0,
    );
  };

  it('keeps every acknowledged tip once, and no number anywhere', async () => {
    const first = await start();
    const sids = Array.from({ length: BURST }, () => twilioSid('SM'));
    const acknowledged = new Set<string>();
    const statuses: number[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < BURST) {
        const i = next++;
        const status = await post(first.url, i, sids[i]!);
        statuses.push(status);
        if (status === 200) acknowledged.add(sids[i]!);
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await first.exited;
    expect(killed).toBe(true);
    // Before the kill everything was acknowledged; after it, nothing answered (never a 5xx).
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.size).toBeLessThan(BURST);

    // The provider retries what was not acknowledged, and may retry what was.
    const second = await start();
    for (let i = 0; i < BURST; i++) {
      expect(await post(second.url, i, sids[i]!)).toBe(200);
    }
    second.child.kill('SIGTERM');
    await second.exited;
    logs.push(first.log(), second.log());

    const store: Store =
      kind === 'pglite'
        ? await openPgliteStore(join(dataDir, 'db'))
        : await openPostgresStore(TEST_DATABASE_URL!, { schema, poolSize: 1 });
    try {
      const rows = await store.query<{ message_sid: string; n: number }>(
        'select message_sid, count(*)::int as n from tips group by message_sid',
      );
      const counts = new Map(rows.rows.map((r) => [r.message_sid, r.n]));
      for (const sid of sids) expect(counts.get(sid), sid).toBe(1);
      const events = await store.query<{ n: number }>(
        `select count(*)::int as n from events where type = 'tip.received'`,
      );
      expect(events.rows[0]!.n).toBe(BURST);
      const threads = await store.query<{ n: number }>(
        'select count(*)::int as n from tip_threads',
      );
      expect(threads.rows[0]!.n).toBe(BURST);
    } finally {
      await store.close();
    }

    // No number, in any form a phone writes it, in the log or (embedded store) the data files.
    const needles = ['3365557', '336-555-7', '(336) 555-7'];
    const log = logs.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const needle of needles) expect(log).not.toContain(needle);
    let scanned = 0;
    const scan = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) scan(path);
        else {
          const bytes = readFileSync(path);
          scanned += bytes.length;
          for (const needle of needles) {
            expect(bytes.includes(Buffer.from(needle)), `${needle} in ${path}`).toBe(false);
            expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${needle} in ${path}`).toBe(
              false,
            );
          }
        }
      }
    };
    scan(dataDir);
    if (kind === 'pglite') expect(scanned).toBeGreaterThan(1_000_000);
  }, 240_000);
});
