import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertParams,
  auditRowFromDb,
  buildAuditRow,
  canonicalJson,
  GENESIS_HASH,
  hashAuditRow,
  nextAuditLink,
} from '../../../server/audit/auditChain';
import { openTestStore, type TestStore } from '../../support/stores';

/**
 * The encoding a row's hash covers is a promise to anyone who checks a trail with their own
 * tools, and to every trail already written: it is pinned here byte for byte.
 */
describe('audit row encoding', () => {
  it('writes JSON with keys sorted at every depth, arrays in order, undefined left out', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: [true, null] }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":[true,null],"d":1}]}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('hashes a row as SHA-256 of that encoding, with every column in it', () => {
    const row = {
      id: 7,
      at: '2026-11-29T14:00:00.000Z',
      actorId: 'u1',
      actorName: 'Analyst Ada',
      action: 'camera.viewed',
      targetType: 'camera',
      targetId: 'cam-17',
      outcome: 'denied' as const,
      details: { reason: { code: 'active_incident' }, tiles: [2, 1] },
      prevHash: GENESIS_HASH,
    };
    const text =
      '{"action":"camera.viewed","actorId":"u1","actorName":"Analyst Ada",' +
      '"at":"2026-11-29T14:00:00.000Z","details":{"reason":{"code":"active_incident"},"tiles":[2,1]},' +
      `"id":7,"outcome":"denied","prevHash":"${'0'.repeat(64)}","targetId":"cam-17","targetType":"camera"}`;
    expect(hashAuditRow(row)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('starts every trail from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('reads details the driver hands back as text or as an object alike', () => {
    const db = {
      id: 3,
      at: new Date('2026-11-29T14:00:00Z'),
      actor_id: null,
      actor_name: null,
      action: 'a',
      target_type: null,
      target_id: null,
      outcome: 'success' as const,
      prev_hash: GENESIS_HASH,
      hash: 'h',
    };
    const asText = auditRowFromDb({ ...db, details: '{"k":[1,2]}' });
    const asObject = auditRowFromDb({ ...db, details: { k: [1, 2] } });
    expect(asText.details).toEqual({ k: [1, 2] });
    expect(asText).toEqual(asObject);
    expect(asText.at).toBe('2026-11-29T14:00:00.000Z');
  });
});

describe('the next link of the chain', () => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore('pglite');
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('has no predecessor on an empty trail, then the last row', async () => {
    const rows = await db.store.query<{ n: number }>('select count(*)::int as n from audit_log');
    expect(Number(rows.rows[0]!.n)).toBe(0);
    const first = await nextAuditLink(db.store);
    expect(first.prevId).toBeNull();
    expect(first.prevHash).toBe(GENESIS_HASH);
    const row = buildAuditRow(first, new Date(), {
      actorId: null,
      actorName: null,
      action: 'test.first',
      outcome: 'success',
    });
    await db.store.query(
      `insert into audit_log (${AUDIT_INSERT_COLUMNS})
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      auditInsertParams(row),
    );
    const second = await nextAuditLink(db.store);
    expect(second.prevId).toBe(row.id);
    expect(second.prevHash).toBe(row.hash);
    expect(second.id).toBeGreaterThan(row.id);
  });
});
