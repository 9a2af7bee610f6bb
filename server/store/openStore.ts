import { join } from 'node:path';
import type { Store } from './store';
import { openPgliteStore } from './pgliteStore';
import { openPostgresStore } from './postgresStore';
import { migrate } from './migrate';

export interface StoreOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** Folder for embedded data; the database lives in `<dataDir>/db`. Undefined: in memory. */
  readonly dataDir?: string | undefined;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgresStore(options.databaseUrl)
    : await openPgliteStore(options.dataDir ? join(options.dataDir, 'db') : undefined);
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
