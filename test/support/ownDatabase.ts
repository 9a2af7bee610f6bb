import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from './stores';

/**
 * A PostgreSQL database of the test's own, for tests that take a database away or cut its
 * connections: the shared test database is never touched. Always `drop()` it in a finally.
 */
export interface OwnDatabase {
  readonly name: string;
  /** Connection string of the new database. */
  readonly url: string;
  /** Refuses new connections and ends every existing one: the database is "down". */
  takeAway(): Promise<void>;
  /** Accepts connections again. */
  giveBack(): Promise<void>;
  /** Ends the backends of this database that are listening on a channel; returns how many. */
  terminateListeners(): Promise<number>;
  drop(): Promise<void>;
}

async function asServerAdmin<T>(server: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** `server`: a connection string to any database of the PostgreSQL server to create it on. */
export async function createOwnDatabase(
  prefix: string,
  server: string | undefined = TEST_DATABASE_URL,
): Promise<OwnDatabase> {
  if (!server) throw new Error('WF_TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const asAdmin = <T>(fn: (c: pg.Client) => Promise<T>) => asServerAdmin(server, fn);
  await asAdmin((c) => c.query(`create database ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  const terminate = (c: pg.Client, extra = '') =>
    c.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid() ${extra}`,
      [name],
    );
  return {
    name,
    url: url.toString(),
    takeAway: () =>
      asAdmin(async (c) => {
        await c.query(`alter database ${name} with allow_connections false`);
        await terminate(c);
      }),
    giveBack: () =>
      asAdmin(async (c) => {
        await c.query(`alter database ${name} with allow_connections true`);
      }),
    terminateListeners: () =>
      asAdmin(async (c) => {
        const res = await terminate(c, "and query ilike 'listen %'");
        return res.rowCount ?? 0;
      }),
    drop: () =>
      asAdmin(async (c) => {
        await c.query(`alter database ${name} with allow_connections false`);
        await terminate(c);
        await c.query(`drop database if exists ${name} with (force)`);
      }),
  };
}
