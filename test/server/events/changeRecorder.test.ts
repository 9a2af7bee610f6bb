import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import { ChangeRecorder } from '../../../server/events/recordChange';
import { ManualClock } from '../../../shared/time/clock';
import { STORE_KINDS, openTestStore, type TestStore } from '../../support/stores';

let t: TestStore | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

describe.each(STORE_KINDS)('group commit on %s', (kind) => {
  it('commits concurrent changes together, rolls back only the ones that fail', async () => {
    t = await openTestStore(kind);
    await t.store.exec('create table things (n int primary key)');
    let wakes = 0;
    const recorder = new ChangeRecorder(t.store, new ManualClock(), () => (wakes += 1));
    const attempt = (n: number) =>
      recorder.record({
        apply: async ({ tx }) => {
          await tx.query('insert into things (n) values ($1)', [n]);
          // Every seventh change fails after writing: its row must not survive.
          if (n % 7 === 0) throw new Error(`change ${n} refused`);
          return n;
        },
        audit: {
          actorId: null,
          actorName: 'test',
          action: 'thing.add',
          outcome: 'success',
          details: { n },
        },
        event: (v) => ({
          type: 'cameras.imported',
          payload: { source: 'test', created: v, rejected: 0 },
        }),
      });
    const settled = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => attempt(i + 1)));

    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [i + 1] : []));
    expect(failed).toEqual([7, 14, 21, 28, 35, 42, 49, 56]);
    for (const n of failed) {
      expect((settled[n - 1] as PromiseRejectedResult).reason.message).toBe(`change ${n} refused`);
    }
    const rows = await t.store.query<{ n: number }>('select n from things order by n');
    expect(rows.rows.map((r) => r.n)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1).filter((n) => n % 7 !== 0),
    );
    const events = await t.store.query<{ payload: { n: number } }>(
      "select payload from events where type = 'cameras.imported' order by id",
    );
    expect(events.rowCount).toBe(52);
    const audits = await t.store.query('select 1 from audit_log');
    expect(audits.rowCount).toBe(52);
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
    expect(wakes).toBeGreaterThan(0);
  });

  it('rejects every change of a batch whose transaction cannot commit', async () => {
    t = await openTestStore(kind);
    const recorder = new ChangeRecorder(t.store, new ManualClock(), () => undefined);
    // A deferred constraint fails only at commit, after every change in the batch succeeded.
    await t.store.exec(
      `create table pairs (a int primary key, b int unique deferrable initially deferred)`,
    );
    const add = (a: number, b: number) =>
      recorder.record({
        apply: async ({ tx }) => {
          await tx.query('insert into pairs (a, b) values ($1, $2)', [a, b]);
        },
        audit: { actorId: null, actorName: 'test', action: 'pair.add', outcome: 'success' },
        event: null,
      });
    const first = add(0, 0); // runs alone while the others queue up
    const rest = [add(1, 10), add(2, 10), add(3, 30)];
    await first;
    const settled = await Promise.allSettled(rest);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    const rows = await t.store.query('select a from pairs');
    expect(rows.rowCount).toBe(1);
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
  });
});
