import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import { z } from 'zod';
import { EventStreamMessageSchema, type ServerEvent } from '../../../shared/api/events';
import type { FeedState } from '../../../shared/api/views';
import type { ServerHttp } from '../serverLink/serverHttp';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from '../../../shared/time/backoff';
import { systemClock, type Clock } from '../../../shared/time/clock';

export interface EventFeedOptions {
  readonly server: ServerHttp;
  /** A current access token; throws when the session is over. */
  readonly bearer: () => Promise<string>;
  readonly onEvent: (event: ServerEvent) => void;
  readonly onState?: (state: FeedState) => void;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly backoff?: BackoffPolicy;
}

const HealthSchema = z.object({ lastEventId: z.number().int().nonnegative() });

/**
 * One WebSocket to the server's event stream for the whole session. It resumes with
 * `?after=<last id delivered>` after any drop (a server restart, a network blip, a token that
 * expired), so consumers see every event once, in order: no gap, no duplicate. Reconnects are
 * paced by `tick()`, with backoff.
 */
export class EventFeed {
  private readonly server: ServerHttp;
  private readonly bearer: () => Promise<string>;
  private readonly onEvent: (event: ServerEvent) => void;
  private readonly onState: (state: FeedState) => void;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly backoff: BackoffPolicy;
  private socket: WebSocket | null = null;
  private status: FeedState['status'] = 'idle';
  private lastId = 0;
  private attempt = 0;
  private retryAt: number | null = null;
  private running = false;
  private connecting = false;
  /** Whether lastId is a real position (given, or the server's head); never guess 0. */
  private headKnown = false;

  constructor(options: EventFeedOptions) {
    this.server = options.server;
    this.bearer = options.bearer;
    this.onEvent = options.onEvent;
    this.onState = options.onState ?? (() => undefined);
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'event-feed' });
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get state(): FeedState {
    return { status: this.status, lastEventId: this.lastId };
  }

  get lastEventId(): number {
    return this.lastId;
  }

  /**
   * Starts delivering events after `after`; without it, from the server's newest event (a console
   * that just signed in wants what happens from now on; history is `events.since`).
   */
  async start(after?: number): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (after !== undefined) {
      this.lastId = after;
      this.headKnown = true;
    } else if (!(await this.learnHead())) {
      // Starting from 0 would replay all history: wait for the retry instead.
      this.scheduleRetry('the server is not answering');
      return;
    }
    await this.connect();
  }

  stop(): void {
    this.running = false;
    this.retryAt = null;
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.on('error', () => undefined);
    socket?.terminate();
    this.setStatus('idle');
  }

  /** Reconnects when a retry is due. */
  async tick(): Promise<void> {
    if (!this.running || this.socket || this.connecting) return;
    if (this.retryAt === null || this.retryAt > this.clock.now()) return;
    if (!this.headKnown && !(await this.learnHead())) {
      this.scheduleRetry('the server is not answering');
      return;
    }
    await this.connect();
  }

  private async learnHead(): Promise<boolean> {
    const reply = await this.server.request('GET', '/v1/health').catch(() => null);
    const head = reply ? HealthSchema.safeParse(reply.body) : null;
    if (!head?.success) return false;
    this.lastId = head.data.lastEventId;
    this.headKnown = true;
    return true;
  }

  private setStatus(status: FeedState['status']): void {
    if (this.status === status) return;
    this.status = status;
    this.onState(this.state);
  }

  private scheduleRetry(reason: string): void {
    if (!this.running) return;
    this.attempt += 1;
    this.retryAt = this.clock.now() + backoffDelay(this.backoff, this.attempt);
    this.log.warn({ reason, attempt: this.attempt }, 'event stream down: will resume');
    this.setStatus('reconnecting');
  }

  private async connect(): Promise<void> {
    if (!this.running || this.socket || this.connecting) return;
    this.connecting = true;
    this.retryAt = null;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = await this.bearer();
    } catch (err) {
      this.connecting = false;
      this.scheduleRetry(err instanceof Error ? err.message : 'no session');
      return;
    }
    if (!this.running) {
      this.connecting = false;
      return;
    }
    const url = this.server.webSocketUrl(`/v1/events/stream?after=${this.lastId}`);
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      agent: this.server.agent,
      maxPayload: 1024 * 1024,
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    this.connecting = false;
    socket.on('open', () => this.setStatus('replaying'));
    socket.on('message', (data) => this.receive(data));
    socket.on('error', (err) => {
      this.log.debug({ err: err.message }, 'event stream error');
      // 400: the server has no event as new as this position (its database was restored or
      // replaced). Retrying it would be refused forever: start again from the server's newest.
      if (/Unexpected server response: 400\b/.test(err.message)) this.headKnown = false;
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry('the event stream closed');
    });
  }

  private receive(data: WebSocket.RawData): void {
    let parsed: z.infer<typeof EventStreamMessageSchema>;
    try {
      parsed = EventStreamMessageSchema.parse(JSON.parse(String(data)));
    } catch {
      this.log.warn('an event stream message was not understood');
      return;
    }
    if (parsed.kind === 'live') {
      this.attempt = 0;
      this.setStatus('live');
      return;
    }
    // A resume may overlap what was already delivered; ids make that harmless.
    if (parsed.event.id <= this.lastId) return;
    this.lastId = parsed.event.id;
    try {
      this.onEvent(parsed.event);
    } catch (err) {
      this.log.error({ err }, 'an event consumer failed');
    }
  }
}
