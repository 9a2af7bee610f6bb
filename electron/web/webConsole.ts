import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  MAX_RPC_MESSAGE_BYTES,
  RPC_PATH,
  RpcRequestSchema,
  type CallOutcome,
  type CallName,
  type RpcServerMessage,
} from '../../shared/api/watchfloorApi';
import { type MapTiles } from '../../shared/api/console';
import { MAX_MEDIA_SOCKET_MESSAGE_BYTES, MEDIA_SOCKET_PATH } from '../../shared/api/mediaSocket';
import type { ConsoleConnection } from '../host/console/consoleConnection';
import { ConsoleHost } from '../host/console/consoleHost';
import {
  errorResponse,
  serveMediaHttp,
  serveMediaSocket,
  type MediaResponse,
} from '../host/gateway/index';
import type { NodeRequest, NodeResponse } from '../host/gateway/mediaHttp';
import type { BackoffPolicy } from '../../shared/time/backoff';
import type { Clock } from '../../shared/time/clock';
import { MemorySecretStore } from '../host/session/secretStore';
import type { GatewayPort } from '../host/views/viewManager';
import { SECURITY_HEADERS, securityHeaders } from './securityHeaders';
import { mapTilesImageSource } from '../host/console/mapTiles';
import { readStaticFile } from '../host/console/staticFiles';

/** What the media route needs besides what views use. */
export interface WebGateway extends GatewayPort {
  handleMediaRequest(
    path: string,
    query: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<MediaResponse>;
}

export interface WebConsoleOptions {
  readonly host: string;
  readonly port: number;
  readonly serverUrl: string;
  readonly certSha256?: string | undefined;
  readonly gateway: WebGateway;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** HTTP/2 over TLS when given (the default in main.ts); plain HTTP/1.1 otherwise. */
  readonly tls?: { readonly keyPem: string; readonly certPem: string } | null;
  readonly version: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly idleLockMinutes?: number;
  readonly wallPlaysWhenLocked?: boolean;
  /** The basemap's tile source (WF_MAP_TILES): given to the renderer and allowed by the CSP. */
  readonly mapTiles?: MapTiles | null;
  readonly backoff?: BackoffPolicy;
  /** How often sessions, feeds and grants are ticked. */
  readonly tickMs?: number;
  /** Origins besides the console's own that may open /rpc (a Vite dev server). */
  readonly extraOrigins?: readonly string[];
}

export interface WebConsole {
  readonly origin: string;
  readonly transport: 'h2' | 'h1';
  /** Open RPC connections (each is its own session). */
  connections(): number;
  /** Ticks every session now (tests). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Calls one tab may have in flight at once; more is a runaway page, not a person. */
const MAX_IN_FLIGHT = 64;
const MEDIA_PREFIX = '/media/';
const TIP_MEDIA_PREFIX = '/tip-media/';

interface Tab {
  readonly host: ConsoleHost;
  readonly connection: ConsoleConnection;
}

function notFound(
  res: NodeResponse,
  text = 'not found',
  headers: Readonly<Record<string, string>> = SECURITY_HEADERS,
): void {
  (res as ServerResponse).writeHead(404, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(`${text}\n`);
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Watchfloor</title></head>
<body><h1>Watchfloor</h1><p>The console has not been built yet: run <code>npm run build</code>
(or <code>npm start</code>, which builds it) and reload.</p></body></html>`;

/**
 * The web console: the built renderer, the WatchfloorApi over a WebSocket at /rpc, and the
 * gateway's media under /media/, all on one origin. Each WebSocket is its own backend session,
 * so people at different browsers never share one, and a tab's media URLs
 * (`/media/<tab key>/<media id>/...`, `/tip-media/<tab key>/<grant token>/...`) serve only the
 * media that tab opened.
 *
 * Served over HTTP/2 with TLS by default, because a wall of LL-HLS tiles holds two blocking
 * requests per tile and HTTP/1.1 gives a page six connections per origin
 * (docs/decisions/0010-web-console-transport.md). HTTP/1.1 is still accepted on the same port for
 * the WebSocket upgrade and for clients without HTTP/2.
 */
export async function startWebConsole(options: WebConsoleOptions): Promise<WebConsole> {
  const mapTiles = options.mapTiles ?? null;
  // The page may also load the configured map tiles.
  const tls = options.tls ?? null;
  const pageHeaders = securityHeaders(
    mapTiles ? [mapTilesImageSource(mapTiles.urlTemplate)] : [],
    tls !== null,
  );
  const log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'web-console' });
  const tabs = new Map<string, Tab>();
  const transport = tls ? 'h2' : 'h1';
  let origin = '';

  const handle = (req: NodeRequest, res: NodeResponse): void => {
    void route(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) (res as ServerResponse).writeHead(500, pageHeaders);
      res.end();
    });
  };

  const route = async (req: NodeRequest, res: NodeResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    if (url.pathname.startsWith(MEDIA_PREFIX)) return media(req, res, url.pathname);
    if (url.pathname.startsWith(TIP_MEDIA_PREFIX)) return tipMedia(req, res, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      (res as ServerResponse).writeHead(405, { ...pageHeaders, allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (url.pathname === '/healthz') {
      (res as ServerResponse).writeHead(200, {
        ...pageHeaders,
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify({ ok: true, transport }));
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        (res as ServerResponse).writeHead(200, {
          ...pageHeaders,
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(NOT_BUILT);
        return;
      }
      return notFound(res, 'not found', pageHeaders);
    }
    (res as ServerResponse).writeHead(file.status, {
      ...pageHeaders,
      'content-type': file.contentType,
      'content-length': file.body.byteLength,
      'cache-control': file.cacheControl,
    });
    if (req.method === 'HEAD') res.end();
    else res.end(file.body);
  };

  /** The tab a media path `<tab key>/<media id>/<name>` belongs to, if that tab opened the media. */
  const mediaOwner = (path: string): { key: string; rest: string } | null => {
    const slash = path.indexOf('/');
    const key = slash > 0 ? path.slice(0, slash) : '';
    const rest = path.slice(slash + 1);
    const tab = tabs.get(key);
    const mediaId = rest.split('/')[0] ?? '';
    return tab && tab.host.ownsMedia(mediaId) ? { key, rest } : null;
  };

  /** `/media/<tab key>/<media id>/<name>`: only the tab that opened the media may read it. */
  const media = async (req: NodeRequest, res: NodeResponse, pathname: string): Promise<void> => {
    const owner = mediaOwner(pathname.slice(MEDIA_PREFIX.length));
    if (!owner) return notFound(res, 'no such media', pageHeaders);
    for (const [name, value] of Object.entries(pageHeaders)) res.setHeader(name, value);
    await serveMediaHttp(options.gateway, req, res, `${MEDIA_PREFIX}${owner.key}/`);
  };

  /**
   * `/tip-media/<tab key>/<grant token>/<n>/<variant>`: one file of a tip's media (or
   * `/tip-media/<tab key>/alert/<alert id>/<n>/original`: an alert's evidence), streamed from
   * the server through the session of the tab that opened the grant
   * (electron/host/console/tipMedia.ts). As with camera media, the tab's key is part of the URL:
   * a grant's token alone, seen by another tab or browser, opens nothing.
   */
  const tipMedia = async (req: NodeRequest, res: NodeResponse, pathname: string): Promise<void> => {
    if (req.method !== 'GET') {
      (res as ServerResponse).writeHead(405, { ...pageHeaders, allow: 'GET' });
      res.end();
      return;
    }
    const rest = pathname.slice(TIP_MEDIA_PREFIX.length);
    const slash = rest.indexOf('/');
    const tab = slash > 0 ? tabs.get(rest.slice(0, slash)) : undefined;
    const path = rest.slice(slash + 1);
    if (!tab || !tab.host.ownsRecordMedia(path)) return notFound(res, 'no such media', pageHeaders);
    const stop = new AbortController();
    res.on('close', () => stop.abort());
    const range = req.headers.range;
    const answer = await tab.host.tipMedia(
      path,
      typeof range === 'string' ? range : undefined,
      stop.signal,
    );
    (res as ServerResponse).writeHead(answer.status, { ...pageHeaders, ...answer.headers });
    if (typeof answer.body === 'string') {
      res.end(answer.body);
      return;
    }
    const body = answer.body;
    // A reader that goes away stops the server's stream too.
    res.on('close', () => body.destroy());
    body.on('error', () => res.destroy());
    body.pipe(res as NodeJS.WritableStream);
  };

  /** The same media, with the same check, over the media socket. */
  const answerMedia = async (
    path: string,
    query: URLSearchParams,
    signal: AbortSignal,
  ): Promise<MediaResponse> => {
    const owner = mediaOwner(path);
    if (!owner) return errorResponse(404, 'no such media');
    return options.gateway.handleMediaRequest(owner.rest, query, signal);
  };

  let server: Server | Http2SecureServer;
  if (tls) {
    server = createSecureServer(
      {
        key: tls.keyPem,
        cert: tls.certPem,
        allowHTTP1: true,
        // A 6x6 wall holds two requests per tile; leave plenty of room.
        settings: { maxConcurrentStreams: 1000 },
      },
      handle,
    );
  } else {
    server = createServer(handle);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_MESSAGE_BYTES });
  const mediaWss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MEDIA_SOCKET_MESSAGE_BYTES,
  });
  const allowedOrigins = (): Set<string> => {
    const set = new Set<string>([origin, ...(options.extraOrigins ?? [])]);
    const port = new URL(origin).port;
    const scheme = new URL(origin).protocol;
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) set.add(`${scheme}//${name}:${port}`);
    return set;
  };

  // Same-origin WebSockets only: a page elsewhere must not drive a console (CSWSH).
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://console.invalid').pathname;
    const from = req.headers.origin;
    if ((path !== RPC_PATH && path !== MEDIA_SOCKET_PATH) || !from || !allowedOrigins().has(from)) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (path === MEDIA_SOCKET_PATH) {
      mediaWss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', (err) => log.debug({ err: err.message }, 'media socket error'));
        serveMediaSocket(ws, answerMedia);
      });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => openTab(ws));
  });

  const openTab = (ws: WebSocket): void => {
    const key = randomBytes(18).toString('base64url');
    const host = new ConsoleHost({
      serverUrl: options.serverUrl,
      certSha256: options.certSha256,
      secretStore: new MemorySecretStore(),
      gateway: options.gateway,
      shell: 'web',
      version: options.version,
      clock: options.clock,
      logger: log,
      idleLockMinutes: options.idleLockMinutes,
      wallPlaysWhenLocked: options.wallPlaysWhenLocked,
      mapTiles,
      backoff: options.backoff,
      tipMediaRoot: `${TIP_MEDIA_PREFIX}${key}/`,
    });
    const send = (message: RpcServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const connection = host.connect({
      window: 'console',
      mediaRoot: `${MEDIA_PREFIX}${key}/`,
      push: (subscription, payload) => send({ type: 'push', subscription, payload }),
    });
    tabs.set(key, { host, connection });
    let inFlight = 0;
    const reply = (id: number | null, outcome: CallOutcome<CallName>) =>
      send({ type: 'reply', id, outcome });

    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        return reply(null, {
          ok: false,
          error: { code: 'invalid_args', message: 'RPC messages are JSON text.' },
        });
      }
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return reply(null, {
          ok: false,
          error: { code: 'invalid_args', message: 'An RPC message is one JSON object.' },
        });
      }
      const request = RpcRequestSchema.safeParse(raw);
      if (!request.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        return reply(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null, {
          ok: false,
          error: {
            code: 'invalid_args',
            message: 'An RPC message is {"id": number, "call": string, "args": {...}}.',
          },
        });
      }
      const { id, call, args } = request.data;
      if (inFlight >= MAX_IN_FLIGHT) {
        return reply(id, {
          ok: false,
          error: { code: 'conflict', message: 'Too many calls at once: wait for the replies.' },
        });
      }
      inFlight += 1;
      void connection
        .call(call, args)
        .then((outcome) => reply(id, outcome))
        .finally(() => {
          inFlight -= 1;
        });
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'rpc socket error'));
    ws.on('close', () => {
      tabs.delete(key);
      // The refresh token lived only in this tab's memory: end the server session with it.
      void host.close({ signOut: true }).catch(() => undefined);
    });
    void host.start();
  };

  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // TLS servers report raw sockets on 'connection' as well; HTTP/2 sessions sit on top of them.
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`;

  let ticking = false;
  const tickAll = async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      for (const tab of [...tabs.values()]) await tab.host.tick();
    } finally {
      ticking = false;
    }
  };
  const ticker = setInterval(() => void tickAll(), options.tickMs ?? 1_000);
  ticker.unref();

  return {
    origin,
    transport,
    connections: () => tabs.size,
    tick: tickAll,
    async close() {
      clearInterval(ticker);
      for (const ws of wss.clients) ws.terminate();
      for (const ws of mediaWss.clients) ws.terminate();
      await Promise.all(
        [...tabs.values()].map((tab) => tab.host.close({ signOut: true }).catch(() => undefined)),
      );
      tabs.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
