import nodemailer from 'nodemailer';
import type { MailConfig } from '../config';

/** One plain-text email: every message the server sends is read on phones and by screen readers. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** The answer of an SMTP server to one message. */
export type SendOutcome =
  | { readonly ok: true; readonly messageId: string }
  | { readonly ok: false; readonly error: string; readonly permanent: boolean };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

/** An unreachable server must fail a send in seconds, so the outbox moves on and retries. */
const TIMEOUT_MS = 15_000;

/** The transport's options from WF_SMTP_URL: host, port, TLS and credentials. */
function transportOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    // STARTTLS is used whenever the server offers it; `?requireTLS=true` refuses a server that
    // does not (what a deployment over the internet should set).
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  };
}

/** SMTP replies 5xx are the server's final word on this message; anything else may pass later. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** An SMTP client (nodemailer) for the configured server. */
export function openMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(transportOptions(config.smtpUrl));
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
        });
        return { ok: true, messageId: String(info.messageId) };
      } catch (error) {
        return {
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          permanent: isPermanent(error),
        };
      }
    },
    close() {
      transport.close();
    },
  };
}
