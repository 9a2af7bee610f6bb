import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './store';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** An arbitrary constant that names "the migration lock" among advisory locks. */
const MIGRATION_LOCK_KEY = 740_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/**
 * Applies the migrations not yet recorded, each in its own transaction. A transaction-scoped
 * advisory lock makes two processes starting at once take turns: the second finds the work
 * done and applies nothing.
 */
export async function migrate(store: Store, migrations = loadMigrations()): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const didApply = await store.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now())`);
      const done = await tx.query('select 1 from schema_migrations where version = $1', [
        m.version,
      ]);
      if (done.rowCount > 0) return false;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        m.version,
        m.name,
      ]);
      return true;
    });
    if (didApply) applied.push(m.version);
  }
  return applied;
}
