import pg from 'pg';
import type { Listening, Queryable, QueryResult, Store } from './store';
import { StoreUnavailableError, isStoreUnavailable } from './storeUnavailable';

// BIGINT (int8) comes back as a string by default; our ids and counters fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * How long a request waits for a connection before it is told the database is unavailable (503):
 * long enough for a busy pool, short enough that a person is not left staring at a spinner.
 */
const CONNECT_TIMEOUT_MS = 5_000;

export interface PostgresOptions {
  readonly poolSize?: number;
  /** Runs every connection in this schema (tests isolate themselves this way). */
  readonly schema?: string;
}

function ignoreCheckedOutError(): void {}

export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) {
    throw new Error(`bad schema name ${opts.schema}`);
  }
  const connection = {
    connectionString: url,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  };
  const pool = new pg.Pool({
    ...connection,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client whose server went away (a restart, a terminated backend) reports it here; the
  // pool drops that client and the next query opens a fresh one, so nothing stays broken.
  pool.on('error', () => undefined);
  // A client in use has no listener of the pool's: if its server goes away between two statements
  // (or just after one failed), pg emits 'error' on it and, unheard, that would end the process.
  // The statement in flight or the next one fails with the reason, and release discards it.
  pool.on('acquire', (client) => client.on('error', ignoreCheckedOutError));
  pool.on('release', (_err, client) => client.off('error', ignoreCheckedOutError));
  await pool.query('select 1');

  /** A pooled connection, or StoreUnavailableError when none can be had. */
  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
  };

  const run = async <T>(
    client: pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>> => {
    const res = await client.query(sql, params as unknown[] | undefined);
    return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
  };

  /** One statement on a pooled connection; a connection that failed under it is discarded. */
  const once = async <T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> => {
    const client = await connect();
    try {
      const result = await run<T>(client, sql, params);
      client.release();
      return result;
    } catch (err) {
      // A statement's own error (a constraint, a bad value) leaves the connection fine to reuse.
      client.release(isStoreUnavailable(err) ? (err as Error) : undefined);
      throw err;
    }
  };

  return {
    kind: 'postgres',
    query: (sql, params) => once(sql, params),
    exec: async (sql) => {
      await once(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('commit');
        return result;
      } catch (err) {
        if (isStoreUnavailable(err)) broken = err as Error;
        // A rollback that fails means the connection is gone: the pool must not hand it out again.
        await client.query('rollback').catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error('rollback failed');
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async listen(channel, onNotify): Promise<Listening> {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      const client = new pg.Client({ ...connection, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      let stopped = false;
      let reportLost: (reason: Error) => void = () => undefined;
      const lost = new Promise<Error>((resolve) => {
        reportLost = resolve;
      });
      // Its own connection, outside the pool: when it drops (a terminated backend, a server
      // restart) the owner hears of it through `lost` and listens again.
      client.on('error', (err) => {
        if (!stopped) reportLost(err);
      });
      client.on('end', () => {
        if (!stopped) reportLost(new Error(`the LISTEN connection for ${channel} closed`));
      });
      client.on('notification', (msg) => {
        if (msg.channel === channel) onNotify(msg.payload ?? '');
      });
      try {
        await client.connect();
        await client.query(`listen ${channel}`);
      } catch (err) {
        stopped = true;
        await client.end().catch(() => undefined);
        throw new StoreUnavailableError(err);
      }
      return {
        lost,
        async stop() {
          stopped = true;
          await client.end().catch(() => undefined);
        },
      };
    },
    close: () => pool.end(),
  };
}
