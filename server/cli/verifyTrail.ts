import { existsSync, readFileSync } from 'node:fs';
import type { ServerConfig } from '../config';
import type { Queryable } from '../store/store';
import { parseAnchor, readAnchorFile, type AuditAnchor } from '../audit/anchor';
import { loadAuditSigningKey, parseAuditPublicKey, type AuditPublicKey } from '../audit/signingKey';
import { verifyAuditChain, type ChainReport } from '../audit/trailVerifier';
import type { CommandIo, CommandOutcome } from './commandIo';

/**
 * The files `wf audit verify` is given, read where the command is typed: the check itself may run
 * in the server that holds the database (server/cli/storeCommands.ts), whose working folder is
 * not the caller's.
 */
export interface VerifyInputs {
  /** Anchor files saved earlier (`--anchor`), as text. */
  readonly anchors: readonly { readonly path: string; readonly text: string }[];
  /** Exported public keys checkpoints may be signed with (`--public-key`), as PEM. */
  readonly publicKeys: readonly { readonly path: string; readonly pem: string }[];
}

/** The verified head, for `--write-anchor` (written where the command was typed). */
export interface VerifiedHead {
  readonly id: number;
  readonly hash: string;
  readonly at: string;
}

export function readVerifyInputs(opts: {
  readonly anchors: readonly string[];
  readonly publicKeys: readonly string[];
}): VerifyInputs {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${what} ${path}: ${err instanceof Error ? err.message : err}`, {
        cause: err,
      });
    }
  };
  return {
    anchors: opts.anchors.map((path) => ({ path, text: read(path, 'anchor') })),
    publicKeys: opts.publicKeys.map((path) => ({ path, pem: read(path, 'public key') })),
  };
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
 * one the server keeps in its data dir. Exit 0 intact, 1 broken, 2 bad arguments; the result is
 * the verified head.
 */
export async function verifyTrail(
  inputs: VerifyInputs,
  config: Pick<ServerConfig, 'auditSigningKey' | 'auditAnchorFile'>,
  db: Queryable,
  io: CommandIo,
): Promise<CommandOutcome<VerifiedHead | null>> {
  const keys: AuditPublicKey[] = [];
  const anchors: AuditAnchor[] = [];
  try {
    const own = loadAuditSigningKey(config.auditSigningKey, { create: false });
    if (own) keys.push(own.key);
    for (const given of inputs.publicKeys) {
      const key = parseAuditPublicKey(given.pem, given.path);
      if (!keys.some((k) => k.keyId === key.keyId)) keys.push(key);
    }
    if (existsSync(config.auditAnchorFile)) {
      anchors.push({
        ...readAnchorFile(config.auditAnchorFile),
        source: `the server's anchor ${config.auditAnchorFile}`,
      });
    }
    for (const given of inputs.anchors) anchors.push(parseAnchor(given.text, given.path));
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return { code: 2, result: null };
  }

  const report = await verifyAuditChain(db, { keys, anchors });
  if (!report.ok) {
    io.err(
      `AUDIT CHAIN BROKEN after ${report.rowsChecked} good rows: ${report.firstBreak?.message}`,
    );
    return { code: 1, result: null };
  }
  io.out(`audit chain intact: ${report.rowsChecked} rows`);
  io.out(
    report.head
      ? `head: row ${report.head.id}, hash ${report.head.hash} (${report.head.at})`
      : 'head: none (the trail is empty)',
  );
  io.out(describeCheckpoints(report, keys));
  io.out(
    anchors.length === 0
      ? 'anchors: none checked (give --anchor FILE)'
      : `anchors held: ${anchors.map((a) => `${a.source} (row ${a.id})`).join('; ')}`,
  );
  const head = report.head
    ? { id: report.head.id, hash: report.head.hash, at: report.head.at }
    : null;
  return { code: 0, result: head };
}
