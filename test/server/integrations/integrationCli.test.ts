import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import { migrate } from '../../../server/store/migrate';
import {
  controlSocketPath,
  startControlChannel,
  type ControlChannel,
} from '../../../server/control/controlChannel';
import { hashIntegrationKey } from '../../../server/integrations/integrationKeys';
import { findIntegrationByKeyHash } from '../../../server/integrations/integrationRepository';
import { TEST_DATABASE_URL } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';

/**
 * `wf integration ...` run as an administrator runs it: on an embedded database nobody holds, on
 * one a running server holds (through its control channel, never opening the database a second
 * time), and on PostgreSQL (directly, the running server seeing the change at once).
 */

const run = promisify(execFile);

/** Runs wf without blocking this process: the server under test answers it meanwhile. */
async function wf(args: string[], env: Record<string, string>) {
  try {
    const res = await run(process.execPath, ['--import', 'tsx', 'scripts/wf.ts', ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, out: res.stdout, err: res.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

const keyOf = (out: string) => /key: (wfi_[A-Za-z0-9_-]{43})\n/.exec(out)?.[1] ?? null;

const dirs: string[] = [];
let t: TestApp | null = null;
let channel: ControlChannel | null = null;
afterEach(async () => {
  await channel?.close();
  channel = null;
  await t?.close();
  t = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wf-int-'));
  dirs.push(d);
  return d;
}

describe('wf integration', () => {
  it('adds, lists and revokes on an embedded database no server holds', async () => {
    const dir = dataDir();
    const env = { WF_DATA_DIR: dir, WF_DATABASE_URL: '' };
    const added = await wf(['integration', 'add', '--name', 'County CAD', '--scope', 'cad'], env);
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/created integration "County CAD" \(cad, [0-9a-f-]{36}\)/);
    const key = keyOf(added.out);
    expect(key).not.toBeNull();

    expect(
      await wf(['integration', 'add', '--name', 'County CAD', '--scope', 'lpr'], env),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/already an integration named/) });
    expect(await wf(['integration', 'add', '--name', 'x', '--scope', 'radar'], env)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown scope "radar"/),
    });

    const revoked = await wf(['integration', 'revoke', 'County CAD'], env);
    expect(revoked).toMatchObject({ code: 0, out: expect.stringMatching(/revoked integration/) });
    const listed = await wf(['integration', 'list'], env);
    expect(listed.out).toMatch(/County CAD {2}cad {2}[0-9a-f-]{36} {2}revoked /);
    expect(await wf(['integration', 'revoke', 'nobody'], env)).toMatchObject({ code: 2 });

    // Only the hash is kept, and both changes are in the trail under the command line's name.
    const store = await openPgliteStore(join(dir, 'db'));
    try {
      const found = await findIntegrationByKeyHash(store, hashIntegrationKey(key!));
      expect(found).toMatchObject({ name: 'County CAD', revokedAt: expect.any(String) });
      const stored = await store.query<{ key_hash: string }>('select key_hash from integrations');
      expect(stored.rows[0]!.key_hash).not.toContain(key!.slice(4));
      const audit = await store.query<{ action: string; actor_name: string }>(
        "select action, actor_name from audit_log where action like 'integration.%' order by id",
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['integration.create', 'integration.revoke']);
      for (const r of audit.rows) expect(r.actor_name).toMatch(/^cli:/);
    } finally {
      await store.close();
    }
  }, 300_000);

  it('goes through the running server when it holds the embedded database', async () => {
    const dir = dataDir();
    t = await startTestApp('pglite', { dataDir: join(dir, 'db') });
    channel = await startControlChannel(t.app.ctx, dir);
    // Only the data dir's owner can reach the channel.
    expect(statSync(join(dir, 'control')).mode & 0o777).toBe(0o700);
    expect(statSync(controlSocketPath(dir)).mode & 0o777).toBe(0o600);

    const env = { WF_DATA_DIR: dir, WF_DATABASE_URL: '' };
    const added = await wf(['integration', 'add', '--name', 'lpr-north', '--scope', 'lpr'], env);
    expect(added.code).toBe(0);
    const key = keyOf(added.out)!;
    // The server has it already: no restart, and no second process ever opened the folder.
    const found = await findIntegrationByKeyHash(t.store.store, hashIntegrationKey(key));
    expect(found).toMatchObject({ name: 'lpr-north', scope: 'lpr', revokedAt: null });

    const bad = await wf(['integration', 'add', '--name', '<script>', '--scope', 'lpr'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/name: a name is letters/);

    expect((await wf(['integration', 'list'], env)).out).toMatch(/lpr-north {2}lpr .* active/);
    expect((await wf(['integration', 'revoke', found!.id], env)).code).toBe(0);
    const after = await findIntegrationByKeyHash(t.store.store, hashIntegrationKey(key));
    expect(after!.revokedAt).not.toBeNull();
  }, 120_000);

  it('says so when another process that is no server holds the embedded database', async () => {
    const dir = dataDir();
    const holder = await openPgliteStore(join(dir, 'db'));
    try {
      await migrate(holder);
      const res = await wf(['integration', 'list'], { WF_DATA_DIR: dir, WF_DATABASE_URL: '' });
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/It does not answer on .*control.wf.sock/);
    } finally {
      await holder.close();
    }
  }, 120_000);

  it.runIf(TEST_DATABASE_URL)(
    'writes to PostgreSQL directly; the server sees it',
    async () => {
      t = await startTestApp('postgres');
      const schema = (await t.store.store.query<{ s: string }>('select current_schema() as s'))
        .rows[0]!.s;
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const env = { WF_DATABASE_URL: url.toString(), WF_DATA_DIR: dataDir() };
      const added = await wf(
        ['integration', 'add', '--name', 'gunshots', '--scope', 'gunshot'],
        env,
      );
      expect(added.code).toBe(0);
      const key = keyOf(added.out)!;
      expect(await findIntegrationByKeyHash(t.store.store, hashIntegrationKey(key))).toMatchObject({
        name: 'gunshots',
      });
      const admin = await t.user('admin');
      const listed = await t.as(admin, 'GET', '/v1/integrations');
      expect(listed.json().integrations.map((i: { name: string }) => i.name)).toEqual(['gunshots']);
    },
    120_000,
  );
});
