import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../support/testApp';
import { STORE_KINDS } from '../../support/stores';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertParams,
  auditRowFromDb,
  buildAuditRow,
  hashAuditRow,
  type AuditRow,
  type DbAuditRow,
} from '../../../server/audit/auditChain';
import { readAnchorFile } from '../../../server/audit/anchor';
import { AuditTrail, CHECKPOINT_REFUSED_ACTION } from '../../../server/audit/checkpointer';
import { CHECKPOINT_ACTION, checkpointStatement } from '../../../server/audit/checkpoints';
import {
  auditKeyId,
  loadAuditSigningKey,
  readAuditPublicKey,
  type AuditSigningKey,
} from '../../../server/audit/signingKey';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import type { Queryable } from '../../../server/store/store';
import { asOwner, replaceTrail } from './support/ownerTrail';

async function allRows(db: Queryable): Promise<AuditRow[]> {
  const res = await db.query<DbAuditRow>('select * from audit_log order by id');
  return res.rows.map(auditRowFromDb);
}

/**
 * The attack a plain hash chain cannot see: rewrite rows (or drop some) and recompute every
 * hash after them, so each row matches its content and follows its predecessor.
 */
async function rewriteAndRehash(
  db: Queryable,
  edit: (row: AuditRow) => AuditRow | null,
): Promise<void> {
  const rows = await allRows(db);
  const kept: AuditRow[] = [];
  let prevHash = '0'.repeat(64);
  for (const original of rows) {
    const edited = edit(original);
    if (!edited) continue;
    const { hash: _old, ...rest } = { ...edited, prevHash };
    const row = { ...rest, hash: hashAuditRow(rest) };
    kept.push(row);
    prevHash = row.hash;
  }
  await replaceTrail(db, kept);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wf-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the checkpoint key', () => {
  it('is made once with mode 600, then reused; a key others can read is refused', () => {
    const path = join(dir, 'keys', 'audit.pem');
    const first = loadAuditSigningKey(path, { create: true })!;
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = loadAuditSigningKey(path, { create: true })!;
    expect(again.created).toBe(false);
    expect(again.key.keyId).toBe(first.key.keyId);
    expect(loadAuditSigningKey(join(dir, 'none.pem'), { create: false })).toBeNull();

    const pub = join(dir, 'audit.pub.pem');
    writeFileSync(pub, first.key.publicKeyPem);
    expect(readAuditPublicKey(pub).keyId).toBe(first.key.keyId);
    expect(readFileSync(pub, 'utf8')).not.toMatch(/PRIVATE/);

    chmodSync(path, 0o644);
    expect(() => loadAuditSigningKey(path, { create: false })).toThrow(/chmod 600/);
  });
});

describe.each(STORE_KINDS)('signed audit checkpoints on %s', (kind) => {
  let key: AuditSigningKey;
  let anchorFile: string;

  async function start(): Promise<TestApp> {
    key = loadAuditSigningKey(join(dir, 'audit-signing-key.pem'), { create: true })!.key;
    anchorFile = join(dir, 'audit-anchor.json');
    const t = await startTestApp(kind, { config: { auditAnchorFile: anchorFile }, auditKey: key });
    // The start checkpoint is not waited for by the app (it may take long on a big trail).
    await t.app.ctx.audit.settled();
    return t;
  }

  async function write(t: TestApp, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await t.app.ctx.record({
        audit: {
          actorId: 'u1',
          actorName: 'tester',
          action: 'test.action',
          targetType: 'thing',
          targetId: String(i),
          outcome: 'success',
          details: { i },
        },
        event: { type: 'cameras.imported', payload: { source: 'test', created: i, rejected: 0 } },
      });
    }
  }

  const checkpoints = async (db: Queryable) =>
    (await allRows(db)).filter((r) => r.action === CHECKPOINT_ACTION);

  it('signs one at start, on demand and at close, and saves the newest as the anchor', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 3);
      const made = await t.app.ctx.audit.checkpoint('schedule');
      expect(made.ok).toBe(true);
      const signed = await checkpoints(db);
      expect(signed.map((r) => r.details.reason)).toEqual(['start', 'schedule']);
      expect(signed.every((r) => r.details.keyId === key.keyId)).toBe(true);
      const anchor = readAnchorFile(anchorFile);
      expect(anchor).toMatchObject({ id: signed[1]!.id, hash: signed[1]!.hash });

      const report = await verifyAuditChain(db, { keys: [key], anchors: [anchor] });
      expect(report).toMatchObject({
        ok: true,
        rowsChecked: 5,
        head: { id: signed[1]!.id, hash: signed[1]!.hash },
        checkpoints: { count: 2, verified: true, rowsAfterNewest: 0 },
        anchorsChecked: 1,
      });
      const api = await t.as(await t.user('supervisor'), 'GET', '/v1/audit/verify');
      expect(api.json()).toMatchObject({ ok: true, checkpoints: { count: 2, verified: true } });

      // Stopping (what closing the app does) signs the last one of the run.
      await t.app.ctx.audit.stop();
      const last = (await checkpoints(db)).at(-1)!;
      expect(last.details.reason).toBe('stop');
      expect(readAnchorFile(anchorFile)).toMatchObject({ id: last.id, hash: last.hash });
    } finally {
      await t.close();
    }
  });

  it('signs on the schedule', async () => {
    const t = await start();
    try {
      await t.app.ctx.audit.stop();
      t.app.ctx.audit.start(20);
      await vi.waitFor(
        async () => {
          const reasons = (await checkpoints(t.store.store)).map((r) => r.details.reason);
          expect(reasons).toContain('schedule');
        },
        { timeout: 10_000, interval: 20 },
      );
    } finally {
      await t.close();
    }
  });

  it('catches a truncated trail, which a plain chain calls intact', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 4);
      expect((await t.app.ctx.audit.checkpoint('schedule')).ok).toBe(true);
      const anchor = readAnchorFile(anchorFile);
      await asOwner(db, 'truncate events, audit_log');

      // Without anything kept outside the database, an empty trail is a valid trail.
      expect((await verifyAuditChain(db)).ok).toBe(true);

      const withAnchor = await verifyAuditChain(db, { keys: [key], anchors: [anchor] });
      expect(withAnchor.ok).toBe(false);
      expect(withAnchor.firstBreak?.kind).toBe('anchor');
      expect(withAnchor.firstBreak?.message).toMatch(
        /deleted from its end or the table was truncated/,
      );

      const api = await t.as(await t.user('supervisor'), 'GET', '/v1/audit/verify');
      expect(api.json()).toMatchObject({ ok: false, firstBreak: { kind: 'anchor' } });

      // The server does not sign over it; it says so in the trail and keeps the old anchor.
      const refused = await t.app.ctx.audit.checkpoint('schedule');
      expect(refused.ok).toBe(false);
      expect(await checkpoints(db)).toEqual([]);
      expect(readAnchorFile(anchorFile)).toEqual(anchor);
      const noted = (await allRows(db)).filter((r) => r.action === CHECKPOINT_REFUSED_ACTION);
      expect(noted).toHaveLength(1);
      expect(noted[0]).toMatchObject({ outcome: 'failure' });

      // Nor does a restarted server, which knows the trail only from its anchor file.
      const restarted = new AuditTrail({ ...t.app.ctx, key, anchorFile });
      const again = await restarted.checkpoint('start');
      expect(again).toMatchObject({ ok: false });
      expect(again.ok || again.problem).toMatch(/anchor file/);
      expect(await checkpoints(db)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('catches the newest rows deleted, the newest checkpoint with them or not', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 3);
      const cp = await t.app.ctx.audit.checkpoint('schedule');
      if (!cp.ok) throw new Error(cp.problem);
      await write(t, 3);
      // Only the rows after the checkpoint: the anchor still holds, the server's memory does not.
      const newest = (await allRows(db)).at(-1)!;
      await asOwner(
        db,
        `delete from events where audit_id > ${cp.row.id}`,
        `delete from audit_log where id > ${cp.row.id}`,
      );
      expect((await verifyAuditChain(db)).ok).toBe(true);
      const api = await t.as(await t.user('supervisor'), 'GET', '/v1/audit/verify');
      expect(api.json()).toMatchObject({
        ok: false,
        firstBreak: { kind: 'anchor', id: newest.id },
      });
      expect(await t.app.ctx.audit.checkpoint('schedule')).toMatchObject({ ok: false });

      // The checkpoint too: the anchor file no longer matches anything.
      await asOwner(
        db,
        `delete from events where audit_id >= ${cp.row.id}`,
        `delete from audit_log where id >= ${cp.row.id}`,
      );
      const report = await verifyAuditChain(db, {
        keys: [key],
        anchors: [readAnchorFile(anchorFile)],
      });
      expect(report).toMatchObject({ ok: false, firstBreak: { kind: 'anchor', id: cp.row.id } });
    } finally {
      await t.close();
    }
  });

  it('catches rows rewritten with the plain chain recomputed', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 3);
      await t.app.ctx.record({
        audit: {
          actorId: 'u9',
          actorName: 'mallory',
          action: 'owner.contact.reveal',
          outcome: 'denied',
        },
        event: null,
      });
      await write(t, 2);
      const cp = await t.app.ctx.audit.checkpoint('schedule');
      if (!cp.ok) throw new Error(cp.problem);
      const anchor = readAnchorFile(anchorFile);

      // A denial turned into a success, every later hash recomputed.
      await rewriteAndRehash(db, (r) =>
        r.action === 'owner.contact.reveal' ? { ...r, outcome: 'success' } : r,
      );
      expect((await verifyAuditChain(db)).ok).toBe(true);
      const report = await verifyAuditChain(db, { keys: [key] });
      expect(report).toMatchObject({
        ok: false,
        firstBreak: { kind: 'checkpoint', id: cp.row.id },
      });
      expect(report.firstBreak?.message).toMatch(/does not verify/);

      // Dropping the checkpoints that give it away leaves the anchor unmatched.
      await rewriteAndRehash(db, (r) => (r.action === CHECKPOINT_ACTION ? null : r));
      expect((await verifyAuditChain(db, { keys: [key] })).ok).toBe(true);
      const anchored = await verifyAuditChain(db, { keys: [key], anchors: [anchor] });
      expect(anchored).toMatchObject({ ok: false, firstBreak: { kind: 'anchor', id: anchor.id } });
      expect(await t.app.ctx.audit.checkpoint('schedule')).toMatchObject({ ok: false });
    } finally {
      await t.close();
    }
  });

  it('catches forged checkpoints', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 2);
      const genuine = (await checkpoints(db))[0]!;
      const { privateKey } = generateKeyPairSync('ed25519');

      const appendForged = async (
        details: (link: { id: number; prevHash: string; at: Date }) => Record<string, unknown>,
      ) => {
        const last = (await allRows(db)).at(-1)!;
        const id = (
          await db.query<{ id: number }>(
            "select nextval(pg_get_serial_sequence('audit_log', 'id'))::bigint as id",
          )
        ).rows[0]!.id;
        const link = { id: Number(id), prevHash: last.hash, at: new Date(t.clock.now()) };
        const row = buildAuditRow(link, link.at, {
          actorId: null,
          actorName: 'system',
          action: CHECKPOINT_ACTION,
          targetType: 'audit_log',
          outcome: 'success',
          details: details(link),
        });
        await db.query(
          `insert into audit_log (${AUDIT_INSERT_COLUMNS})
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          auditInsertParams(row),
        );
        return row;
      };
      const statementFor = (link: { id: number; prevHash: string; at: Date }, keyId: string) =>
        checkpointStatement({
          id: link.id,
          at: link.at.toISOString(),
          prevHash: link.prevHash,
          keyId,
          reason: 'schedule',
        });

      // Signed with a key of the attacker's own.
      const otherKeyId = auditKeyId(createPublicKey(privateKey));
      const own = await appendForged((link) => ({
        reason: 'schedule',
        keyId: otherKeyId,
        signature: sign(null, Buffer.from(statementFor(link, otherKeyId)), privateKey).toString(
          'base64',
        ),
      }));
      expect(await verifyAuditChain(db, { keys: [key] })).toMatchObject({
        ok: false,
        firstBreak: {
          kind: 'checkpoint',
          id: own.id,
          message: expect.stringMatching(/not a trusted key/),
        },
      });
      await asOwner(db, `delete from audit_log where id = ${own.id}`);

      // The server's key id, a signature by another key.
      const spoofed = await appendForged((link) => ({
        reason: 'schedule',
        keyId: key.keyId,
        signature: sign(null, Buffer.from(statementFor(link, key.keyId)), privateKey).toString(
          'base64',
        ),
      }));
      expect(await verifyAuditChain(db, { keys: [key] })).toMatchObject({
        ok: false,
        firstBreak: {
          kind: 'checkpoint',
          id: spoofed.id,
          message: expect.stringMatching(/does not verify/),
        },
      });
      await asOwner(db, `delete from audit_log where id = ${spoofed.id}`);

      // A genuine signature copied from an earlier checkpoint.
      const copied = await appendForged(() => ({ ...genuine.details }));
      expect(await verifyAuditChain(db, { keys: [key] })).toMatchObject({
        ok: false,
        firstBreak: { kind: 'checkpoint', id: copied.id },
      });
      await asOwner(db, `delete from audit_log where id = ${copied.id}`);

      // No signature at all.
      const bare = await appendForged(() => ({ reason: 'schedule' }));
      expect(await verifyAuditChain(db, { keys: [key] })).toMatchObject({
        ok: false,
        firstBreak: {
          kind: 'checkpoint',
          id: bare.id,
          message: expect.stringMatching(/no signature/),
        },
      });
    } finally {
      await t.close();
    }
  });

  it('refuses updates, deletes and truncation of events', async () => {
    const t = await start();
    const db = t.store.store;
    try {
      await write(t, 2);
      await expect(db.query("update events set type = 'x'")).rejects.toThrow(
        'events is append-only: UPDATE is not allowed',
      );
      await expect(db.query('delete from events')).rejects.toThrow(
        'events is append-only: DELETE is not allowed',
      );
      await expect(db.query('truncate events')).rejects.toThrow(
        'events is append-only: TRUNCATE is not allowed',
      );
      expect((await db.query('select 1 from events')).rowCount).toBe(2);
    } finally {
      await t.close();
    }
  });
});
