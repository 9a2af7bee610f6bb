import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, QueryResult, Store } from './store';
import { lockDataDir } from './dataDirLock';

/**
 * Embedded PostgreSQL (WASM). One connection, so PGlite queues queries itself; `transaction`
 * holds that connection for its whole callback.
 */
export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Refuses a folder that another live process has open, before touching its files.
  const lock = dataDir ? lockDataDir(dataDir) : null;
  let db: PGlite;
  try {
    db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  } catch (err) {
    lock?.release();
    throw err;
  }

  const toResult = <T>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<T> => ({
    rows: normalizeRows(res.rows) as T[],
    // PGlite reports affectedRows 0 for a select; pg reports the rows returned.
    rowCount: res.rows.length > 0 ? res.rows.length : (res.affectedRows ?? 0),
  });

  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      return toResult<T>(await db.query(sql, params as unknown[] | undefined));
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params?: readonly unknown[]) =>
            toResult<R>(await tx.query(sql, params as unknown[] | undefined)),
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      );
    },
    async listen(channel, onNotify) {
      const unsub = await db.listen(channel, onNotify);
      return {
        // In-process: there is no connection to lose.
        lost: new Promise<Error>(() => undefined),
        stop: async () => {
          await unsub();
        },
      };
    },
    async close() {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** PGlite returns BIGINT as a JS bigint; the pg driver is set to numbers. Keep both alike. */
function normalizeRows(rows: unknown[]): unknown[] {
  for (const row of rows) {
    if (row && typeof row === 'object') {
      const r = row as Record<string, unknown>;
      for (const key of Object.keys(r)) {
        if (typeof r[key] === 'bigint') r[key] = Number(r[key]);
      }
    }
  }
  return rows;
}
