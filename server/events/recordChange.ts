import type { Queryable, Store } from '../store/store';
import type { Clock } from '../clock';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertParams,
  buildAuditRow,
  CHAIN_LOCK_KEY,
  nextAuditLink,
  type AuditEntry,
  type AuditRow,
} from '../audit/auditChain';

export const EVENTS_CHANNEL = 'wf_events';

export interface ChangeEvent {
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface ChangeContext {
  readonly tx: Queryable;
  readonly at: Date;
}

export interface ChangeOutcome<T> {
  readonly value: T;
  readonly audit: AuditRow;
  readonly eventId: number | null;
}

export interface Change<T> {
  readonly audit: AuditEntry | ((value: T) => AuditEntry);
  /** The event to publish, or null for changes nobody needs to hear of (an audit-only denial). */
  readonly event: ChangeEvent | null | ((value: T) => ChangeEvent | null);
  /** The domain work; runs first, inside the transaction. */
  readonly apply?: (ctx: ChangeContext) => Promise<T>;
}

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
    await tx.query('select pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
    const at = new Date(clock.now());
    const value = change.apply ? await change.apply({ tx, at }) : (undefined as T);
    const entry = typeof change.audit === 'function' ? change.audit(value) : change.audit;
    const audit = buildAuditRow(await nextAuditLink(tx), at, entry);
    const event = typeof change.event === 'function' ? change.event(value) : change.event;
    let eventId: number | null = null;
    if (event) {
      // Audit row, event row and the wake-up for other instances in one statement; NOTIFY is
      // delivered only at commit.
      const res = await tx.query<{ id: number }>(
        `with a as (
           insert into audit_log (${AUDIT_INSERT_COLUMNS})
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id),
         e as (
           insert into events (at, type, payload, audit_id)
           select $2, $12, $13, a.id from a returning id)
         select e.id, pg_notify($14, e.id::text) from e`,
        [...auditInsertParams(audit), event.type, JSON.stringify(event.payload), EVENTS_CHANNEL],
      );
      eventId = Number(res.rows[0]!.id);
    } else {
      await tx.query(
        `insert into audit_log (${AUDIT_INSERT_COLUMNS})
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        auditInsertParams(audit),
      );
    }
    return { value, audit, eventId };
  });
  if (outcome.eventId !== null) notify?.(outcome.eventId);
  return outcome;
}
