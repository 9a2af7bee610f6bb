import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/store';
import type { OutgoingMail } from './mailer';

/** A message waiting in the outbox, as the worker takes it. */
export interface DueMail extends OutgoingMail {
  readonly id: string;
  readonly kind: string;
  /** Tries so far, this one included. */
  readonly attempts: number;
}

/**
 * Queues a message inside the caller's transaction: it is sent only if the change that wrote it
 * commits, and it is never lost once that change is acknowledged.
 */
export async function enqueueMail(
  tx: Queryable,
  at: Date,
  kind: string,
  mail: OutgoingMail,
): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `insert into mail_outbox (id, kind, to_address, subject, body, next_attempt_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $6)`,
    [id, kind, mail.to, mail.subject, mail.text, at.toISOString()],
  );
  return id;
}

/**
 * Takes up to `limit` due messages and leases them until `leaseUntil`, so that another server
 * instance (or a run that overlaps) does not send them too. A lease that lapses because the
 * server stopped mid-send makes the message due again: it may then go twice, never not at all.
 */
export async function claimDueMail(
  db: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueMail[]> {
  const res = await db.query<{
    id: string;
    kind: string;
    to_address: string;
    subject: string;
    body: string;
    attempts: number;
  }>(
    `update mail_outbox m set next_attempt_at = $2, attempts = m.attempts + 1
     from (select id from mail_outbox
           where state = 'pending' and next_attempt_at <= $1
           order by next_attempt_at limit $3 for update skip locked) due
     where m.id = due.id
     returning m.id, m.kind, m.to_address, m.subject, m.body, m.attempts`,
    [now.toISOString(), leaseUntil.toISOString(), limit],
  );
  return res.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    to: r.to_address,
    subject: r.subject,
    text: r.body,
    attempts: Number(r.attempts),
  }));
}

export async function markSent(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query(
    `update mail_outbox set state = 'sent', sent_at = $2, last_error = null where id = $1`,
    [id, at.toISOString()],
  );
}

/** Records a failed try: due again at `retryAt`, or failed for good when `retryAt` is null. */
export async function markFailedTry(
  db: Queryable,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db.query(
    `update mail_outbox
     set state = case when $3::timestamptz is null then 'failed' else 'pending' end,
         next_attempt_at = coalesce($3::timestamptz, next_attempt_at), last_error = $2
     where id = $1`,
    [id, error.slice(0, 1000), retryAt?.toISOString() ?? null],
  );
}

/** Gives back messages taken but not tried (the server went away mid-batch): due at `at`. */
export async function releaseMail(db: Queryable, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `update mail_outbox set attempts = attempts - 1, next_attempt_at = $2
     where id = any($1::text[]) and state = 'pending'`,
    [ids, at.toISOString()],
  );
}

/**
 * Deletes messages settled before `before`. A sent message holds a person's address and a link
 * into their registration; once delivered it has no use here.
 */
export async function deleteSettledMail(db: Queryable, before: Date): Promise<void> {
  await db.query(`delete from mail_outbox where state <> 'pending' and created_at < $1`, [
    before.toISOString(),
  ]);
}

/** What the outbox holds, by state (the health of mail at a glance, and tests). */
export async function outboxCounts(db: Queryable): Promise<Record<string, number>> {
  const res = await db.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from mail_outbox group by state',
  );
  return Object.fromEntries(res.rows.map((r) => [r.state, Number(r.n)]));
}
