/**
 * The one interface every server module talks to. Two drivers implement it: PostgreSQL through
 * `pg` (production) and PGlite (embedded default). Both speak the same SQL.
 */
export interface QueryResult<T> {
  readonly rows: T[];
  readonly rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type StoreKind = 'pglite' | 'postgres';

/** A live NOTIFY subscription. */
export interface Listening {
  /**
   * Resolves with the reason when the subscription is lost (its connection dropped); it does not
   * settle on `stop()`. Whoever listens decides whether and when to listen again.
   */
  readonly lost: Promise<Error>;
  stop(): Promise<void>;
}

export interface Store extends Queryable {
  readonly kind: StoreKind;
  /** Runs fn in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel. On PostgreSQL this is how other server instances learn that
   * events were committed; on PGlite it only ever hears this process.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Listening>;
  close(): Promise<void>;
}
