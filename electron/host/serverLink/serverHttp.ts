import type { HttpMethod } from '../../../shared/api/contract';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CertificatePinError, PinnedAgent, parseFingerprint } from './certificatePin';

/**
 * The host's one HTTP client for the RTCC server. Node's own http/https rather than fetch, because
 * certificate pinning needs a hook into the TLS handshake that fetch does not offer; the event
 * feed's WebSocket uses the same agent, so both are pinned alike.
 */

export interface ServerHttpOptions {
  /** e.g. https://rtcc.example.org:7400 or http://127.0.0.1:7400 */
  readonly baseUrl: string;
  /** SHA-256 of the server certificate (hex); only with https. */
  readonly certSha256?: string | undefined;
  /** Per request; a held request longer than this counts as the server being unreachable. */
  readonly timeoutMs?: number;
}

export interface ServerReply {
  readonly status: number;
  readonly body: unknown;
}

/** A request body sent as is (a clip's MP4), not as JSON. */
export interface RawBody {
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** A reply whose body is passed on as it comes (media), not read as JSON. */
export interface ServerStream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** The bytes; the caller reads it to the end or destroys it. */
  readonly body: IncomingMessage;
}

/** The server could not be reached, or did not answer in time. */
export class ServerUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerUnreachableError';
  }
}

/** Replies are JSON of at most a few MB (100,000 cameras); larger is refused. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export class ServerHttp {
  readonly baseUrl: URL;
  /** Shared with the event feed's WebSocket. */
  readonly agent: HttpAgent | HttpsAgent;
  readonly pinned: boolean;
  private readonly timeoutMs: number;

  constructor(options: ServerHttpOptions) {
    this.baseUrl = new URL(options.baseUrl);
    if (!['http:', 'https:'].includes(this.baseUrl.protocol)) {
      throw new Error('WF_SERVER_URL is an http:// or https:// URL');
    }
    this.timeoutMs = options.timeoutMs ?? 15_000;
    const secure = this.baseUrl.protocol === 'https:';
    if (options.certSha256) {
      if (!secure) throw new Error('WF_SERVER_CERT_SHA256 pins an https:// server only');
      this.agent = new PinnedAgent(parseFingerprint(options.certSha256));
      this.pinned = true;
    } else {
      this.agent = secure
        ? new HttpsAgent({ keepAlive: true })
        : new HttpAgent({ keepAlive: true });
      this.pinned = false;
    }
  }

  /** ws:// or wss:// URL of a server path. */
  webSocketUrl(path: string): string {
    const url = new URL(path, this.baseUrl);
    url.protocol = this.baseUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  /**
   * Sends a request and reads a JSON reply of any status. Throws ServerUnreachableError when no
   * reply came (refused, reset, timed out, certificate refused).
   */
  request(
    method: HttpMethod,
    path: string,
    options: { readonly body?: unknown; readonly raw?: RawBody; readonly bearer?: string } = {},
  ): Promise<ServerReply> {
    const url = new URL(path, this.baseUrl);
    const payload = options.raw
      ? options.raw.bytes
      : options.body === undefined
        ? null
        : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = options.raw?.contentType ?? 'application/json';
      headers['content-length'] = String(payload.byteLength);
    }
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ServerReply>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, timeout: this.timeoutMs });
      req.on('timeout', () => req.destroy(new Error('the server did not answer in time')));
      req.on('error', (err) => reject(unreachable(err)));
      req.on('response', (res) => {
        readJson(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, body }),
          (err: unknown) => reject(unreachable(err)),
        );
      });
      req.end(payload ?? undefined);
    });
  }

  /**
   * A GET whose reply body is streamed to the caller (tip media): only the listed request
   * headers are sent (Range), and `signal` aborts it when the console stops reading. Throws
   * ServerUnreachableError when no reply came.
   */
  stream(
    path: string,
    options: {
      readonly bearer: string;
      readonly headers?: Readonly<Record<string, string>>;
      readonly signal?: AbortSignal;
    },
  ): Promise<ServerStream> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = {
      ...options.headers,
      authorization: `Bearer ${options.bearer}`,
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ServerStream>((resolve, reject) => {
      const req = send(url, {
        method: 'GET',
        headers,
        agent: this.agent,
        timeout: this.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      req.on('timeout', () => req.destroy(new Error('the server did not answer in time')));
      req.on('error', (err) => reject(unreachable(err)));
      req.on('response', (res) => {
        // The timeout guards the wait for an answer; a long video may take its time to read.
        req.setTimeout(0);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function unreachable(err: unknown): ServerUnreachableError {
  if (err instanceof ServerUnreachableError) return err;
  if (err instanceof CertificatePinError)
    return new ServerUnreachableError(err.message, { cause: err });
  const detail = err instanceof Error ? err.message : String(err);
  return new ServerUnreachableError(`The RTCC server cannot be reached (${detail}).`, {
    cause: err,
  });
}

function readJson(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_REPLY_BYTES) {
        res.destroy(new Error('the reply is too large'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.length === 0) return resolve(null);
      try {
        resolve(JSON.parse(text));
      } catch {
        // A proxy's HTML error page: keep the status, drop the body.
        resolve(null);
      }
    });
  });
}
