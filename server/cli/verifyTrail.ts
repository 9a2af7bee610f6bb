import { existsSync } from 'node:fs';
import { readServerConfig } from '../config';
import type { Queryable } from '../store/store';
import { readAnchorFile, writeAnchorFile, type AuditAnchor } from '../audit/anchor';
import { loadAuditSigningKey, readAuditPublicKey, type AuditPublicKey } from '../audit/signingKey';
import { verifyAuditChain, type ChainReport } from '../audit/trailVerifier';

type Out = (line: string) => void;

export interface VerifyTrailOptions {
  /** Anchor files saved earlier (`--anchor`). */
  readonly anchors: readonly string[];
  /** Exported public keys checkpoints may be signed with (`--public-key`). */
  readonly publicKeys: readonly string[];
  /** Where to save the verified head (`--write-anchor`). */
  readonly writeAnchor?: string | undefined;
}

function describeCheckpoints(report: ChainReport, keys: readonly AuditPublicKey[]): string {
  const c = report.checkpoints;
  if (c.count === 0) return 'signed checkpoints: none';
  const checked = c.verified
    ? `all signatures hold (key ${keys.map((k) => k.keyId).join(', ')})`
    : 'signatures NOT checked: no public key here (give --public-key FILE)';
  const newest = c.newest ? `; newest is row ${c.newest.id} (${c.newest.at})` : '';
  return `signed checkpoints: ${c.count}, ${checked}${newest}, ${c.rowsAfterNewest} rows after it`;
}

/**
 * `wf audit verify`: the chain, the checkpoints' signatures (with the server's key when this
 * machine holds it, and any exported public key given), and every anchor: those given and the
 * one the server keeps in its data dir. Exit 0 intact, 1 broken, 2 bad arguments.
 */
export async function verifyTrail(
  opts: VerifyTrailOptions,
  withStore: <T>(fn: (db: Queryable) => Promise<T>) => Promise<T>,
  out: Out,
  err: Out,
): Promise<number> {
  const config = readServerConfig();
  const keys: AuditPublicKey[] = [];
  const anchors: AuditAnchor[] = [];
  try {
    const own = loadAuditSigningKey(config.auditSigningKey, { create: false });
    if (own) keys.push(own.key);
    for (const file of opts.publicKeys) {
      const key = readAuditPublicKey(file);
      if (!keys.some((k) => k.keyId === key.keyId)) keys.push(key);
    }
    if (existsSync(config.auditAnchorFile)) {
      anchors.push({
        ...readAnchorFile(config.auditAnchorFile),
        source: `the server's anchor ${config.auditAnchorFile}`,
      });
    }
    for (const file of opts.anchors) anchors.push(readAnchorFile(file));
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }

  const report = await withStore((db) => verifyAuditChain(db, { keys, anchors }));
  if (!report.ok) {
    err(`AUDIT CHAIN BROKEN after ${report.rowsChecked} good rows: ${report.firstBreak?.message}`);
    return 1;
  }
  out(`audit chain intact: ${report.rowsChecked} rows`);
  out(
    report.head
      ? `head: row ${report.head.id}, hash ${report.head.hash} (${report.head.at})`
      : 'head: none (the trail is empty)',
  );
  out(describeCheckpoints(report, keys));
  out(
    anchors.length === 0
      ? 'anchors: none checked (give --anchor FILE)'
      : `anchors held: ${anchors.map((a) => `${a.source} (row ${a.id})`).join('; ')}`,
  );
  if (opts.writeAnchor) {
    if (!report.head) {
      err('nothing to anchor: the trail is empty');
      return 1;
    }
    writeAnchorFile(opts.writeAnchor, report.head, new Date());
    out(`anchor written to ${opts.writeAnchor} (row ${report.head.id})`);
  }
  return 0;
}
