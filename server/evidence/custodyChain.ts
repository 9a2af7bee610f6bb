import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../audit/auditChain';
import type { CustodyEntry } from '../../shared/api/evidence';

export { GENESIS_HASH };

/**
 * A case's chain of custody: each entry's hash covers its content and its predecessor's hash
 * (canonical JSON, SHA-256), so an entry edited, removed or put out of order breaks the chain at
 * that entry. The same function hashes the rows in the database and the lines of a package's
 * custody.jsonl, so a package is checked with nothing but itself.
 */
export function hashCustodyEntry(entry: Omit<CustodyEntry, 'hash'>): string {
  const body = canonicalJson({
    caseNumber: entry.caseNumber,
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    fileId: entry.fileId,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** The first entry (1-based) whose sequence, link or hash is wrong, with what is wrong; or null. */
export function findCustodyBreak(
  entries: readonly CustodyEntry[],
): { readonly entry: number; readonly problem: string } | null {
  let prev = GENESIS_HASH;
  for (const [i, e] of entries.entries()) {
    const n = i + 1;
    if (e.seq !== n) {
      return { entry: n, problem: `is numbered ${e.seq}: an entry before it is missing or moved` };
    }
    if (e.prevHash !== prev) {
      return { entry: n, problem: 'does not follow the entry before it (its link is broken)' };
    }
    if (hashCustodyEntry(e) !== e.hash) {
      return { entry: n, problem: 'was changed after it was written (its hash does not match)' };
    }
    prev = e.hash;
  }
  return null;
}
