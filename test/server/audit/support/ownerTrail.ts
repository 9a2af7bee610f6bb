import {
  AUDIT_INSERT_COLUMNS,
  auditInsertParams,
  type AuditRow,
} from '../../../../server/audit/auditChain';
import type { Queryable } from '../../../../server/store/store';

/** Plays an attacker with the database owner's rights: append-only triggers off, then SQL. */
export async function asOwner(db: Queryable, ...statements: readonly string[]): Promise<void> {
  await db.query('alter table audit_log disable trigger user');
  await db.query('alter table events disable trigger user');
  try {
    for (const sql of statements) await db.query(sql);
  } finally {
    await db.query('alter table audit_log enable trigger user');
    await db.query('alter table events enable trigger user');
  }
}

/**
 * Replaces the whole trail with `rows`, as the database owner can: the events that point at audit
 * rows go with it.
 */
export async function replaceTrail(db: Queryable, rows: readonly AuditRow[]): Promise<void> {
  await asOwner(db, 'truncate events, audit_log');
  await db.query('alter table audit_log disable trigger user');
  try {
    for (const row of rows) {
      await db.query(
        `insert into audit_log (${AUDIT_INSERT_COLUMNS})
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        auditInsertParams(row),
      );
    }
  } finally {
    await db.query('alter table audit_log enable trigger user');
  }
}
