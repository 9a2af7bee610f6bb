import type { Store, Queryable } from '../store/store';
import type { ServerEvent } from '../../shared/api/events';
import { EVENTS_CHANNEL } from './recordChange';
import type { SupervisedTask, TaskSupervisor } from '../runtime/taskSupervisor';

interface DbEventRow {
  id: number;
  at: Date | string;
  type: string;
  payload: Record<string, unknown> | string;
}

export function eventFromDb(r: DbEventRow): ServerEvent {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    type: r.type,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  };
}

export async function listEventsAfter(
  db: Queryable,
  after: number,
  limit: number,
  types?: readonly string[],
): Promise<ServerEvent[]> {
  const res = types?.length
    ? await db.query<DbEventRow>(
        'select id, at, type, payload from events where id > $1 and type = any($3) order by id limit $2',
        [after, limit, types],
      )
    : await db.query<DbEventRow>(
        'select id, at, type, payload from events where id > $1 order by id limit $2',
        [after, limit],
      );
  return res.rows.map(eventFromDb);
}

/**
 * Up to `limit` events after an id that `admit` lets through, and the id to resume after: the
 * last event looked at, shown or not, so that a resumed reader neither repeats nor skips.
 */
export async function listAdmittedAfter(
  db: Queryable,
  after: number,
  limit: number,
  admit: (event: ServerEvent) => boolean,
): Promise<{ events: ServerEvent[]; lastId: number }> {
  const events: ServerEvent[] = [];
  let lastId = after;
  for (;;) {
    const page = await listEventsAfter(db, lastId, limit);
    for (const event of page) {
      lastId = event.id;
      if (admit(event)) events.push(event);
      if (events.length === limit) return { events, lastId };
    }
    if (page.length < limit) return { events, lastId };
  }
}

export async function lastEventId(db: Queryable): Promise<number> {
  const res = await db.query<{ id: number | null }>('select max(id) as id from events');
  return Number(res.rows[0]?.id ?? 0);
}

/**
 * Wakes every stream subscriber when events are committed: by this process directly, and by
 * any process through NOTIFY. Subscribers read the event table themselves, which stays the
 * source of truth, so a lost wake-up delays delivery but never loses an event.
 */
export class EventHub {
  private readonly subscribers = new Set<() => void>();
  private listening: SupervisedTask | null = null;

  constructor(
    private readonly store: Store,
    private readonly tasks: TaskSupervisor,
  ) {}

  /**
   * Listens for other instances' commits, and listens again (with backoff) whenever the connection
   * drops. Each time listening (re)starts, subscribers are woken to read the table from their last
   * id: whatever was committed while nobody listened is delivered then. Resolves once the first
   * attempt has succeeded or failed.
   */
  async start(): Promise<void> {
    let firstAttempt: () => void = () => undefined;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.listening = this.tasks.keep('events.listen', async (signal, healthy) => {
      try {
        const listening = await this.store.listen(EVENTS_CHANNEL, () => this.wake());
        try {
          healthy();
          firstAttempt();
          this.wake();
          // One listener per connection, removed again: reconnects must not pile them up.
          const stop = aborted(signal);
          const lost = await Promise.race([listening.lost, stop.promise]).finally(stop.dispose);
          if (lost) throw lost;
        } finally {
          await listening.stop();
        }
      } finally {
        firstAttempt();
      }
    });
    await attempted;
  }

  wake(): void {
    for (const s of this.subscribers) s();
  }

  subscribe(onWake: () => void): () => void {
    this.subscribers.add(onWake);
    return () => this.subscribers.delete(onWake);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async stop(): Promise<void> {
    this.subscribers.clear();
    await this.listening?.cancel();
    this.listening = null;
  }
}

/** Resolves (with nothing) when the signal aborts; `dispose` drops the listener if it never did. */
function aborted(signal: AbortSignal): { readonly promise: Promise<null>; dispose(): void } {
  let onAbort: () => void = () => undefined;
  const promise = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Delivers events after a cursor, in order, with no gap and no duplicate: a single pump per
 * subscriber reads pages until it finds nothing newer; a wake-up that arrives while it runs
 * makes it go round once more instead of starting a second reader. Events that `admit` refuses
 * (another user's, another permission's) are passed over, and the cursor moves past them.
 */
export class EventCursor {
  private running = false;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: Queryable,
    private lastId: number,
    private readonly deliver: (events: ServerEvent[]) => Promise<void> | void,
    private readonly admit: (event: ServerEvent) => boolean = () => true,
    private readonly pageSize = 500,
  ) {}

  get position(): number {
    return this.lastId;
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves when the cursor has caught up with what was committed when it was called. */
  async pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        for (;;) {
          if (this.closed) return;
          const page = await listEventsAfter(this.db, this.lastId, this.pageSize);
          if (page.length === 0 || this.closed) break;
          this.lastId = page[page.length - 1]!.id;
          const admitted = page.filter(this.admit);
          if (admitted.length > 0) await this.deliver(admitted);
          if (page.length < this.pageSize) break;
        }
      } while (this.again && !this.closed);
    } finally {
      this.running = false;
    }
  }
}
