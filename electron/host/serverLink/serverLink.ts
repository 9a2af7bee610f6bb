import type { Logger } from 'pino';
import { RefreshReplySchema } from '../../../shared/api/auth';
import type { Clock } from '../../../shared/time/clock';
import { HostCallError } from '../calls/hostCallError';
import { backoffDelay, type BackoffPolicy } from '../../../shared/time/backoff';
import { replyMessage } from './serverErrors';
import type { HttpMethod } from '../../../shared/api/contract';
import {
  ServerUnreachableError,
  type ServerHttp,
  type RawBody,
  type ServerReply,
  type ServerStream,
} from './serverHttp';

/** The tokens of one signed-in session. Only the link sends the access token anywhere. */
export interface LinkTokens {
  readonly access: string;
  /** 0 when there is no access token yet (after a restart). */
  readonly accessExpiresAt: number;
  readonly refresh: string;
  readonly refreshExpiresAt: number;
  readonly sessionId: string;
}

/** The server could not be reached: when the link tries again, and why it stopped. */
export interface LinkOffline {
  readonly attempt: number;
  /** null while a retry is under way. */
  readonly retryAt: number | null;
  readonly message: string;
}

/** What the link tells the session it serves. */
export interface LinkOwner {
  /** The server says the session is over; returns the sentence the person is shown. */
  ended(message: string): Promise<string>;
  /** The tokens were renewed: keep the new refresh token (it alone survives a restart). */
  renewed(): Promise<void>;
  /** The link went offline, is retrying, or is back. */
  changed(): void;
  /** The server answered an authenticated request. */
  contacted(): void;
}

export interface ServerLinkOptions {
  readonly server: ServerHttp;
  readonly tokens: LinkTokens;
  readonly owner: LinkOwner;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Refresh the access token this long before it expires. */
  readonly refreshMarginMs: number;
  readonly backoff: BackoffPolicy;
}

/**
 * One signed-in session's link to the RTCC server: every authenticated request goes through it.
 * It holds the tokens, swaps the refresh token for a new pair ahead of the access token's expiry
 * (and once more when the server answers 401), and when the server cannot be reached it goes
 * offline and tries again with backoff on each `tick()`. What a person may do (signed in, locked)
 * is the session's to decide; the link is made at sign-in and closed when the session ends.
 */
export class ServerLink {
  private readonly server: ServerHttp;
  private readonly owner: LinkOwner;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly refreshMarginMs: number;
  private readonly backoff: BackoffPolicy;
  private current: LinkTokens;
  private down: LinkOffline | null = null;
  private refreshing: Promise<void> | null = null;
  private closed = false;

  constructor(options: ServerLinkOptions) {
    this.server = options.server;
    this.current = options.tokens;
    this.owner = options.owner;
    this.clock = options.clock;
    this.log = options.logger.child({ component: 'server-link' });
    this.refreshMarginMs = options.refreshMarginMs;
    this.backoff = options.backoff;
  }

  get offline(): LinkOffline | null {
    return this.down;
  }

  get sessionId(): string {
    return this.current.sessionId;
  }

  /** The refresh token's expiry, which is the end of the shift. */
  get refreshExpiresAt(): number {
    return this.current.refreshExpiresAt;
  }

  /** What a restart needs to pick the session up again; never the access token. */
  kept(): {
    readonly sessionId: string;
    readonly refreshToken: string;
    readonly expiresAt: number;
  } {
    const t = this.current;
    return { sessionId: t.sessionId, refreshToken: t.refresh, expiresAt: t.refreshExpiresAt };
  }

  /** Stops the link; anything still in flight is answered as signed out. */
  close(): void {
    this.closed = true;
  }

  /** Closes the link and, while its access token is live, ends the session on the server too. */
  async logout(): Promise<void> {
    this.closed = true;
    const t = this.current;
    if (t.access && t.accessExpiresAt > this.clock.now()) {
      await this.server
        .request('POST', '/v1/auth/logout', { bearer: t.access })
        .catch(() => undefined);
    } else {
      // No live access token: spending the refresh token ends nothing, so the server's idle
      // and shift limits end the session instead.
    }
  }

  /**
   * An authenticated request. Refreshes the access token when it is due, and once more if the
   * server answers 401; a second 401 means the session is over. Throws HostCallError with
   * `signed_out` or `offline`; any other status is the caller's to read.
   */
  async request(
    method: HttpMethod,
    path: string,
    options: { readonly body?: unknown; readonly raw?: RawBody } = {},
  ): Promise<ServerReply> {
    if (this.closed) throw new HostCallError('signed_out', 'Sign in first.');
    if (this.down) throw new HostCallError('offline', this.down.message);
    const send = async (): Promise<ServerReply> => {
      const bearer = await this.bearer();
      try {
        return await this.server.request(method, path, { ...options, bearer });
      } catch (err) {
        throw this.wentOffline(err);
      }
    };
    let reply = await send();
    if (reply.status === 401) {
      await this.refresh();
      reply = await send();
      if (reply.status === 401) {
        throw await this.ended(replyMessage(reply.body, 'The session has ended: sign in again.'));
      }
    }
    this.owner.contacted();
    return reply;
  }

  /**
   * An authenticated GET whose reply body is streamed (tip media), with the same refresh and
   * retry on 401 as `request`. The caller reads the body to the end or destroys it.
   */
  async stream(
    path: string,
    options: { readonly headers?: Readonly<Record<string, string>>; readonly signal?: AbortSignal },
  ): Promise<ServerStream> {
    if (this.closed) throw new HostCallError('signed_out', 'Sign in first.');
    if (this.down) throw new HostCallError('offline', this.down.message);
    const send = async (): Promise<ServerStream> => {
      const bearer = await this.bearer();
      try {
        return await this.server.stream(path, { ...options, bearer });
      } catch (err) {
        if (options.signal?.aborted) throw new HostCallError('failed', 'The request was stopped.');
        throw this.wentOffline(err);
      }
    };
    let reply = await send();
    if (reply.status === 401) {
      reply.body.resume();
      await this.refresh();
      reply = await send();
      if (reply.status === 401) {
        reply.body.resume();
        throw await this.ended('The session has ended: sign in again.');
      }
    }
    this.owner.contacted();
    return reply;
  }

  /** A current access token, for the event feed's WebSocket. Never passed to the renderer. */
  async bearer(): Promise<string> {
    if (this.closed) throw new HostCallError('signed_out', 'Sign in first.');
    if (this.due(this.clock.now())) await this.refresh();
    const token = this.closed ? '' : this.current.access;
    if (!token) throw new HostCallError('signed_out', 'Sign in first.');
    return token;
  }

  /** Renews the access token if it is due and the server is reachable (after an unlock). */
  async renewIfDue(): Promise<void> {
    if (!this.down && this.due(this.clock.now())) await this.refresh();
  }

  /**
   * What time does to the link: while offline, the next retry when it is due; otherwise a
   * refresh ahead of the access token's expiry (none before the first token after a restart).
   */
  async tick(now: number): Promise<void> {
    if (this.closed) return;
    if (this.down) {
      await this.retry(this.down);
      return;
    }
    if (this.current.accessExpiresAt > 0 && this.due(now)) await this.refresh();
  }

  private due(now: number): boolean {
    return this.current.accessExpiresAt - this.refreshMarginMs <= now;
  }

  /** Swaps the refresh token for a new pair; one swap at a time, however many callers wait. */
  private refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    if (this.closed) throw new HostCallError('signed_out', 'Sign in first.');
    let reply: ServerReply;
    try {
      reply = await this.server.request('POST', '/v1/auth/refresh', {
        body: { refreshToken: this.current.refresh },
      });
    } catch (err) {
      throw this.wentOffline(err);
    }
    if (this.closed) throw new HostCallError('signed_out', 'Sign in first.');
    if (reply.status === 401 || reply.status === 400) {
      throw await this.ended(replyMessage(reply.body, 'The session has ended: sign in again.'));
    }
    if (reply.status !== 200) {
      throw new HostCallError(
        'failed',
        replyMessage(reply.body, 'The session could not be renewed.'),
      );
    }
    const next = RefreshReplySchema.parse(reply.body);
    this.current = {
      access: next.accessToken,
      accessExpiresAt: Date.parse(next.accessTokenExpiresAt),
      refresh: next.refreshToken,
      refreshExpiresAt: Date.parse(next.refreshTokenExpiresAt),
      sessionId: next.sessionId,
    };
    await this.owner.renewed();
  }

  private async ended(message: string): Promise<HostCallError> {
    return new HostCallError('signed_out', await this.owner.ended(message));
  }

  private wentOffline(err: unknown): HostCallError {
    if (!(err instanceof ServerUnreachableError)) {
      return new HostCallError('failed', 'The request to the RTCC server failed.');
    }
    if (!this.closed && !this.down) {
      this.down = {
        attempt: 0,
        retryAt: this.clock.now() + backoffDelay(this.backoff, 1),
        message: err.message,
      };
      this.log.warn({ reason: err.message }, 'server unreachable: retrying with backoff');
      this.owner.changed();
    }
    return new HostCallError('offline', err.message);
  }

  private async retry(offline: LinkOffline): Promise<void> {
    const now = this.clock.now();
    if (offline.retryAt === null || offline.retryAt > now) return;
    this.down = { ...offline, retryAt: null };
    this.owner.changed();
    const attempt = offline.attempt + 1;
    try {
      const health = await this.server.request('GET', '/v1/health');
      if (health.status !== 200) throw new ServerUnreachableError('The RTCC server is not ready.');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!this.closed) {
        this.down = {
          attempt,
          retryAt: this.clock.now() + backoffDelay(this.backoff, attempt + 1),
          message,
        };
        this.owner.changed();
      }
      return;
    }
    if (this.closed) return;
    this.down = null;
    this.log.info({ attempts: attempt }, 'server reachable again');
    if (this.current.accessExpiresAt > 0 && this.due(now)) {
      await this.refresh().catch(() => undefined);
    }
    this.owner.changed();
  }
}
