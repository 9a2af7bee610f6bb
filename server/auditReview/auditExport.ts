import { createHash } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { canonicalJson } from '../audit/auditChain';
import { HttpError } from '../http/errorHandler';
import {
  loadEvidenceKey,
  publicKeyFromPem,
  signEvidence,
  verifyEvidenceSignature,
} from '../evidence/evidenceKey';
import type { AuditEntry, AuditExport, ExportSignature } from '../../shared/api/auditReview';
import { entriesInOrder, type ResolvedFilters } from './auditReviewRepository';
import type { ReaderScope } from './auditScope';
import { lastGoodCheck, walkChain } from './chainHealth';

/** The action an export is audited under. */
export const EXPORT_ACTION = 'audit.export';

/** An export holds at most this many entries: a larger range is cut into several. */
export const MAX_EXPORT_ROWS = 200_000;

const HEADER = [
  'id',
  'at',
  'actor_id',
  'actor_name',
  'action',
  'outcome',
  'target_type',
  'target_id',
  'target_name',
  'reason_code',
  'reason_reference',
  'reason_note',
  'details',
  'hash',
];

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would take for a formula (=, +, -, @ first) is
 * prefixed with ' so that it stays text, as the metrics export does.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(e: AuditEntry): string {
  return [
    e.id,
    e.at,
    e.actorId,
    e.actorName,
    e.action,
    e.outcome,
    e.target?.type ?? null,
    e.target?.id ?? null,
    e.target?.label ?? null,
    e.reason?.code ?? null,
    e.reason?.reference ?? null,
    e.reason?.note ?? null,
    canonicalJson(e.details),
    e.hash,
  ]
    .map(csvCell)
    .join(',');
}

/** What the signature covers: every field of the signature file but the signature itself. */
export function exportStatement(s: Omit<ExportSignature, 'signature'>): string {
  return canonicalJson(s);
}

/**
 * Checks an export with nothing but its two files: the CSV's SHA-256 against the signature
 * file, and the signature against the public key in it (or the one given, the agency's
 * published evidence key). Returns what is wrong, or null.
 */
export function exportProblem(
  csv: Buffer | string,
  signature: ExportSignature,
  trustedKeyPem?: string,
): string | null {
  const bytes = typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv;
  if (createHash('sha256').update(bytes).digest('hex') !== signature.sha256) {
    return 'the CSV is not the one signed (its SHA-256 differs)';
  }
  const { signature: sig, ...statement } = signature;
  const key = publicKeyFromPem(trustedKeyPem ?? signature.publicKeyPem);
  if (trustedKeyPem && key.fingerprint !== signature.keyFingerprint) {
    return `signed by key ${signature.keyFingerprint}, not by the key given (${key.fingerprint})`;
  }
  return verifyEvidenceSignature(key, Buffer.from(exportStatement(statement), 'utf8'), sig)
    ? null
    : 'the signature does not verify: the signature file was altered';
}

const stamp = (iso: string) => iso.replace(/[:]/g, '').replace(/\.\d{3}/, '');

/** The filters as the signature records them: strings, only those given. */
function filtersOf(f: ResolvedFilters, scope: ReaderScope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    out[k] = k === 'from' || k === 'to' ? new Date(v as number).toISOString() : String(v);
  }
  if (scope.scope === 'own_shifts') out.scope = 'own shifts';
  return out;
}

/**
 * The filtered range as CSV, signed. The chain is verified first, from the newest verification
 * (when it passed; else from the beginning) up to its head now, and the export holds only
 * entries at or before that head: the signature file says where, so anyone can check the rows
 * against the chain there. A chain that does not verify gets no signature (409).
 */
export async function exportRange(
  ctx: ServerContext,
  actor: Actor,
  f: ResolvedFilters,
  scope: ReaderScope,
): Promise<AuditExport> {
  const from = await lastGoodCheck(ctx.store);
  const walked = await walkChain(ctx, from ?? undefined);
  if (!walked.ok) {
    throw new HttpError(
      409,
      `The audit chain does not verify (${walked.firstBreak?.message ?? 'unknown'}): no export is signed over it.`,
    );
  }
  const head = walked.head;
  const lines = [HEADER.join(',')];
  let rows = 0;
  for await (const page of entriesInOrder(ctx.store, f, scope, head?.id ?? 0)) {
    for (const e of page) lines.push(csvLine(e));
    rows += page.length;
    if (rows > MAX_EXPORT_ROWS) {
      throw new HttpError(
        409,
        `The range holds more than ${MAX_EXPORT_ROWS} entries: export it in shorter ranges.`,
      );
    }
  }
  const csv = `${lines.join('\r\n')}\r\n`;
  const key = loadEvidenceKey(ctx.config.evidenceSigningKey);
  const exportedAt = new Date(ctx.clock.now()).toISOString();
  const filename = `audit-${stamp(new Date(f.from).toISOString())}-${stamp(new Date(f.to).toISOString())}.csv`;
  const statement: Omit<ExportSignature, 'signature'> = {
    format: 'watchfloor.audit.export/1',
    file: filename,
    sha256: createHash('sha256').update(csv, 'utf8').digest('hex'),
    rows,
    filters: filtersOf(f, scope),
    chain: { lastId: head?.id ?? null, hash: head?.hash ?? null },
    exportedAt,
    exportedBy: actor.name,
    keyFingerprint: key.fingerprint,
    publicKeyPem: key.publicKeyPem,
  };
  const signature: ExportSignature = {
    ...statement,
    signature: signEvidence(key, Buffer.from(exportStatement(statement), 'utf8')),
  };
  await ctx.record({
    audit: auditBy(actor, {
      action: EXPORT_ACTION,
      targetType: 'audit_log',
      targetId: head ? String(head.id) : null,
      outcome: 'success',
      details: {
        filters: statement.filters,
        rows,
        sha256: statement.sha256,
        chain: statement.chain,
      },
    }),
    event: null,
  });
  return { filename, csv, signatureFilename: `${filename}.sig.json`, signature };
}
