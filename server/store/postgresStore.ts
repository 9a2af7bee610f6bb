import pg from 'pg';
import type { Queryable, QueryResult, Store } from './store';

// BIGINT (int8) comes back as a string by default; our ids and counters fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface PostgresOptions {
  readonly poolSize?: number;
  /** Runs every connection in this schema (tests isolate themselves this way). */
  readonly schema?: string;
}

export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) {
    throw new Error(`bad schema name ${opts.schema}`);
  }
  const connection = {
    connectionString: url,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: opts.poolSize ?? 10 });
  // A pool error (a server restart, say) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('select 1');

  const run = async <T>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>> => {
    const res = await client.query(sql, params as unknown[] | undefined);
    return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
  };

  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
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
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      const client = new pg.Client(connection);
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onNotify(msg.payload ?? '');
      });
      await client.query(`listen ${channel}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    close: () => pool.end(),
  };
}
