import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store, StoreKind } from '../../server/store/store';
import { openPgliteStore } from '../../server/store/pgliteStore';
import { openPostgresStore } from '../../server/store/postgresStore';
import { migrate } from '../../server/store/migrate';

/**
 * Every store test runs on embedded PGlite, and again on a real PostgreSQL server when
 * WF_TEST_DATABASE_URL is set (CI sets it).
 */
export const TEST_DATABASE_URL = process.env.WF_TEST_DATABASE_URL || undefined;
export const STORE_KINDS: readonly StoreKind[] = TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export interface TestStore {
  readonly store: Store;
  /** Opens a second, independent store on the same data (another "server instance"). */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/** A fresh, migrated store: in-memory PGlite, or a throwaway schema on PostgreSQL. */
export async function openTestStore(
  kind: StoreKind,
  opts: { migrated?: boolean; dataDir?: string } = {},
): Promise<TestStore> {
  const migrated = opts.migrated ?? true;
  if (kind === 'pglite') {
    const store = await openPgliteStore(opts.dataDir);
    if (migrated) await migrate(store);
    return {
      store,
      reopen: async () => {
        if (!opts.dataDir) throw new Error('reopen needs a dataDir for PGlite');
        return openPgliteStore(opts.dataDir);
      },
      dispose: () => store.close().catch(() => undefined),
    };
  }
  const url = TEST_DATABASE_URL!;
  const schema = `wf_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openPostgresStore(url, { schema, poolSize: 5 });
  if (migrated) await migrate(store);
  const opened: Store[] = [store];
  return {
    store,
    reopen: async () => {
      const s = await openPostgresStore(url, { schema, poolSize: 5 });
      opened.push(s);
      return s;
    },
    dispose: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
