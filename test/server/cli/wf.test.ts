import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWf } from '../../support/wfCommand';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import { loadAuditSigningKey } from '../../../server/audit/signingKey';

/** The operator's command-line tool, run as a person runs it, on an embedded database. */
const dataDir = mkdtempSync(join(tmpdir(), 'wf-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const wf = (args: string[], input = '') => runWf(dataDir, args, input);

describe('npm run wf', () => {
  it('migrates, adds users, imports cameras and verifies the audit chain', async () => {
    expect(wf(['migrate'])).toMatchObject({ code: 0 });

    const added = wf(
      ['user', 'add', '--username', 'jdoe', '--role', 'analyst'],
      'a fine long password\n',
    );
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/created analyst "jdoe"/);
    // The enrolment code to hand over, printed once.
    expect(added.out).toMatch(/enrolment code for "jdoe": [0-9A-Z]{4}(-[0-9A-Z]{4}){4}\n/);
    const breached = wf(['user', 'add', '--username', 'zed', '--role', 'admin'], 'qwerty123456\n');
    expect(breached.code).toBe(2);
    expect(breached.err).toMatch(/common and breached/);
    const taken = wf(
      ['user', 'add', '--username', 'jdoe', '--role', 'analyst'],
      'a fine long password\n',
    );
    expect(taken.code).toBe(2);
    expect(taken.err).toMatch(/taken/);
    const badRole = wf(['user', 'add', '--username', 'x', '--role', 'chief'], 'pw');
    expect(badRole).toMatchObject({ code: 2 });
    expect(badRole.err).toMatch(/unknown role/);
    const shortPw = wf(['user', 'add', '--username', 'y', '--role', 'admin'], 'short\n');
    expect(shortPw.code).toBe(2);
    expect(shortPw.err).toMatch(/at least 12 characters/);

    const csv = join(dataDir, 'cams.csv');
    writeFileSync(
      csv,
      [
        'kind,name,lat,lng,address,owner_name,owner_phone',
        'registered,Corner store,36.1,-80.25,100 Main St,Pat Owner,336-555-0101',
        'registered,No place,123,-80.25,nowhere,Sam Owner,',
      ].join('\n'),
    );
    const imported = wf(['cameras', 'import', csv]);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/imported 1 cameras, rejected 1/);
    expect(imported.out).toMatch(/row 3/);

    const reset = wf(['user', 'reset-totp', '--username', 'jdoe']);
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/enrolment code for "jdoe": [0-9A-Z]{4}(-[0-9A-Z]{4}){4}\n/);
    expect(wf(['user', 'reset-totp', '--username', 'nobody']).code).toBe(2);

    const unlocked = wf(['user', 'unlock', '--username', 'jdoe']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.out).toMatch(/"jdoe" unlocked/);
    expect(wf(['user', 'unlock', '--username', 'nobody']).code).toBe(2);
    expect(wf(['user', 'unlock']).code).toBe(2);
    // The unlock is in the trail, with who did it.
    const store = await openPgliteStore(join(dataDir, 'db'));
    const unlocks = await store.query<{ actor_name: string }>(
      "select actor_name from audit_log where action = 'user.unlock'",
    );
    await store.close();
    expect(unlocks.rows.map((r) => r.actor_name)).toEqual([expect.stringMatching(/^cli:/)]);

    const verified = wf(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/audit chain intact: \d+ rows/);
    expect(verified.out).toMatch(/head: row \d+, hash [0-9a-f]{64}/);

    expect(wf(['no-such-command']).code).toBe(2);
  }, 240_000);

  it('audit verify writes an anchor and, checked against it, catches the newest rows deleted', async () => {
    const anchor = join(dataDir, 'anchor.json');
    const saved = wf(['audit', 'verify', '--write-anchor', anchor]);
    expect(saved.code).toBe(0);
    const head = /head: row (\d+), hash ([0-9a-f]{64})/.exec(saved.out)!;
    expect(JSON.parse(readFileSync(anchor, 'utf8'))).toMatchObject({
      id: Number(head[1]),
      hash: head[2],
    });
    expect(wf(['audit', 'verify', '--anchor', anchor])).toMatchObject({ code: 0 });

    const store = await openPgliteStore(join(dataDir, 'db'));
    await store.query('alter table audit_log disable trigger user');
    await store.query('alter table events disable trigger user');
    await store.query('delete from events where audit_id = $1', [Number(head[1])]);
    await store.query('delete from audit_log where id = $1', [Number(head[1])]);
    await store.query('alter table audit_log enable trigger user');
    await store.query('alter table events enable trigger user');
    await store.close();
    // The chain alone is still whole; only the anchor knows what it was.
    expect(wf(['audit', 'verify']).code).toBe(0);
    const cut = wf(['audit', 'verify', '--anchor', anchor]);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/rows were deleted from its end or the table was truncated/);

    writeFileSync(join(dataDir, 'bad.json'), '{"id": 1}');
    expect(wf(['audit', 'verify', '--anchor', join(dataDir, 'bad.json')])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/not a Watchfloor audit anchor/),
    });
  }, 120_000);

  it('audit public-key prints the key that checks checkpoints', () => {
    expect(wf(['audit', 'public-key']).code).toBe(2);
    const { key } = loadAuditSigningKey(join(dataDir, 'audit-signing-key.pem'), { create: true })!;
    const res = wf(['audit', 'public-key']);
    expect(res.code).toBe(0);
    expect(res.out.trim()).toBe(key.publicKeyPem.trim());
    expect(res.err).toContain(key.keyId);
  }, 60_000);

  it('audit verify exits 1 and names the row when a row was edited', async () => {
    const store = await openPgliteStore(join(dataDir, 'db'));
    const row = await store.query<{ id: number }>('select id from audit_log order by id limit 1');
    await store.query('alter table audit_log disable trigger user');
    await store.query("update audit_log set actor_name = 'someone else' where id = $1", [
      row.rows[0]!.id,
    ]);
    await store.close();
    const res = wf(['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.err).toContain(`audit row ${row.rows[0]!.id} was altered`);
  }, 120_000);
});
