import type { Queryable } from '../store/store';
import type { Integration } from '../../shared/domain/integrations';
import type { IngestScope } from '../../shared/domain/roles';

/** The only code that reads or writes integrations. */

interface IntegrationRow {
  id: string;
  name: string;
  scope: IngestScope;
  created_by: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const COLUMNS = 'id, name, scope, created_by, created_at, last_used_at, revoked_at';
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

const fromRow = (r: IntegrationRow): Integration => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

export async function listIntegrations(db: Queryable): Promise<Integration[]> {
  const res = await db.query<IntegrationRow>(
    `select ${COLUMNS} from integrations order by revoked_at is not null, name`,
  );
  return res.rows.map(fromRow);
}

export async function insertIntegration(
  db: Queryable,
  row: {
    id: string;
    name: string;
    scope: IngestScope;
    keyHash: string;
    createdBy: string;
    at: Date;
  },
): Promise<Integration | null> {
  const res = await db.query<IntegrationRow>(
    `insert into integrations (id, name, scope, key_hash, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (name) do nothing
     returning ${COLUMNS}`,
    [row.id, row.name, row.scope, row.keyHash, row.createdBy, row.at.toISOString()],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : null;
}

/** By id, or else by name (what an administrator types at the command line). */
export async function findIntegration(
  db: Queryable,
  idOrName: string,
): Promise<Integration | null> {
  const res = await db.query<IntegrationRow>(
    `select ${COLUMNS} from integrations where id = $1 or name = $1 order by id = $1 desc limit 1`,
    [idOrName],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : null;
}

/** The integration a key belongs to, revoked or not. */
export async function findIntegrationByKeyHash(
  db: Queryable,
  keyHash: string,
): Promise<Integration | null> {
  const res = await db.query<IntegrationRow>(
    `select ${COLUMNS} from integrations where key_hash = $1`,
    [keyHash],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : null;
}

/** Revokes once: a second revocation keeps the first time. */
export async function revokeIntegrationRow(
  db: Queryable,
  id: string,
  at: Date,
): Promise<Integration | null> {
  const res = await db.query<IntegrationRow>(
    `update integrations set revoked_at = coalesce(revoked_at, $2) where id = $1
     returning ${COLUMNS}`,
    [id, at.toISOString()],
  );
  return res.rows[0] ? fromRow(res.rows[0]) : null;
}

export async function touchIntegration(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(
    `update integrations set last_used_at = $2
     where id = $1 and (last_used_at is null or last_used_at < $2)`,
    [id, at.toISOString()],
  );
}
