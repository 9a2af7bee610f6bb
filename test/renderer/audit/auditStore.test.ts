import { beforeEach, describe, expect, it } from 'vitest';

/**
 * The audit review's search shows each part as it comes (docs/audit-review.md): the first page
 * at once, the counts and the flags when the server has worked them out, and nothing from a
 * search that a newer one overtook.
 */

interface Pending {
  readonly name: string;
  readonly args: unknown;
  answer(value: unknown): void;
}

// The console's bridge: each call waits until the test answers it.
const pending: Pending[] = [];
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    call(name: string, args: unknown) {
      return new Promise((resolve) =>
        pending.push({ name, args, answer: (value) => resolve({ ok: true, value }) }),
      );
    },
    subscribe: () => () => undefined,
  },
};

const { useAuditStore } = await import('../../../renderer/audit/auditStore');

const take = (name: string): Pending => {
  const i = pending.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`no pending ${name}; pending: ${pending.map((p) => p.name).join()}`);
  return pending.splice(i, 1)[0]!;
};
const settle = () => new Promise((r) => setTimeout(r, 0));

const entry = (id: number) => ({
  id,
  at: '2026-11-30T10:00:00.000Z',
  actor: { id: 'u1', name: 'Analyst One' },
  action: 'stream.grant',
  outcome: 'success',
  target: null,
  details: {},
  hash: 'h',
});
const counts = (total: number) => ({ total, byUser: [], byReason: [], scope: 'all' });
const flag = { key: 'k1', kind: 'no_case', review: null };

describe('the audit search', () => {
  beforeEach(() => {
    pending.length = 0;
    useAuditStore.getState().reset();
  });

  it('shows the first page before the counts and the flags, and each of those when it comes', async () => {
    const done = useAuditStore.getState().search();
    expect(useAuditStore.getState()).toMatchObject({ busy: true, counting: true, flagging: true });
    take('audit.entries').answer({ entries: [entry(2), entry(1)], next: null, scope: 'all' });
    await settle();
    expect(useAuditStore.getState().entries.map((e) => e.id)).toEqual([2, 1]);
    expect(useAuditStore.getState()).toMatchObject({ busy: false, counting: true, flagging: true });

    take('audit.flags').answer({ flags: [flag] });
    await settle();
    expect(useAuditStore.getState()).toMatchObject({ flagging: false, counting: true });
    expect(useAuditStore.getState().flags).toHaveLength(1);

    take('audit.counts').answer(counts(2));
    await done;
    expect(useAuditStore.getState()).toMatchObject({ counting: false, counts: { total: 2 } });
  });

  it('drops what an overtaken search answers, and clears the last range while the new one is read', async () => {
    const first = useAuditStore.getState().search();
    take('audit.entries').answer({ entries: [entry(1)], next: null, scope: 'all' });
    take('audit.counts').answer(counts(1));
    take('audit.flags').answer({ flags: [flag] });
    await first;
    expect(useAuditStore.getState().flags).toHaveLength(1);

    useAuditStore.getState().setForm({ action: 'stream.grant' });
    const older = useAuditStore.getState().search();
    const olderCalls = pending.splice(0);
    const newer = useAuditStore.getState().search();
    // The first range's counts and flags are gone, not shown as the new range's.
    expect(useAuditStore.getState()).toMatchObject({ counts: null, flags: [] });
    for (const p of olderCalls)
      p.answer(
        p.name === 'audit.entries'
          ? { entries: [entry(99)], next: null, scope: 'all' }
          : p.name === 'audit.counts'
            ? counts(99)
            : { flags: [flag, { ...flag, key: 'k2' }] },
      );
    await older;
    expect(useAuditStore.getState().entries.map((e) => e.id)).toEqual([1]);
    expect(useAuditStore.getState()).toMatchObject({ counts: null, flags: [], counting: true });

    take('audit.entries').answer({ entries: [entry(3)], next: null, scope: 'all' });
    take('audit.counts').answer(counts(3));
    take('audit.flags').answer({ flags: [] });
    await newer;
    expect(useAuditStore.getState().entries.map((e) => e.id)).toEqual([3]);
    expect(useAuditStore.getState()).toMatchObject({
      counts: { total: 3 },
      flags: [],
      counting: false,
      flagging: false,
    });
  });
});
