import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Store, StoreKind } from '../../server/store/store';
import { openPgliteStore } from '../../server/store/pgliteStore';
import { openPostgresStore } from '../../server/store/postgresStore';
import { migrate } from '../../server/store/migrate';
import { insertCameras } from '../../server/cameras/cameraRepository';
import { cameraSecrets } from '../../server/cameras/cameraSecrets';
import type { NewCamera } from '../../shared/domain/cameras';

/** PostgreSQL for benchmarks: WF_BENCH_DATABASE_URL, else the local test server. */
export const BENCH_DATABASE_URL =
  process.env.WF_BENCH_DATABASE_URL ||
  process.env.WF_TEST_DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/test';

export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** The stores to measure: PGlite always, PostgreSQL when it answers (said when it does not). */
export async function benchStoreKinds(): Promise<StoreKind[]> {
  if (await postgresReachable()) return ['pglite', 'postgres'];
  process.stdout.write('PostgreSQL not reachable: PGlite only\n');
  return ['pglite'];
}

/** A migrated store in a throwaway schema (PostgreSQL) or in memory (PGlite). */
export async function openBenchStore(
  kind: StoreKind,
): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const store = await openPgliteStore(undefined);
    await migrate(store);
    return { store, dispose: () => store.close() };
  }
  const schema = `wf_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openPostgresStore(BENCH_DATABASE_URL, { schema, poolSize: 10 });
  await migrate(store);
  return {
    store,
    dispose: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Puts a benchmark's cameras in the store in one transaction and analyses the table; seconds. */
export async function loadBenchCameras(
  store: Store,
  cameras: readonly NewCamera[],
): Promise<number> {
  const t0 = performance.now();
  await store.transaction((tx) =>
    insertCameras(
      tx,
      new Date(),
      cameras.map((camera) => ({ id: randomUUID(), camera })),
      // The benchmark's cameras have no credentials: a throwaway key seals nothing.
      cameraSecrets(randomBytes(32)),
    ),
  );
  await store.query('analyze cameras');
  return (performance.now() - t0) / 1000;
}
