import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { MailCatcher } from '../../../server/mail/mailCatcher';
import { MAIL_RETRY, MAIL_TASK, MailOutbox } from '../../../server/mail/mailOutbox';
import { enqueueMail, outboxCounts } from '../../../server/mail/outboxRepository';
import { mailFromEnv } from '../../../server/config';

/**
 * The outbox: a message queued by a committed change reaches a real SMTP server, through an
 * outage (retried with backoff, on the server's clock), and a final refusal is kept with why.
 */
describe.each(STORE_KINDS)('the mail outbox on %s', (kind) => {
  let t: TestApp;
  let mail: MailCatcher;
  let n = 0;

  beforeAll(async () => {
    mail = await MailCatcher.start();
    t = await startTestApp(kind, {
      config: { mail: { smtpUrl: mail.smtpUrl, from: 'RTCC <rtcc@test-city.example>' } },
    });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await mail.stop();
  });

  async function queue(to: string, subject = `Message ${++n}`) {
    return t.store.store.transaction((tx) =>
      enqueueMail(tx, new Date(t.clock.now()), 'test', {
        to,
        subject,
        text: `Hello,\nthe link is https://portal.example/portal/cameras/confirm?token=${'a'.repeat(43)}\n`,
      }),
    );
  }
  async function row(id: string) {
    const res = await t.store.store.query<{
      state: string;
      attempts: number;
      last_error: string | null;
      next_attempt_at: string | Date;
    }>('select state, attempts, last_error, next_attempt_at from mail_outbox where id = $1', [id]);
    return res.rows[0]!;
  }
  const run = () => t.app.ctx.tasks.runNow(MAIL_TASK);

  it('delivers a queued message as plain text from the configured sender', async () => {
    const id = await queue('first@example.org', 'Confirm your registration — Test City');
    await run();
    const got = await mail.next('first@example.org');
    expect(got.subject).toBe('Confirm your registration — Test City');
    expect(got.from).toBe('rtcc@test-city.example');
    expect(got.text).toContain(`token=${'a'.repeat(43)}`);
    expect((await row(id)).state).toBe('sent');
  });

  it('keeps a message through an SMTP outage and sends it when the server is back', async () => {
    mail.refuseWith = 451;
    const id = await queue('outage@example.org');
    await run();
    let r = await row(id);
    expect(r.state).toBe('pending');
    expect(r.attempts).toBe(1);
    expect(r.last_error).toContain('451');
    expect(new Date(r.next_attempt_at).getTime()).toBe(t.clock.now() + MAIL_RETRY.baseMs);

    // Not due yet: no new try.
    await run();
    expect((await row(id)).attempts).toBe(1);
    // Due, still refused: the wait doubles.
    t.clock.advance(MAIL_RETRY.baseMs);
    await run();
    r = await row(id);
    expect(r.attempts).toBe(2);
    expect(new Date(r.next_attempt_at).getTime()).toBe(t.clock.now() + 2 * MAIL_RETRY.baseMs);

    mail.refuseWith = null;
    t.clock.advance(2 * MAIL_RETRY.baseMs);
    await run();
    expect((await mail.next('outage@example.org')).to).toEqual(['outage@example.org']);
    expect((await row(id)).state).toBe('sent');
  });

  it('retries when nothing answers at the SMTP address at all', async () => {
    const down = new MailOutbox({
      ...t.app.ctx,
      config: { ...t.app.ctx.config, mail: { smtpUrl: 'smtp://127.0.0.1:1', from: 'a@b.example' } },
    });
    const id = await queue('down@example.org');
    await down.runDue();
    down.close();
    const r = await row(id);
    expect(r.state).toBe('pending');
    expect(r.last_error).toMatch(/ECONNREFUSED/);
    t.clock.advance(MAIL_RETRY.baseMs);
    await run();
    await mail.next('down@example.org');
    expect((await row(id)).state).toBe('sent');
  });

  it('marks a message the server refuses for good as failed, with the reason, and stops', async () => {
    mail.refuseWith = 550;
    const id = await queue('refused@example.org');
    await run();
    mail.refuseWith = null;
    const r = await row(id);
    expect(r.state).toBe('failed');
    expect(r.last_error).toContain('550');
    t.clock.advance(24 * 3_600_000);
    await run();
    expect((await row(id)).attempts).toBe(1);
    expect((await outboxCounts(t.store.store)).failed).toBe(1);
  });
});

describe('WF_SMTP_URL and WF_MAIL_FROM', () => {
  it('are both set or neither, and refused when malformed', () => {
    expect(mailFromEnv({})).toBeNull();
    expect(
      mailFromEnv({
        WF_SMTP_URL: 'smtps://u:p@mail.city.gov',
        WF_MAIL_FROM: 'RTCC <rtcc@city.gov>',
      }),
    ).toEqual({ smtpUrl: 'smtps://u:p@mail.city.gov', from: 'RTCC <rtcc@city.gov>' });
    expect(() => mailFromEnv({ WF_SMTP_URL: 'smtp://mail.city.gov' })).toThrow(
      'WF_MAIL_FROM is required with WF_SMTP_URL',
    );
    expect(() => mailFromEnv({ WF_MAIL_FROM: 'rtcc@city.gov' })).toThrow(
      'WF_MAIL_FROM is set but WF_SMTP_URL is not',
    );
    expect(() =>
      mailFromEnv({ WF_SMTP_URL: 'http://mail.city.gov', WF_MAIL_FROM: 'rtcc@city.gov' }),
    ).toThrow('WF_SMTP_URL is an smtp:// or smtps:// URL with a host, got a http: URL');
    expect(() =>
      mailFromEnv({ WF_SMTP_URL: 'smtp://mail.city.gov', WF_MAIL_FROM: 'not an address' }),
    ).toThrow('WF_MAIL_FROM is an address or "Name <address>", got "not an address"');
  });
});
