import type { ServerContext } from '../context';
import { backoffDelay, type BackoffPolicy } from '../../shared/time/backoff';
import { openMailer, type Mailer } from './mailer';
import {
  claimDueMail,
  deleteSettledMail,
  markFailedTry,
  markSent,
  releaseMail,
} from './outboxRepository';

/** 30 s, 1 min, 2 min ... up to an hour between tries: a day-long SMTP outage is ridden out. */
export const MAIL_RETRY: BackoffPolicy = { baseMs: 30_000, maxMs: 60 * 60_000 };
/** Tries before a message is marked failed for good (about two days at the cap). */
export const MAX_MAIL_ATTEMPTS = 48;
/** How often due messages are looked for; a new message also wakes the worker. */
export const MAIL_POLL_MS = 5_000;
/** A message being sent is not taken by another run for this long. */
const LEASE_MS = 5 * 60_000;
/** Messages sent at once. */
const BATCH = 8;
/** Settled messages are kept this long (to answer "did it go?"), then deleted. */
const KEEP_SETTLED_MS = 7 * 24 * 3_600_000;

/** The outbox task's name (tests run it with `ctx.tasks.runNow`). */
export const MAIL_TASK = 'mail.outbox';

/**
 * Sends what changes queued in the outbox (server/mail/outboxRepository.ts), after they
 * committed. A message that fails is tried again with backoff; one the server refuses for good
 * (a 5xx reply) or that fails MAX_MAIL_ATTEMPTS times is marked failed with the reason.
 */
export class MailOutbox {
  private mailer: Mailer | null = null;

  constructor(private readonly ctx: ServerContext) {}

  /** Whether mail can go out at all (WF_SMTP_URL is set); queued mail waits until it is. */
  get configured(): boolean {
    return this.ctx.config.mail !== null;
  }

  /** Looks for due messages now (a change has just queued one). */
  kick(): void {
    void this.ctx.tasks.runNow(MAIL_TASK);
  }

  /** Sends every due message, a batch at a time. */
  async runDue(): Promise<void> {
    const config = this.ctx.config.mail;
    if (config === null) return;
    this.mailer ??= openMailer(config);
    for (;;) {
      const now = new Date(this.ctx.clock.now());
      const due = await claimDueMail(
        this.ctx.store,
        now,
        new Date(now.getTime() + LEASE_MS),
        BATCH,
      );
      if (due.length === 0) return;
      for (const [i, mail] of due.entries()) {
        const outcome = await this.mailer.send(mail);
        const at = new Date(this.ctx.clock.now());
        if (outcome.ok) {
          await markSent(this.ctx.store, mail.id, at);
          continue;
        }
        const giveUp = outcome.permanent || mail.attempts >= MAX_MAIL_ATTEMPTS;
        const retryAt = giveUp
          ? null
          : new Date(at.getTime() + backoffDelay(MAIL_RETRY, mail.attempts));
        await markFailedTry(this.ctx.store, mail.id, outcome.error, retryAt);
        this.ctx.log.warn(
          { mailId: mail.id, kind: mail.kind, attempts: mail.attempts, error: outcome.error },
          giveUp ? 'mail not sent: gave up' : 'mail not sent: will retry',
        );
        // The server is down: the rest of the batch would fail the same way. It waits as long.
        if (!outcome.permanent) {
          const rest = due.slice(i + 1).map((m) => m.id);
          await releaseMail(this.ctx.store, rest, retryAt ?? at);
          return;
        }
      }
    }
  }

  async sweep(): Promise<void> {
    await deleteSettledMail(this.ctx.store, new Date(this.ctx.clock.now() - KEEP_SETTLED_MS));
  }

  close(): void {
    this.mailer?.close();
    this.mailer = null;
  }
}

/** Starts the outbox's background work on the context's supervisor. */
export function startMailOutbox(ctx: ServerContext): MailOutbox {
  const outbox = new MailOutbox(ctx);
  if (!outbox.configured) {
    ctx.log.warn('mail is not configured (WF_SMTP_URL): emails wait in the outbox until it is');
  }
  ctx.tasks.every(MAIL_TASK, MAIL_POLL_MS, () => outbox.runDue());
  ctx.tasks.every('mail.outbox.sweep', 3_600_000, () => outbox.sweep());
  return outbox;
}
