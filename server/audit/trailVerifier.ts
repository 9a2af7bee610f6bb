import type { Queryable } from '../store/store';
import type { AuditAnchor } from './anchor';
import { auditRowFromDb, GENESIS_HASH, hashAuditRow, type DbAuditRow } from './auditChain';
import { CHECKPOINT_ACTION, checkpointProblem } from './checkpoints';
import type { AuditPublicKey } from './signingKey';

export type ChainBreak =
  | { readonly kind: 'edited'; readonly id: number; readonly message: string }
  | { readonly kind: 'deleted'; readonly afterId: number | null; readonly message: string }
  | { readonly kind: 'checkpoint'; readonly id: number; readonly message: string }
  | { readonly kind: 'anchor'; readonly id: number; readonly message: string };

export interface TrailHead {
  readonly id: number;
  readonly hash: string;
  readonly at: string;
}

export interface CheckpointSummary {
  readonly count: number;
  /** False when no public key was at hand: checkpoints were counted, not checked. */
  readonly verified: boolean;
  readonly newest: { readonly id: number; readonly at: string; readonly keyId: string } | null;
  /** Rows after the newest checkpoint: the part of the trail no signature covers yet. */
  readonly rowsAfterNewest: number;
}

export interface ChainReport {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly lastId: number | null;
  /** The newest row that verified: what an anchor saves. */
  readonly head: TrailHead | null;
  readonly checkpoints: CheckpointSummary;
  readonly anchorsChecked: number;
  readonly firstBreak: ChainBreak | null;
}

export interface VerifyOptions {
  readonly pageSize?: number;
  /** Keys checkpoints must be signed with; none given: checkpoints are counted, not checked. */
  readonly keys?: readonly AuditPublicKey[];
  /** Rows the trail must still hold with these hashes. */
  readonly anchors?: readonly AuditAnchor[];
  /** A row already known good: the walk starts after it instead of at the beginning. */
  readonly from?: AuditAnchor;
}

function missingAnchor(anchor: AuditAnchor, lastId: number | null): ChainBreak {
  const message =
    lastId === null || anchor.id > lastId
      ? `the trail ends at ${lastId === null ? 'no row at all' : `row ${lastId}`} but ${anchor.source} holds row ${anchor.id}: rows were deleted from its end or the table was truncated`
      : `row ${anchor.id}, which ${anchor.source} holds, is missing from the trail`;
  return { kind: 'anchor', id: anchor.id, message };
}

function differentAnchor(anchor: AuditAnchor): ChainBreak {
  return {
    kind: 'anchor',
    id: anchor.id,
    message: `row ${anchor.id} differs from ${anchor.source}: the trail was rewritten`,
  };
}

/**
 * Walks the chain in id order, in pages. A row whose own hash does not match its content was
 * edited; a row whose prev_hash does not match its predecessor's hash means rows between were
 * deleted (or the predecessor's hash was rewritten, which the first check reports first). A
 * checkpoint whose signature fails means rows before it were rewritten and re-hashed, or the
 * checkpoint is forged. An anchor the trail no longer holds means its end was cut off.
 */
export async function verifyAuditChain(
  db: Queryable,
  opts: VerifyOptions = {},
): Promise<ChainReport> {
  const pageSize = opts.pageSize ?? 2000;
  const keys = opts.keys ?? [];
  const anchors = [...(opts.anchors ?? []), ...(opts.from ? [opts.from] : [])];
  let prevHash = opts.from?.hash ?? GENESIS_HASH;
  let prevId: number | null = opts.from?.id ?? null;
  let head: TrailHead | null = null;
  let checked = 0;
  let checkpointCount = 0;
  let newest: CheckpointSummary['newest'] = null;
  let rowsAfterNewest = 0;
  const report = (firstBreak: ChainBreak | null): ChainReport => ({
    ok: firstBreak === null,
    rowsChecked: checked,
    lastId: prevId,
    head,
    checkpoints: { count: checkpointCount, verified: keys.length > 0, newest, rowsAfterNewest },
    anchorsChecked: anchors.length,
    firstBreak,
  });

  // Anchors at or before the starting row are not walked over: look them up.
  const startId = opts.from?.id ?? 0;
  for (const anchor of anchors.filter((a) => a.id <= startId)) {
    const res = await db.query<{
      hash: string | null;
      at: Date | string | null;
      max: number | null;
    }>(
      `select a.hash, a.at, (select max(id) from audit_log) as max
       from (select 1) one left join audit_log a on a.id = $1`,
      [anchor.id],
    );
    // Always one row: the left join answers nulls when the anchor's row is gone.
    const row = res.rows[0]!;
    if (row.hash === null) {
      return report(missingAnchor(anchor, row.max === null ? null : Number(row.max)));
    }
    if (row.hash !== anchor.hash) return report(differentAnchor(anchor));
    if (anchor === opts.from)
      head = { id: anchor.id, hash: anchor.hash, at: new Date(row.at!).toISOString() };
  }
  const ahead = anchors.filter((a) => a.id > startId);
  const seen = new Set<AuditAnchor>();

  for (;;) {
    const page = await db.query<DbAuditRow>(
      'select * from audit_log where id > $1 order by id limit $2',
      [prevId ?? 0, pageSize],
    );
    for (const raw of page.rows) {
      const row = auditRowFromDb(raw);
      const { hash, ...rest } = row;
      if (hashAuditRow(rest) !== hash) {
        return report({
          kind: 'edited',
          id: row.id,
          message: `audit row ${row.id} was altered after it was written (its hash does not match its content)`,
        });
      }
      if (row.prevHash !== prevHash) {
        return report({
          kind: 'deleted',
          afterId: prevId,
          message:
            prevId === null
              ? `audit rows before row ${row.id} are missing (the chain does not start at the beginning)`
              : `audit rows between ${prevId} and ${row.id} are missing (row ${row.id} does not follow row ${prevId})`,
        });
      }
      for (const anchor of ahead) {
        if (anchor.id !== row.id) continue;
        if (anchor.hash !== hash) return report(differentAnchor(anchor));
        seen.add(anchor);
      }
      if (row.action === CHECKPOINT_ACTION) {
        if (keys.length > 0) {
          const problem = checkpointProblem(row, keys);
          if (problem) return report({ kind: 'checkpoint', id: row.id, message: problem });
        }
        checkpointCount += 1;
        newest = { id: row.id, at: row.at, keyId: String(row.details.keyId) };
        rowsAfterNewest = 0;
      } else {
        rowsAfterNewest += 1;
      }
      prevHash = hash;
      prevId = row.id;
      head = { id: row.id, hash, at: row.at };
      checked += 1;
    }
    if (page.rows.length < pageSize) break;
  }
  const unseen = ahead.find((a) => !seen.has(a));
  return report(unseen ? missingAnchor(unseen, prevId) : null);
}
