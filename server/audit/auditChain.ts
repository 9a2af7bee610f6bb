import { createHash } from 'node:crypto';
import type { Queryable } from '../store/store';

/** The hash that precedes the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Serialises changes: holding it, a transaction may append to the audit chain and event log. */
export const CHAIN_LOCK_KEY = 740_002;

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly outcome: AuditOutcome;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly outcome: AuditOutcome;
  readonly details: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * A canonical encoding: JSON with object keys sorted at every depth, so the same row always
 * hashes the same whatever order the database hands its jsonb keys back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const body = canonicalJson({
    id: row.id,
    at: row.at,
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    outcome: row.outcome,
    details: row.details,
    prevHash: row.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** The next audit row's id, its predecessor's id (null: none) and hash, in one round trip. */
export async function nextAuditLink(
  tx: Queryable,
): Promise<{ id: number; prevId: number | null; prevHash: string }> {
  const res = await tx.query<{ id: number; prev_id: number | null; prev: string | null }>(
    `select nextval(pg_get_serial_sequence('audit_log', 'id'))::bigint as id,
            h.id as prev_id, h.hash as prev
     from (select 1) one
     left join (select id, hash from audit_log order by id desc limit 1) h on true`,
  );
  const row = res.rows[0]!;
  return {
    id: Number(row.id),
    prevId: row.prev_id === null ? null : Number(row.prev_id),
    prevHash: row.prev ?? GENESIS_HASH,
  };
}

/** Builds the row that follows `link`, with its hash. */
export function buildAuditRow(
  link: { id: number; prevHash: string },
  at: Date,
  entry: AuditEntry,
): AuditRow {
  const row: Omit<AuditRow, 'hash'> = {
    id: link.id,
    at: at.toISOString(),
    actorId: entry.actorId,
    actorName: entry.actorName,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
    prevHash: link.prevHash,
  };
  return { ...row, hash: hashAuditRow(row) };
}

/** Column list and parameters that insert an audit row ($1..$11). */
export const AUDIT_INSERT_COLUMNS =
  'id, at, actor_id, actor_name, action, target_type, target_id, outcome, details, prev_hash, hash';

export function auditInsertParams(row: AuditRow): unknown[] {
  return [
    row.id,
    row.at,
    row.actorId,
    row.actorName,
    row.action,
    row.targetType,
    row.targetId,
    row.outcome,
    JSON.stringify(row.details),
    row.prevHash,
    row.hash,
  ];
}

export interface DbAuditRow {
  id: number;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

export function auditRowFromDb(r: DbAuditRow): AuditRow {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
