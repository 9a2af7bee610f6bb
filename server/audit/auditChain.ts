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

/** The next audit row's id and its predecessor's hash, read in one round trip. */
export async function nextAuditLink(tx: Queryable): Promise<{ id: number; prevHash: string }> {
  const res = await tx.query<{ id: number; prev: string | null }>(
    `select nextval(pg_get_serial_sequence('audit_log', 'id'))::bigint as id,
            (select hash from audit_log order by id desc limit 1) as prev`,
  );
  const row = res.rows[0]!;
  return { id: Number(row.id), prevHash: row.prev ?? GENESIS_HASH };
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

interface DbAuditRow {
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

export type ChainBreak =
  | { readonly kind: 'edited'; readonly id: number; readonly message: string }
  | { readonly kind: 'deleted'; readonly afterId: number | null; readonly message: string };

export interface ChainReport {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly lastId: number | null;
  readonly firstBreak: ChainBreak | null;
}

/**
 * Walks the chain in id order, in pages. A row whose own hash does not match its content was
 * edited; a row whose prev_hash does not match its predecessor's hash means rows between were
 * deleted (or the predecessor's hash was rewritten, which the first check reports first).
 */
export async function verifyAuditChain(db: Queryable, pageSize = 2000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let prevId: number | null = null;
  let checked = 0;
  for (;;) {
    const page = await db.query<DbAuditRow>(
      'select * from audit_log where id > $1 order by id limit $2',
      [prevId ?? 0, pageSize],
    );
    for (const raw of page.rows) {
      const row = auditRowFromDb(raw);
      const { hash, ...rest } = row;
      if (hashAuditRow(rest) !== hash) {
        return {
          ok: false,
          rowsChecked: checked,
          lastId: prevId,
          firstBreak: {
            kind: 'edited',
            id: row.id,
            message: `audit row ${row.id} was altered after it was written (its hash does not match its content)`,
          },
        };
      }
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          rowsChecked: checked,
          lastId: prevId,
          firstBreak: {
            kind: 'deleted',
            afterId: prevId,
            message:
              prevId === null
                ? `audit rows before row ${row.id} are missing (the chain does not start at the beginning)`
                : `audit rows between ${prevId} and ${row.id} are missing (row ${row.id} does not follow row ${prevId})`,
          },
        };
      }
      prevHash = hash;
      prevId = row.id;
      checked += 1;
    }
    if (page.rows.length < pageSize) break;
  }
  return { ok: true, rowsChecked: checked, lastId: prevId, firstBreak: null };
}
