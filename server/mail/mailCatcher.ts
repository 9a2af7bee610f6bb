import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { parseReceivedMail } from './receivedMail';

/** A message the catcher received. */
export interface CaughtMail {
  readonly n: number;
  readonly at: Date;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly raw: string;
}

export interface MailCatcherOptions {
  /** Where each message is also written as an .eml file (none: kept in memory only). */
  readonly dir?: string;
  /** The SMTP port (0: any free one). */
  readonly port?: number;
  /** Serve the messages as a small page on this port too (0: any free one). */
  readonly pagePort?: number;
}

/**
 * A local SMTP server that keeps what it receives: the demo's emails (`npm start` says where to
 * read them) and the tests' real SMTP server. Listens on 127.0.0.1 only, takes any sender and
 * recipient without authentication, and can be told to refuse mail to stage an outage.
 */
export class MailCatcher extends EventEmitter<{ mail: [CaughtMail] }> {
  readonly messages: CaughtMail[] = [];
  /** Set to an SMTP reply code to refuse every message with it (451: try later; 550: never). */
  refuseWith: number | null = null;
  private page: HttpServer | null = null;

  private constructor(
    private readonly smtp: SMTPServer,
    private readonly dir: string | undefined,
  ) {
    super();
  }

  static async start(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
    if (opts.dir) await mkdir(opts.dir, { recursive: true });
    let catcher: MailCatcher | null = null;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'Watchfloor mail catcher',
      size: 1024 * 1024,
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const refuse = catcher!.refuseWith;
          if (refuse !== null) {
            const error = Object.assign(new Error('refused for a test of the outbox'), {
              responseCode: refuse,
            });
            callback(error);
            return;
          }
          catcher!
            .keep(Buffer.concat(chunks).toString('utf8'), session)
            .then(() => callback(), callback);
        });
      },
    });
    catcher = new MailCatcher(smtp, opts.dir);
    await new Promise<void>((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    if (opts.pagePort !== undefined) await catcher.servePage(opts.pagePort);
    return catcher;
  }

  get port(): number {
    return (this.smtp.server.address() as AddressInfo).port;
  }

  /** The WF_SMTP_URL that reaches this catcher. */
  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The page listing the messages, when one is served. */
  get pageUrl(): string | null {
    return this.page ? `http://127.0.0.1:${(this.page.address() as AddressInfo).port}/` : null;
  }

  /**
   * The first message to `to` after message number `since`, received already or awaited. Gives
   * up after `timeoutMs`, naming what did arrive, so that a mail that never comes fails clearly.
   */
  async next(to: string, since = 0, timeoutMs = 30_000): Promise<CaughtMail> {
    const match = (m: CaughtMail) => m.n > since && m.to.includes(to.toLowerCase());
    const found = this.messages.find(match);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('mail', listener);
        const got = this.messages.map((m) => `${m.n} ${m.to.join(',')}: ${m.subject}`);
        reject(
          new Error(`no mail to ${to} after #${since}; received: ${got.join(' | ') || 'none'}`),
        );
      }, timeoutMs);
      const listener = (m: CaughtMail) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.off('mail', listener);
        resolve(m);
      };
      this.on('mail', listener);
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.smtp.close(() => resolve()));
    await new Promise<void>((resolve) =>
      this.page ? this.page.close(() => resolve()) : resolve(),
    );
  }

  private async keep(
    raw: string,
    session: { envelope: { mailFrom: { address: string } | false; rcptTo: { address: string }[] } },
  ): Promise<void> {
    const parsed = parseReceivedMail(raw);
    const mail: CaughtMail = {
      n: this.messages.length + 1,
      at: new Date(),
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      subject: parsed.subject,
      text: parsed.text,
      raw,
    };
    if (this.dir) {
      const stamp = mail.at.toISOString().replace(/[:.]/g, '-');
      await writeFile(join(this.dir, `${stamp}-${mail.n}.eml`), raw);
    }
    this.messages.push(mail);
    this.emit('mail', mail);
  }

  private async servePage(port: number): Promise<void> {
    const page = createHttpServer((req, res) => {
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(renderInbox(this.messages));
    });
    // The page's usual port may be taken (another demo site on this machine): any free port
    // then, since the start prints where the page is.
    await listenOn(page, port).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || port === 0) throw err;
      return listenOn(page, 0);
    });
    this.page = page;
  }
}

/** Listens on 127.0.0.1, refusing (not throwing later) when the port cannot be had. */
function listenOn(server: ReturnType<typeof createHttpServer>, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The demo's inbox: newest first, links clickable (escaped first, so only real URLs link). */
function renderInbox(messages: readonly CaughtMail[]): string {
  const items = [...messages]
    .reverse()
    .map((m) => {
      const body = escapeHtml(m.text).replace(
        /https?:\/\/[^\s<&]+(?:&amp;[^\s<&]+)*/g,
        (url) => `<a href="${url}">${url}</a>`,
      );
      return `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to.join(', '))}, ${m.at.toISOString()}</p><pre>${body}</pre></article>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo mail</title>
<style>body{font:16px system-ui,sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem}pre{white-space:pre-wrap}article{border-bottom:1px solid #ccc}</style>
</head><body><h1>The demo's outgoing mail</h1><p>${messages.length} message(s). Reload to see new ones.</p>${items}</body></html>`;
}
