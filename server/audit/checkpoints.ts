import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { canonicalJson, type AuditRow } from './auditChain';
import {
  signAuditStatement,
  verifyAuditStatement,
  type AuditPublicKey,
  type AuditSigningKey,
} from './signingKey';

/** The audit action of a signed checkpoint row. */
export const CHECKPOINT_ACTION = 'audit.checkpoint';

export type CheckpointReason = 'start' | 'schedule' | 'stop';

/**
 * What a checkpoint signs: its own place in the trail (id, time) and the hash of the row before
 * it. That hash commits to every earlier row, so rewriting any of them, even with every plain
 * SHA-256 link recomputed, leaves a signature that no longer verifies; and without the private
 * key, which never enters the database, nobody can sign a new one.
 */
export function checkpointStatement(s: {
  readonly id: number;
  readonly at: string;
  readonly prevHash: string;
  readonly keyId: string;
  readonly reason: string;
}): string {
  return canonicalJson({
    type: 'watchfloor.audit.checkpoint',
    v: 1,
    id: s.id,
    at: s.at,
    prevHash: s.prevHash,
    keyId: s.keyId,
    reason: s.reason,
  });
}

/** Appends one signed checkpoint row to the trail (no event: consoles need not hear of it). */
export async function writeCheckpoint(
  ctx: Pick<ServerContext, 'record'>,
  key: AuditSigningKey,
  reason: CheckpointReason,
  /** Runs in the checkpoint's transaction, under the chain lock; throwing signs nothing. */
  check?: (tx: Queryable) => Promise<void>,
): Promise<AuditRow> {
  const { audit } = await ctx.record({
    apply: async ({ tx }) => {
      await check?.(tx);
    },
    audit: (_value, link) => {
      const at = link.at.toISOString();
      const statement = checkpointStatement({
        id: link.id,
        at,
        prevHash: link.prevHash,
        keyId: key.keyId,
        reason,
      });
      return {
        actorId: null,
        actorName: 'system',
        action: CHECKPOINT_ACTION,
        targetType: 'audit_log',
        targetId: null,
        outcome: 'success',
        details: { reason, keyId: key.keyId, signature: signAuditStatement(key, statement) },
      };
    },
    event: null,
  });
  return audit;
}

/**
 * Checks one checkpoint row against the trusted keys; returns why it fails, or null. A row
 * that calls itself a checkpoint but carries no valid signature is a forgery.
 */
export function checkpointProblem(row: AuditRow, keys: readonly AuditPublicKey[]): string | null {
  const { keyId, signature, reason } = row.details;
  if (typeof keyId !== 'string' || typeof signature !== 'string' || typeof reason !== 'string') {
    return `checkpoint row ${row.id} carries no signature`;
  }
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) {
    return `checkpoint row ${row.id} is signed by key ${keyId}, which is not a trusted key`;
  }
  const statement = checkpointStatement({
    id: row.id,
    at: row.at,
    prevHash: row.prevHash,
    keyId,
    reason,
  });
  return verifyAuditStatement(key, statement, signature)
    ? null
    : `checkpoint row ${row.id} has a signature that does not verify: it or a row before it was rewritten, or the checkpoint was forged`;
}
