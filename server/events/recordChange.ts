import type { Queryable, Store } from '../store/store';
import type { Clock } from '../../shared/time/clock';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertParams,
  buildAuditRow,
  CHAIN_LOCK_KEY,
  nextAuditLink,
  type AuditEntry,
  type AuditRow,
} from '../audit/auditChain';

import { checkedPayload, type CatalogEvent } from '../../shared/api/eventCatalog';

export const EVENTS_CHANNEL = 'wf_events';

/** What a change tells the consoles: nothing, one event, or several (in this order). */
export type ChangeEvents = CatalogEvent | readonly CatalogEvent[] | null;

export interface ChangeContext {
  readonly tx: Queryable;
  readonly at: Date;
}

export interface ChangeOutcome<T> {
  readonly value: T;
  readonly audit: AuditRow;
  /** The id of the row the audit row follows (null: it is the first). */
  readonly prevId: number | null;
  /** The id of the change's last event, or null when it published none. */
  readonly eventId: number | null;
}

/** Where the change's audit row goes: its id, its predecessor's hash and its time. */
export interface AuditLinkAt {
  readonly id: number;
  readonly prevHash: string;
  readonly at: Date;
}

export interface Change<T> {
  /** A function also receives the row's place in the chain (a signed checkpoint needs it). */
  readonly audit: AuditEntry | ((value: T, link: AuditLinkAt) => AuditEntry);
  /**
   * The events to publish (types from the catalog in shared/api/eventCatalog.ts), or null for
   * changes nobody needs to hear of (an audit-only denial).
   */
  readonly event: ChangeEvents | ((value: T) => ChangeEvents);
  /** The domain work; runs first, inside the transaction. */
  readonly apply?: (ctx: ChangeContext) => Promise<T>;
}

/** Writes one change inside a transaction that already holds the chain lock. */
async function writeChange<T>(
  tx: Queryable,
  clock: Clock,
  change: Change<T>,
): Promise<ChangeOutcome<T>> {
  const at = new Date(clock.now());
  const value = change.apply ? await change.apply({ tx, at }) : (undefined as T);
  const link = await nextAuditLink(tx);
  const entry =
    typeof change.audit === 'function' ? change.audit(value, { ...link, at }) : change.audit;
  const audit = buildAuditRow(link, at, entry);
  const declared = typeof change.event === 'function' ? change.event(value) : change.event;
  const events: readonly CatalogEvent[] =
    declared === null ? [] : Array.isArray(declared) ? declared : [declared as CatalogEvent];
  if (events.length === 0) {
    await tx.query(
      `insert into audit_log (${AUDIT_INSERT_COLUMNS})
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      auditInsertParams(audit),
    );
    return { value, audit, prevId: link.prevId, eventId: null };
  }
  // Audit row, event rows and the wake-up for other instances in one statement; NOTIFY is
  // delivered only at commit. Event ids follow the order the change gave.
  const res = await tx.query<{ id: number }>(
    `with a as (
       insert into audit_log (${AUDIT_INSERT_COLUMNS})
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id),
     e as (
       insert into events (at, type, payload, audit_id)
       select $2, t.type, t.payload::jsonb, a.id
       from a, unnest($12::text[], $13::text[]) with ordinality as t(type, payload, n)
       order by t.n
       returning id)
     select max(e.id) as id, pg_notify($14, max(e.id)::text) from e`,
    [
      ...auditInsertParams(audit),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(checkedPayload(e))),
      EVENTS_CHANNEL,
    ],
  );
  return { value, audit, prevId: link.prevId, eventId: Number(res.rows[0]!.id) };
}

const takeChainLock = (tx: Queryable) =>
  tx.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);

/**
 * The one way the server changes anything: the domain rows, one audit row and (usually) one
 * event row commit together or not at all.
 *
 * The chain lock is taken first and held to commit. That serialises writers, which is what makes
 * event ids increase in commit order: a reader that has seen id N can never later find a smaller
 * id appear, so "give me everything after N" has no gaps.
 */
export async function recordChange<T = undefined>(
  store: Store,
  clock: Clock,
  change: Change<T>,
  notify?: (eventId: number) => void,
): Promise<ChangeOutcome<T>> {
  const outcome = await store.transaction(async (tx) => {
    await takeChainLock(tx);
    return writeChange(tx, clock, change);
  });
  if (outcome.eventId !== null) notify?.(outcome.eventId);
  return outcome;
}

interface Pending {
  readonly change: Change<unknown>;
  readonly resolve: (o: ChangeOutcome<unknown>) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for recordChange. Writers are serialised by the chain lock until commit, so a
 * commit's flush to disk would bound throughput at one change per flush. Changes that arrive
 * while a transaction is running wait and then go together in the next one, each inside its own
 * savepoint: a change that fails is rolled back alone and rejected with its own error, the others
 * commit. Nothing is acknowledged before its transaction has committed.
 */
export class ChangeRecorder {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onCommitted: () => void,
    private readonly maxBatch = 256,
  ) {}

  record<T>(change: Change<T>): Promise<ChangeOutcome<T>> {
    return new Promise<ChangeOutcome<T>>((resolve, reject) => {
      this.queue.push({
        change: change as Change<unknown>,
        resolve: resolve as (o: ChangeOutcome<unknown>) => void,
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let results: (
          { ok: true; outcome: ChangeOutcome<unknown> } | { ok: false; error: unknown }
        )[];
        try {
          results = await this.store.transaction(async (tx) => {
            await takeChainLock(tx);
            if (batch.length === 1) {
              // Alone in its transaction: a failure rolls back the transaction, no savepoint needed.
              return [
                { ok: true as const, outcome: await writeChange(tx, this.clock, batch[0]!.change) },
              ];
            }
            const out: typeof results = [];
            for (const p of batch) {
              await tx.query('savepoint wf_change');
              try {
                const outcome = await writeChange(tx, this.clock, p.change);
                await tx.query('release savepoint wf_change');
                out.push({ ok: true, outcome });
              } catch (error) {
                await tx.query('rollback to savepoint wf_change');
                out.push({ ok: false, error });
              }
            }
            return out;
          });
        } catch (error) {
          // The transaction did not commit: none of the batch happened.
          for (const p of batch) p.reject(error);
          continue;
        }
        batch.forEach((p, i) => {
          const r = results[i]!;
          if (r.ok) p.resolve(r.outcome);
          else p.reject(r.error);
        });
        if (results.some((r) => r.ok && r.outcome.eventId !== null)) this.onCommitted();
      }
    } finally {
      this.draining = false;
    }
  }
}
