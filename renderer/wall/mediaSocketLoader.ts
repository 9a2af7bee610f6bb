import type {
  HlsConfig,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderStats,
} from 'hls.js';
import {
  decodeMediaAnswer,
  type MediaSocketAnswer,
  MEDIA_SOCKET_PATH,
} from '../../shared/api/mediaSocket';

/**
 * hls.js loading playlists and parts over the web host's media socket (shared/api/mediaSocket.ts)
 * rather than one HTTP request each: one socket per page, shared by every tile. URLs that are not
 * the page's own `/media/...` (and byte-range requests, which the gateway never asks for) go to
 * hls.js's own loader.
 */

type AnswerHandler = (answer: MediaSocketAnswer | Error) => void;

/** What a loader needs of the socket; tests give it a fake. */
export interface MediaChannel {
  request(path: string, query: string, onAnswer: AnswerHandler): number;
  cancel(id: number): void;
}

/**
 * One WebSocket, opened on the first request and again on the first request after it closed.
 * Requests made while it connects wait for it; requests in flight when it closes fail (hls.js
 * retries them under its own policy).
 */
export class MediaSocketClient implements MediaChannel {
  private socket: WebSocket | null = null;
  private readonly pending = new Map<number, AnswerHandler>();
  private readonly queued: string[] = [];
  private nextId = 1;

  constructor(private readonly url: string) {}

  request(path: string, query: string, onAnswer: AnswerHandler): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xfffffffe ? 1 : this.nextId + 1;
    this.pending.set(id, onAnswer);
    this.send(JSON.stringify({ id, path, query }));
    return id;
  }

  cancel(id: number): void {
    if (!this.pending.delete(id)) return;
    this.send(JSON.stringify({ cancel: id }));
  }

  private send(message: string): void {
    const socket = this.socket ?? this.connect();
    if (socket.readyState === WebSocket.OPEN) socket.send(message);
    else this.queued.push(message);
  }

  private connect(): WebSocket {
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      for (const message of this.queued.splice(0)) socket.send(message);
    });
    socket.addEventListener('message', (e: MessageEvent) => {
      if (!(e.data instanceof ArrayBuffer)) return;
      const answer = decodeMediaAnswer(e.data);
      if (!answer) return;
      const handler = this.pending.get(answer.id);
      if (!handler) return;
      this.pending.delete(answer.id);
      handler(answer);
    });
    socket.addEventListener('close', () => {
      if (this.socket === socket) this.socket = null;
      this.queued.length = 0;
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const handler of failed) handler(new Error('the media socket closed'));
    });
    return socket;
  }
}

/** The socket's URL for a page served by the web host. */
export function mediaSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${MEDIA_SOCKET_PATH}`;
}

function newStats(): LoaderStats {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

type LoaderClass = new (config: HlsConfig) => Loader<LoaderContext>;

/**
 * A loader class for hls.js's `loader` setting, bound to a channel. `fallback` loads what the
 * channel does not carry (hls.js's own default loader).
 */
export function mediaSocketLoader(
  channel: MediaChannel,
  origin: string,
  fallback: LoaderClass,
): LoaderClass {
  return class MediaSocketLoader implements Loader<LoaderContext> {
    context: LoaderContext | null = null;
    stats: LoaderStats = newStats();
    private callbacks: LoaderCallbacks<LoaderContext> | null = null;
    private requestId: number | null = null;
    private timer: ReturnType<typeof setTimeout> | null = null;
    private delegate: Loader<LoaderContext> | null = null;
    private contentType: string | null = null;
    /**
     * The absolute URL, as a browser reports a response's URL: hls.js resolves the playlist's
     * URIs against it and adds its delivery directives (`_HLS_msn`) to it, neither of which works
     * on the relative URL it may have been given.
     */
    private responseUrl = '';

    constructor(private readonly hlsConfig: HlsConfig) {}

    load(
      context: LoaderContext,
      config: LoaderConfiguration,
      callbacks: LoaderCallbacks<LoaderContext>,
    ): void {
      // hls.js passes the manifest URL as it was given, which may be relative to the page.
      const url = new URL(context.url, origin);
      // hls.js sets rangeStart/rangeEnd to 0 on every fragment; a range is asked for only when
      // rangeEnd is set (as its own loaders read it).
      const ranged = Boolean(context.rangeEnd);
      if (url.origin !== origin || !url.pathname.startsWith('/media/') || ranged) {
        const delegate = new fallback(this.hlsConfig);
        this.delegate = delegate;
        this.stats = delegate.stats;
        this.context = context;
        delegate.load(context, config, callbacks);
        return;
      }
      this.context = context;
      this.callbacks = callbacks;
      this.responseUrl = url.href;
      this.stats = newStats();
      this.stats.loading.start = performance.now();
      const policy = config.loadPolicy;
      const timeoutMs = Math.max(policy.maxTimeToFirstByteMs, policy.maxLoadTimeMs);
      if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
        this.timer = setTimeout(() => this.timedOut(), timeoutMs);
      }
      this.requestId = channel.request(
        url.pathname.slice('/media/'.length),
        url.search.slice(1),
        (answer) => this.answered(answer),
      );
    }

    abort(): void {
      if (this.delegate) return this.delegate.abort();
      const callbacks = this.callbacks;
      const context = this.context;
      if (!this.stop() || !callbacks || !context) return;
      this.stats.aborted = true;
      callbacks.onAbort?.(this.stats, context, null);
    }

    destroy(): void {
      if (this.delegate) {
        this.delegate.destroy();
        this.delegate = null;
        return;
      }
      this.stop();
      this.callbacks = null;
      this.context = null;
    }

    getCacheAge(): number | null {
      return null;
    }

    getResponseHeader(name: string): string | null {
      if (this.delegate) return this.delegate.getResponseHeader?.(name) ?? null;
      return name.toLowerCase() === 'content-type' ? this.contentType : null;
    }

    /** Ends the request on the socket; false if none was running. */
    private stop(): boolean {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      const id = this.requestId;
      this.requestId = null;
      if (id === null) return false;
      channel.cancel(id);
      return true;
    }

    private timedOut(): void {
      const callbacks = this.callbacks;
      const context = this.context;
      if (!this.stop() || !callbacks || !context) return;
      callbacks.onTimeout(this.stats, context, null);
    }

    private answered(answer: MediaSocketAnswer | Error): void {
      if (this.requestId === null) return;
      this.requestId = null;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      const callbacks = this.callbacks;
      const context = this.context;
      if (!callbacks || !context) return;
      const now = performance.now();
      const stats = this.stats;
      stats.loading.first = Math.max(stats.loading.start, now);
      stats.loading.end = stats.loading.first;
      if (answer instanceof Error) {
        callbacks.onError({ code: 0, text: answer.message }, context, null, stats);
        return;
      }
      this.contentType = answer.contentType;
      if (answer.status < 200 || answer.status >= 300) {
        const text = new TextDecoder().decode(answer.body);
        callbacks.onError({ code: answer.status, text }, context, null, stats);
        return;
      }
      stats.loaded = stats.total = answer.body.byteLength;
      stats.chunkCount = 1;
      // hls.js hands fragment data to its worker by transfer: give it a buffer of its own.
      const data =
        context.responseType === 'arraybuffer'
          ? answer.body.slice().buffer
          : new TextDecoder().decode(answer.body);
      callbacks.onSuccess(
        { url: this.responseUrl, data, code: answer.status },
        stats,
        context,
        null,
      );
    }
  };
}
