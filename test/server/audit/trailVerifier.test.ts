import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAuditRow,
  GENESIS_HASH,
  hashAuditRow,
  type AuditRow,
} from '../../../server/audit/auditChain';
import type { AuditAnchor } from '../../../server/audit/anchor';
import { CHECKPOINT_ACTION, checkpointStatement } from '../../../server/audit/checkpoints';
import {
  auditKeyId,
  signAuditStatement,
  type AuditSigningKey,
} from '../../../server/audit/signingKey';
import { verifyAuditChain } from '../../../server/audit/trailVerifier';
import { openTestStore, STORE_KINDS, type TestStore } from '../../support/stores';
import { replaceTrail } from './support/ownerTrail';

const START = Date.parse('2026-03-01T08:00:00Z');

function signingKey(): AuditSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: auditKeyId(publicKey),
    publicKey,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Trails written straight into audit_log, row by row as the server links them, then altered the
 * ways docs/decisions/0004-audit-hash-chain.md names: a row edited, rows deleted, the end cut
 * off, a checkpoint signed by a key nobody trusts. The verifier must name the first break
 * exactly, and report what it walked over.
 */
describe.each(STORE_KINDS)('the trail verifier on %s', (kind) => {
  let store: TestStore;
  const key = signingKey();

  /** Rows 1..n linked from the genesis hash; `checkpointAt` rows are signed checkpoints. */
  function chain(n: number, checkpointAt: readonly number[] = [], signer = key): AuditRow[] {
    const rows: AuditRow[] = [];
    let prevHash = GENESIS_HASH;
    for (let id = 1; id <= n; id += 1) {
      const at = new Date(START + id * 1000);
      const link = { id, prevHash };
      const row = checkpointAt.includes(id)
        ? buildAuditRow(link, at, {
            actorId: null,
            actorName: 'system',
            action: CHECKPOINT_ACTION,
            targetType: 'audit_log',
            outcome: 'success',
            details: {
              reason: 'schedule',
              keyId: signer.keyId,
              signature: signAuditStatement(
                signer,
                checkpointStatement({
                  id,
                  at: at.toISOString(),
                  prevHash,
                  keyId: signer.keyId,
                  reason: 'schedule',
                }),
              ),
            },
          })
        : buildAuditRow(link, at, {
            actorId: 'u1',
            actorName: 'analyst1',
            action: 'camera.view',
            targetType: 'camera',
            targetId: `cam-${id}`,
            outcome: 'success',
            details: { n: id },
          });
      rows.push(row);
      prevHash = row.hash;
    }
    return rows;
  }

  /** A row's content changed and its hash recomputed, so only the next link shows it. */
  function rehashed(row: AuditRow, change: Partial<AuditRow>): AuditRow {
    const { hash: _old, ...rest } = { ...row, ...change };
    return { ...rest, hash: hashAuditRow(rest) };
  }

  /** Replaces the whole trail, as the database owner can. */
  const trail = (rows: readonly AuditRow[]) => replaceTrail(store.store, rows);

  const headOf = (row: AuditRow) => ({ id: row.id, hash: row.hash, at: row.at });
  const anchorOf = (row: AuditRow, source = 'anchor head.json'): AuditAnchor => ({
    id: row.id,
    hash: row.hash,
    source,
  });
  const noCheckpoints = (rows: number) => ({
    count: 0,
    verified: false,
    newest: null,
    rowsAfterNewest: rows,
  });

  beforeAll(async () => {
    store = await openTestStore(kind);
  }, 60_000);
  afterAll(async () => {
    await store?.dispose();
  });

  it('walks an intact trail page by page to its end, whatever the page size', async () => {
    const rows = chain(7);
    await trail(rows);
    for (const pageSize of [1, 3, 7, 2000]) {
      expect(await verifyAuditChain(store.store, { pageSize }), `pages of ${pageSize}`).toEqual({
        ok: true,
        rowsChecked: 7,
        lastId: 7,
        head: headOf(rows[6]!),
        checkpoints: noCheckpoints(7),
        anchorsChecked: 0,
        firstBreak: null,
      });
    }
  });

  it('finds an empty trail intact, with no head', async () => {
    await trail([]);
    expect(await verifyAuditChain(store.store)).toEqual({
      ok: true,
      rowsChecked: 0,
      lastId: null,
      head: null,
      checkpoints: noCheckpoints(0),
      anchorsChecked: 0,
      firstBreak: null,
    });
  });

  it('names an edited row, having walked only the rows before it', async () => {
    const rows = chain(6);
    rows[3] = { ...rows[3]!, actorName: 'someone else' };
    await trail(rows);
    expect(await verifyAuditChain(store.store, { pageSize: 2 })).toEqual({
      ok: false,
      rowsChecked: 3,
      lastId: 3,
      head: headOf(rows[2]!),
      checkpoints: noCheckpoints(3),
      anchorsChecked: 0,
      firstBreak: {
        kind: 'edited',
        id: 4,
        message:
          'audit row 4 was altered after it was written (its hash does not match its content)',
      },
    });
  });

  it('names rows deleted between two others, and from the beginning', async () => {
    const rows = chain(6);
    await trail(rows.filter((r) => r.id !== 3 && r.id !== 4));
    expect(await verifyAuditChain(store.store, { pageSize: 2 })).toMatchObject({
      ok: false,
      rowsChecked: 2,
      lastId: 2,
      head: headOf(rows[1]!),
      firstBreak: {
        kind: 'deleted',
        afterId: 2,
        message: 'audit rows between 2 and 5 are missing (row 5 does not follow row 2)',
      },
    });

    await trail(rows.slice(2));
    expect(await verifyAuditChain(store.store)).toMatchObject({
      ok: false,
      rowsChecked: 0,
      lastId: null,
      head: null,
      firstBreak: {
        kind: 'deleted',
        afterId: null,
        message: 'audit rows before row 3 are missing (the chain does not start at the beginning)',
      },
    });
  });

  it('names a row rewritten with its own hash recomputed at the row after it', async () => {
    const rows = chain(4);
    rows[1] = rehashed(rows[1]!, { outcome: 'denied' });
    await trail(rows);
    expect(await verifyAuditChain(store.store)).toMatchObject({
      ok: false,
      rowsChecked: 2,
      lastId: 2,
      firstBreak: { kind: 'deleted', afterId: 2 },
    });
  });

  it('checks checkpoints against the trusted keys and reports the newest, and what follows it', async () => {
    const rows = chain(8, [3, 6]);
    await trail(rows);
    const checked = await verifyAuditChain(store.store, { keys: [key], pageSize: 3 });
    expect(checked).toEqual({
      ok: true,
      rowsChecked: 8,
      lastId: 8,
      head: headOf(rows[7]!),
      checkpoints: {
        count: 2,
        verified: true,
        newest: { id: 6, at: rows[5]!.at, keyId: key.keyId },
        rowsAfterNewest: 2,
      },
      anchorsChecked: 0,
      firstBreak: null,
    });
    // Without a key they are counted, not checked.
    expect((await verifyAuditChain(store.store)).checkpoints).toEqual({
      ...checked.checkpoints,
      verified: false,
    });

    // The newest row a checkpoint itself.
    await trail(chain(6, [3, 6]));
    expect((await verifyAuditChain(store.store, { keys: [key] })).checkpoints).toMatchObject({
      count: 2,
      newest: { id: 6 },
      rowsAfterNewest: 0,
    });
  });

  it('names a checkpoint signed by a key it does not trust, only when given keys', async () => {
    const rows = chain(5, [2, 4], signingKey());
    await trail(rows);
    const report = await verifyAuditChain(store.store, { keys: [key] });
    expect(report).toMatchObject({
      ok: false,
      rowsChecked: 1,
      lastId: 1,
      checkpoints: { count: 0, verified: true, newest: null, rowsAfterNewest: 1 },
      firstBreak: { kind: 'checkpoint', id: 2 },
    });
    expect(report.firstBreak?.message).toMatch(
      /^checkpoint row 2 is signed by key .+, which is not a trusted key$/,
    );
    expect(await verifyAuditChain(store.store)).toMatchObject({
      ok: true,
      checkpoints: { count: 2, verified: false, newest: { id: 4 }, rowsAfterNewest: 1 },
    });
  });

  it('holds the trail to anchors along it: there, rewritten, or cut off', async () => {
    const rows = chain(6);
    await trail(rows);
    const kept = await verifyAuditChain(store.store, {
      anchors: [anchorOf(rows[1]!), anchorOf(rows[4]!, "this server's last checkpoint")],
      pageSize: 4,
    });
    expect(kept).toMatchObject({ ok: true, rowsChecked: 6, anchorsChecked: 2, firstBreak: null });

    const otherHash = { ...anchorOf(rows[3]!), hash: rows[2]!.hash };
    expect(await verifyAuditChain(store.store, { anchors: [otherHash] })).toMatchObject({
      ok: false,
      rowsChecked: 3,
      anchorsChecked: 1,
      firstBreak: {
        kind: 'anchor',
        id: 4,
        message: 'row 4 differs from anchor head.json: the trail was rewritten',
      },
    });

    // The end cut off: the walk finds every row intact, and the anchor's row gone.
    await trail(rows.slice(0, 4));
    expect(await verifyAuditChain(store.store, { anchors: [anchorOf(rows[5]!)] })).toEqual({
      ok: false,
      rowsChecked: 4,
      lastId: 4,
      head: headOf(rows[3]!),
      checkpoints: noCheckpoints(4),
      anchorsChecked: 1,
      firstBreak: {
        kind: 'anchor',
        id: 6,
        message:
          'the trail ends at row 4 but anchor head.json holds row 6: rows were deleted from its end or the table was truncated',
      },
    });
    await trail([]);
    expect(
      (await verifyAuditChain(store.store, { anchors: [anchorOf(rows[5]!)] })).firstBreak,
    ).toEqual({
      kind: 'anchor',
      id: 6,
      message:
        'the trail ends at no row at all but anchor head.json holds row 6: rows were deleted from its end or the table was truncated',
    });
  });

  it('names an anchored row missing from the middle of a trail rewritten around it', async () => {
    const rows = chain(5);
    // Row 3 dropped and the rows after it relinked, so the plain chain holds.
    const four = rehashed(rows[3]!, { prevHash: rows[1]!.hash });
    const five = rehashed(rows[4]!, { prevHash: four.hash });
    await trail([rows[0]!, rows[1]!, four, five]);
    expect(await verifyAuditChain(store.store)).toMatchObject({ ok: true, rowsChecked: 4 });
    expect(
      (await verifyAuditChain(store.store, { anchors: [anchorOf(rows[2]!)] })).firstBreak,
    ).toEqual({
      kind: 'anchor',
      id: 3,
      message: 'row 3, which anchor head.json holds, is missing from the trail',
    });
  });

  it('starts after a row known good, checking it and the anchors before it where they are', async () => {
    const rows = chain(7, [5]);
    await trail(rows);
    const from = anchorOf(rows[2]!, 'the last verified row');
    expect(await verifyAuditChain(store.store, { from, keys: [key], pageSize: 2 })).toEqual({
      ok: true,
      rowsChecked: 4,
      lastId: 7,
      head: headOf(rows[6]!),
      checkpoints: {
        count: 1,
        verified: true,
        newest: { id: 5, at: rows[4]!.at, keyId: key.keyId },
        rowsAfterNewest: 2,
      },
      anchorsChecked: 1,
      firstBreak: null,
    });

    // Nothing after it: the head is the row it started from.
    const last = anchorOf(rows[6]!, 'the last verified row');
    expect(await verifyAuditChain(store.store, { from: last })).toMatchObject({
      ok: true,
      rowsChecked: 0,
      lastId: 7,
      head: headOf(rows[6]!),
    });

    // An anchor before the start, looked up rather than walked over.
    const anchors = [anchorOf(rows[1]!)];
    expect(await verifyAuditChain(store.store, { from, anchors })).toMatchObject({
      ok: true,
      rowsChecked: 4,
      anchorsChecked: 2,
    });
    const rewritten = [{ ...anchorOf(rows[1]!), hash: rows[0]!.hash }];
    expect(await verifyAuditChain(store.store, { from, anchors: rewritten })).toMatchObject({
      ok: false,
      rowsChecked: 0,
      head: null,
      firstBreak: {
        kind: 'anchor',
        id: 2,
        message: 'row 2 differs from anchor head.json: the trail was rewritten',
      },
    });
    // The starting row rewritten: the anchor looked up before it is no head.
    expect(
      await verifyAuditChain(store.store, {
        from: { ...from, hash: rows[1]!.hash },
        anchors: [anchorOf(rows[0]!)],
      }),
    ).toMatchObject({
      ok: false,
      head: null,
      firstBreak: {
        kind: 'anchor',
        id: 3,
        message: 'row 3 differs from the last verified row: the trail was rewritten',
      },
    });
  });

  it('names the starting row missing when the trail no longer holds it', async () => {
    const rows = chain(4);
    await trail(rows.slice(0, 2));
    const from = anchorOf(rows[3]!, 'the last verified row');
    expect(await verifyAuditChain(store.store, { from })).toEqual({
      ok: false,
      rowsChecked: 0,
      lastId: 4,
      head: null,
      checkpoints: noCheckpoints(0),
      anchorsChecked: 1,
      firstBreak: {
        kind: 'anchor',
        id: 4,
        message:
          'the trail ends at row 2 but the last verified row holds row 4: rows were deleted from its end or the table was truncated',
      },
    });
    await trail([]);
    expect((await verifyAuditChain(store.store, { from })).firstBreak?.message).toBe(
      'the trail ends at no row at all but the last verified row holds row 4: rows were deleted from its end or the table was truncated',
    );
    // A row gone from the middle of what is left.
    await trail([rows[0]!, rows[2]!, rows[3]!]);
    expect(
      (await verifyAuditChain(store.store, { from: anchorOf(rows[1]!, 'the last verified row') }))
        .firstBreak?.message,
    ).toBe('row 2, which the last verified row holds, is missing from the trail');
  });
});
