import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../support/testApp';
import { STORE_KINDS } from '../../support/stores';
import { auditRowFromDb, hashAuditRow } from '../../../server/audit/auditChain';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import type { Queryable } from '../../../server/store/store';

/** Plays an attacker with the database owner's rights: triggers off, then an edit. */
async function asOwner(db: Queryable, sql: string, params: unknown[] = []): Promise<void> {
  await db.query('alter table audit_log disable trigger user');
  await db.query('alter table events disable trigger user');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('alter table audit_log enable trigger user');
    await db.query('alter table events enable trigger user');
  }
}

describe.each(STORE_KINDS)('audit chain on %s', (kind) => {
  async function withRows(n: number) {
    const t = await startTestApp(kind);
    for (let i = 0; i < n; i++) {
      await t.app.ctx.record({
        audit: {
          actorId: 'u1',
          actorName: 'tester',
          action: 'test.action',
          targetType: 'thing',
          targetId: String(i),
          outcome: 'success',
          details: { i, nested: { b: 2, a: [1, 'x'] } },
        },
        event: { type: 'cameras.imported', payload: { source: 'test', created: i, rejected: 0 } },
      });
    }
    return t;
  }

  it('verifies an untouched chain', async () => {
    const t = await withRows(10);
    try {
      const report = await verifyAuditChain(t.store.store, { pageSize: 4 });
      expect(report.ok).toBe(true);
      expect(report.rowsChecked).toBe(10);
      expect(report.firstBreak).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('refuses updates, deletes and truncation of audit rows with its own refusal', async () => {
    const t = await withRows(2);
    try {
      // A denial has no event pointing at it, so only the append-only rule can stop its removal.
      await t.app.ctx.record({
        audit: {
          actorId: 'u1',
          actorName: 'tester',
          action: 'permission.denied',
          outcome: 'denied',
        },
        event: null,
      });
      const denied = await t.store.store.query<{ id: number }>(
        "select id from audit_log where action = 'permission.denied'",
      );
      const id = Number(denied.rows[0]!.id);
      await expect(
        t.store.store.query("update audit_log set outcome = 'success' where id = $1", [id]),
      ).rejects.toThrow('audit_log is append-only: UPDATE is not allowed');
      await expect(
        t.store.store.query('delete from audit_log where id = $1', [id]),
      ).rejects.toThrow('audit_log is append-only: DELETE is not allowed');
      await expect(t.store.store.query('truncate audit_log cascade')).rejects.toThrow(
        /append-only: TRUNCATE is not allowed/,
      );
      expect((await verifyAuditChain(t.store.store)).ok).toBe(true);
      expect((await t.store.store.query('select 1 from audit_log')).rowCount).toBe(3);
    } finally {
      await t.close();
    }
  });

  // Every column the hash covers, edited by someone who can switch the triggers off: each edit
  // must be caught at that very row. One trail serves every edit; each is undone before the next.
  interface Original {
    readonly prevHash: string;
    readonly hash: string;
  }
  const EDITS: readonly (readonly [column: string, set: string, undo: (o: Original) => string])[] =
    [
      ['id', 'id = id + 1000', () => 'id = id - 1000'],
      ['at', "at = at + interval '1 second'", () => "at = at - interval '1 second'"],
      ['actor_id', "actor_id = 'u2'", () => "actor_id = 'u1'"],
      ['actor_name', "actor_name = 'someone else'", () => "actor_name = 'tester'"],
      ['action', "action = 'test.other'", () => "action = 'test.action'"],
      ['target_type', "target_type = 'other'", () => "target_type = 'thing'"],
      ['target_id', "target_id = 'other'", () => "target_id = 'x'"],
      ['outcome', "outcome = 'denied'", () => "outcome = 'success'"],
      ['details', `details = '{"i": 999}'`, () => `details = '{"i": 2}'`],
      ['prev_hash', "prev_hash = repeat('1', 64)", (o) => `prev_hash = '${o.prevHash}'`],
      ['hash', "hash = repeat('2', 64)", (o) => `hash = '${o.hash}'`],
    ];
  it('catches an edit of every hashed column at the row edited', async () => {
    const t = await startTestApp(kind);
    try {
      for (let i = 0; i < 5; i++) {
        await t.app.ctx.record({
          audit: {
            actorId: 'u1',
            actorName: 'tester',
            action: 'test.action',
            targetType: 'thing',
            targetId: 'x',
            outcome: 'success',
            details: { i },
          },
          event: null,
        });
      }
      const rows = (
        await t.store.store.query<{ id: number; prev_hash: string; hash: string }>(
          'select id, prev_hash, hash from audit_log order by id',
        )
      ).rows;
      const id = Number(rows[2]!.id);
      const original = { prevHash: rows[2]!.prev_hash, hash: rows[2]!.hash };
      for (const [column, set, undo] of EDITS) {
        await asOwner(t.store.store, `update audit_log set ${set} where id = $1`, [id]);
        const report = await verifyAuditChain(t.store.store);
        expect(report.ok, column).toBe(false);
        expect(report.firstBreak, column).toMatchObject(
          column === 'id'
            ? { kind: 'deleted', afterId: Number(rows[1]!.id) }
            : { kind: 'edited', id },
        );
        await asOwner(t.store.store, `update audit_log set ${undo(original)} where id = $1`, [
          column === 'id' ? id + 1000 : id,
        ]);
        expect((await verifyAuditChain(t.store.store)).ok, `${column} undone`).toBe(true);
      }
    } finally {
      await t.close();
    }
  });

  it('reports the first edited row', async () => {
    const t = await withRows(8);
    try {
      const ids = await t.store.store.query<{ id: number }>('select id from audit_log order by id');
      const target = Number(ids.rows[4]!.id);
      await asOwner(t.store.store, `update audit_log set details = '{"i": 999}' where id = $1`, [
        target,
      ]);
      const report = await verifyAuditChain(t.store.store, { pageSize: 3 });
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ kind: 'edited', id: target });
      expect(report.rowsChecked).toBe(4);
    } finally {
      await t.close();
    }
  });

  it('reports a deleted row as a gap between its neighbours', async () => {
    const t = await withRows(8);
    try {
      const ids = (
        await t.store.store.query<{ id: number }>('select id from audit_log order by id')
      ).rows.map((r) => Number(r.id));
      const gone = ids[3]!;
      await asOwner(t.store.store, 'delete from events where audit_id = $1', [gone]);
      await asOwner(t.store.store, 'delete from audit_log where id = $1', [gone]);
      const report = await verifyAuditChain(t.store.store);
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ kind: 'deleted', afterId: ids[2] });
      expect(report.firstBreak?.message).toContain(String(ids[4]));
    } finally {
      await t.close();
    }
  });

  it('detects an edit that also recomputes the row hash (the next link breaks)', async () => {
    const t = await withRows(6);
    try {
      const row = (
        await t.store.store.query<Parameters<typeof auditRowFromDb>[0]>(
          'select * from audit_log order by id limit 1 offset 2',
        )
      ).rows[0]!;
      const forged = { ...auditRowFromDb(row), action: 'forged.action' };
      const { hash: _old, ...rest } = forged;
      const newHash = hashAuditRow(rest);
      await asOwner(t.store.store, 'update audit_log set action = $2, hash = $3 where id = $1', [
        forged.id,
        'forged.action',
        newHash,
      ]);
      const report = await verifyAuditChain(t.store.store);
      expect(report.ok).toBe(false);
      expect(report.firstBreak?.kind).toBe('deleted');
      expect(report.firstBreak).toMatchObject({ afterId: forged.id });
    } finally {
      await t.close();
    }
  });

  it('is served to supervisors and refused to analysts', async () => {
    const t = await withRows(3);
    try {
      const sup = await t.user('supervisor');
      const analyst = await t.user('analyst');
      const ok = await t.as(sup, 'GET', '/v1/audit/verify');
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true });
      const denied = await t.as(analyst, 'GET', '/v1/audit/verify');
      expect(denied.statusCode).toBe(403);
      const search = await t.as(sup, 'GET', '/v1/audit?action=permission.denied');
      expect(search.statusCode).toBe(200);
      const rows = search.json().rows as { actorId: string; targetId: string }[];
      expect(
        rows.some((r) => r.actorId === analyst.id && r.targetId.includes('/v1/audit/verify')),
      ).toBe(true);
      const filtered = await t.as(sup, 'GET', `/v1/audit?actorId=${analyst.id}&limit=1`);
      expect(filtered.json().rows).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
