import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../../server/cli/commands';
import type { StoreKind } from '../../../server/store/store';
import {
  controlSocketPath,
  startControlChannel,
  type ControlChannel,
} from '../../../server/control/controlChannel';
import { STORE_KINDS, TEST_DATABASE_URL } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';

/**
 * Every `wf` database command, run as an administrator runs it while the server is up: on the
 * embedded database it goes through the server's control socket (the server holds the folder;
 * the test process is that server), on PostgreSQL it connects directly. Either way the server
 * sees the result at once, without a restart.
 */

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs wf in its own process without blocking this one: the server under test answers it. */
function wf(args: string[], env: Record<string, string>, input = ''): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/wf.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

const PASSWORD = 'a long enough pass phrase';
const ENROLMENT = /enrolment code for "dana": ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})\n/;

/** What the running server answers a sign-in with. */
async function signIn(t: TestApp, address: string, password = PASSWORD): Promise<number> {
  const res = await t.app.api.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username: 'dana', password },
    remoteAddress: address,
  });
  return res.statusCode;
}

describe.each(STORE_KINDS)('wf while a server runs on %s', (kind: StoreKind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-live-'));
  let t: TestApp;
  let channel: ControlChannel | null = null;
  let admin: TestUser;
  let env: Record<string, string>;

  beforeAll(async () => {
    const config = {
      dataDir,
      auditSigningKey: join(dataDir, 'audit-signing-key.pem'),
      auditAnchorFile: join(dataDir, 'audit-anchor.json'),
    };
    if (kind === 'pglite') {
      // As server/main.ts does: the store in <data dir>/db, the channel beside it.
      t = await startTestApp('pglite', { dataDir: join(dataDir, 'db'), config });
      channel = await startControlChannel(t.app.ctx, dataDir);
      env = { WF_DATA_DIR: dataDir, WF_DATABASE_URL: '' };
    } else {
      t = await startTestApp('postgres', { config });
      const schema = (await t.store.store.query<{ s: string }>('select current_schema() as s'))
        .rows[0]!.s;
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { WF_DATABASE_URL: url.toString(), WF_DATA_DIR: dataDir };
    }
    admin = await t.user('admin', 'adm.live');
  }, 120_000);

  afterAll(async () => {
    await channel?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate reports the schema the server runs on', async () => {
    const res = await wf(['migrate'], env);
    expect(res).toMatchObject({ code: 0, err: '' });
    expect(res.out).toMatch(/^schema up to date: \d+ migrations \(latest \d+\)\n$/);
  }, 120_000);

  it('user add: the new user signs in at once; reset-totp and unlock take effect at once', async () => {
    const added = await wf(
      ['user', 'add', '--username', 'dana', '--role', 'officer'],
      env,
      PASSWORD,
    );
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^created officer "dana" \([0-9a-f-]{36}\)\n/);
    const firstCode = ENROLMENT.exec(added.out)?.[1];
    expect(firstCode).toBeDefined();
    // Accepted by the running server, no restart: the password reaches the enrolment step.
    expect(await signIn(t, '10.9.0.1')).toBe(200);
    // Refused by the command, in the command's words, wherever it ran.
    const again = await wf(
      ['user', 'add', '--username', 'dana', '--role', 'officer'],
      env,
      PASSWORD,
    );
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/taken/);

    const reset = await wf(['user', 'reset-totp', '--username', 'dana'], env);
    expect(reset.code).toBe(0);
    const secondCode = ENROLMENT.exec(reset.out)?.[1];
    expect(secondCode).toBeDefined();
    expect(secondCode).not.toBe(firstCode);

    // Five failures lock the account in the server; wf user unlock lifts it for that server.
    for (let i = 0; i < 5; i += 1)
      expect(await signIn(t, `10.9.1.${i}`, 'wrong wrong wrong')).toBe(401);
    expect(await signIn(t, '10.9.2.1')).toBe(429);
    // The administrator unlocks a moment later (the server's clock is the test's).
    t.clock.advance(1_000);
    const unlocked = await wf(['user', 'unlock', '--username', 'dana'], env);
    expect(unlocked).toMatchObject({ code: 0, out: '"dana" unlocked: failed sign-ins cleared\n' });
    expect(await signIn(t, '10.9.2.1')).toBe(200);
    expect(await wf(['user', 'unlock', '--username', 'nobody'], env)).toMatchObject({
      code: 2,
      err: 'There is no user "nobody".\n',
    });
  }, 240_000);

  it('cameras import: the cameras are in the API at once', async () => {
    const csv = join(dataDir, 'cams.csv');
    writeFileSync(
      csv,
      [
        'kind,name,lat,lng,address,owner_name,owner_phone',
        'registered,Live import store,36.1,-80.25,100 Main St,Pat Owner,336-555-0101',
        'registered,No place,123,-80.25,nowhere,Sam Owner,',
      ].join('\n'),
    );
    const imported = await wf(['cameras', 'import', csv], env);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^imported 1 cameras, rejected 1\n {2}row 3: /);
    const listed = await t.as(admin, 'GET', '/v1/cameras?q=Live%20import');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((c: { name: string }) => c.name)).toEqual(['Live import store']);
  }, 120_000);

  it('integration add, list and revoke: the key works and stops working at once', async () => {
    const added = await wf(['integration', 'add', '--name', 'live-lpr', '--scope', 'lpr'], env);
    expect(added.code).toBe(0);
    const key = /key: (wfi_[A-Za-z0-9_-]{43})\n/.exec(added.out)?.[1];
    expect(key).toBeDefined();
    const listed = await t.as(admin, 'GET', '/v1/integrations');
    expect(listed.json().integrations.map((i: { name: string }) => i.name)).toEqual(['live-lpr']);
    expect((await wf(['integration', 'list'], env)).out).toMatch(/^live-lpr {2}lpr .* active, /);

    expect((await wf(['integration', 'revoke', 'live-lpr'], env)).code).toBe(0);
    const after = await t.as(admin, 'GET', '/v1/integrations');
    expect(after.json().integrations[0].revokedAt).not.toBeNull();
  }, 120_000);

  it('owner reset-totp: the owner’s authenticator is gone at once', async () => {
    const at = new Date(t.clock.now()).toISOString();
    await t.store.store.query(
      `insert into owner_accounts (id, email, totp_secret, created_at, updated_at)
       values ('owner-cli-1', 'lost.phone@example.test', 'JBSWY3DPEHPK3PXP', $1, $1)`,
      [at],
    );
    const cleared = await wf(['owner', 'reset-totp', '--email', 'lost.phone@example.test'], env);
    expect(cleared.err).toBe('');
    expect(cleared.code).toBe(0);
    expect(cleared.out).toMatch(
      /^authenticator cleared for the camera owner owner-cli-1; 0 session/,
    );
    const row = await t.store.store.query<{ totp_secret: string | null }>(
      "select totp_secret from owner_accounts where id = 'owner-cli-1'",
    );
    expect(row.rows[0]!.totp_secret).toBeNull();
    expect(
      await wf(['owner', 'reset-totp', '--email', 'lost.phone@example.test'], env),
    ).toMatchObject({ code: 2, err: 'That owner has no authenticator app to clear.\n' });
    expect((await wf(['owner', 'reset-totp'], env)).code).toBe(2);
  }, 120_000);

  it('report shift writes the PDF where it was typed', async () => {
    const pdf = join(dataDir, 'report.pdf');
    const res = await wf(
      ['report', 'shift', '--date', '2026-11-29', '--shift', 'Day', '--out', pdf],
      env,
    );
    expect(res).toMatchObject({ code: 0, out: `wrote ${pdf} (1 page)\n` });
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('audit verify checks the trail the server is writing, and everything was audited as the command line', async () => {
    const anchor = join(dataDir, 'head.json');
    const res = await wf(['audit', 'verify', '--write-anchor', anchor], env);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const newest = await t.store.store.query<{ id: number; hash: string }>(
      'select id, hash from audit_log order by id desc limit 1',
    );
    expect(res.out).toContain(`head: row ${newest.rows[0]!.id}, hash ${newest.rows[0]!.hash}`);
    expect(JSON.parse(readFileSync(anchor, 'utf8'))).toMatchObject(newest.rows[0]!);
    expect(await wf(['audit', 'verify', '--anchor', anchor], env)).toMatchObject({ code: 0 });

    const audited = await t.store.store.query<{ action: string; actor_name: string }>(
      `select action, actor_name from audit_log
        where action in ('user.create', 'user.totp_reset', 'user.unlock', 'camera.import',
                         'integration.create', 'integration.revoke', 'owner.totp.clear')
          and actor_name <> 'system' order by id`,
    );
    expect(audited.rows.map((r) => r.action)).toEqual([
      'user.create',
      'user.totp_reset',
      'user.unlock',
      'camera.import',
      'integration.create',
      'integration.revoke',
      'owner.totp.clear',
    ]);
    for (const r of audited.rows) expect(r.actor_name).toBe(cliActor().name);
    expect(cliActor().name).toMatch(/^cli:[A-Za-z0-9._-]+$/);
  }, 120_000);

  it('went through the server on the embedded database, and straight to PostgreSQL otherwise', () => {
    if (kind === 'pglite') {
      // The lock still names this process, the server: every command above ran inside it.
      const lock = JSON.parse(readFileSync(join(dataDir, 'db.lock'), 'utf8'));
      expect(lock).toMatchObject({ pid: process.pid, command: expect.any(String) });
      expect(channel?.path).toBe(controlSocketPath(dataDir));
    } else {
      // PostgreSQL is shared by design: no lock and no channel were made for it.
      expect(existsSync(join(dataDir, 'db.lock'))).toBe(false);
      expect(existsSync(controlSocketPath(dataDir))).toBe(false);
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

describe('wf and the real server (server/main.ts) on the embedded database', () => {
  it('goes through the server while it runs, and opens the database itself once it has stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wf-main-'));
    const env = { WF_DATA_DIR: dataDir, WF_DATABASE_URL: '' };
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        ...env,
        WF_SERVER_HOST: '127.0.0.1',
        WF_SERVER_PORT: String(await freePort()),
        WF_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      let log = '';
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (b: Buffer) => {
          log += b.toString();
          if (log.includes('Watchfloor server listening')) resolve();
        });
        server.stderr.on('data', (b: Buffer) => (log += b.toString()));
        void exited.then((code) => reject(new Error(`the server exited (${code}):\n${log}`)));
      });
      const added = await wf(
        ['user', 'add', '--username', 'dana', '--role', 'admin'],
        env,
        PASSWORD,
      );
      expect(added.err).toBe('');
      expect(added.out).toMatch(ENROLMENT);
      // It ran in the server: the lock is the server's still.
      expect(JSON.parse(readFileSync(join(dataDir, 'db.lock'), 'utf8')).pid).toBe(server.pid);

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(join(dataDir, 'db.lock'))).toBe(false);
      const unlocked = await wf(['user', 'unlock', '--username', 'dana'], env);
      expect(unlocked).toMatchObject({
        code: 0,
        out: '"dana" unlocked: failed sign-ins cleared\n',
      });
    } finally {
      server.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
