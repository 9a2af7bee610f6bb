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
import { ConsoleHost, type ConnectionOptions } from '../host/console/consoleHost';
import {
  errorResponse,
  serveMediaHttp,
  serveMediaSocket,
  type MediaResponse,
} from '../host/gateway/index';
import type { NodeRequest, NodeResponse } from '../host/gateway/mediaHttp';
import type { BackoffPolicy } from '../../shared/time/backoff';
import { systemClock, type Clock } from '../../shared/time/clock';
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
  /**
   * How long a browser's session outlives its last open tab, and a tab's views its dropped
   * socket, so that a reload or a network blip picks both up again (docs/console.md). Default
   * two minutes.
   */
  readonly reconnectGraceMs?: number;
}

export interface WebConsole {
  readonly origin: string;
  readonly transport: 'h2' | 'h1';
  /** Open RPC connections. */
  connections(): number;
  /** Browser sessions the host holds (one per console cookie), open tabs or not. */
  sessions(): number;
  /** Ticks every session now (tests). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Calls one tab may have in flight at once; more is a runaway page, not a person. */
const MAX_IN_FLIGHT = 64;
const MEDIA_PREFIX = '/media/';
const TIP_MEDIA_PREFIX = '/tip-media/';

/** The console cookie: names the browser's session on this host; never readable by the page. */
export const CONSOLE_COOKIE = 'wf_console';
const DEFAULT_RECONNECT_GRACE_MS = 2 * 60_000;
/** A tab names itself (renderer/bridge/webBridge.ts) so that a dropped socket can take its views back. */
const TAB_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** One browser's session on this host: every tab of it (console and wall windows) shares it. */
interface BrowserSession {
  readonly id: string;
  /** Names the session in its tip media URLs: the page sees it, unlike the cookie. */
  readonly mediaKey: string;
  readonly host: ConsoleHost;
  /** Since when no tab is open, or null while one is. */
  detachedAt: number | null;
}

/** One tab (a window of the console): its connection outlives a dropped socket for a while. */
interface Tab {
  readonly key: string;
  readonly tabId: string | null;
  readonly session: BrowserSession;
  readonly host: ConsoleHost;
  readonly connection: ConsoleConnection;
  socket: WebSocket | null;
  /** Since when the socket is gone, or null while it is open. */
  detachedAt: number | null;
}

/** The console cookie's value in a Cookie header, if well formed. */
export function consoleCookieOf(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== CONSOLE_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{32,64}$/.test(value) ? value : null;
  }
  return null;
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
 * gateway's media under /media/, all on one origin. Each browser has its own backend session,
 * named by an HttpOnly, SameSite=Strict cookie that the RPC socket's handshake sets: its tabs
 * (a reload, a popped-out wall window) share it, people at different browsers never do, and no
 * token ever reaches the page. A session outlives its last tab for `reconnectGraceMs`, and a
 * tab's views its dropped socket as long, so that a reload or a network blip carries on where
 * it was (docs/console.md, "A reload keeps the console"). A tab's media URLs
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
   * `/tip-media/<session key>/<grant token>/<n>/<variant>`: one file of a tip's media (or
   * `/tip-media/<session key>/alert/<alert id>/<n>/original`: an alert's evidence;
   * `/tip-media/<session key>/online-report/<report id>/<n>/original`: an online report's
   * file), streamed from the server through the browser session that opened the grant
   * (electron/host/console/tipMedia.ts). As with camera media, the session's media key (never
   * its cookie) is part of the URL: a grant's token alone, seen by another browser, opens nothing.
   */
  const tipMedia = async (req: NodeRequest, res: NodeResponse, pathname: string): Promise<void> => {
    if (req.method !== 'GET') {
      (res as ServerResponse).writeHead(405, { ...pageHeaders, allow: 'GET' });
      res.end();
      return;
    }
    const rest = pathname.slice(TIP_MEDIA_PREFIX.length);
    const slash = rest.indexOf('/');
    const key = slash > 0 ? rest.slice(0, slash) : '';
    const owner = [...browserSessions.values()].find((b) => b.mediaKey === key);
    const path = rest.slice(slash + 1);
    if (!owner || !owner.host.ownsRecordMedia(path)) {
      return notFound(res, 'no such media', pageHeaders);
    }
    const stop = new AbortController();
    res.on('close', () => stop.abort());
    const range = req.headers.range;
    const answer = await owner.host.tipMedia(
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

  const clock = options.clock ?? systemClock;
  const graceMs = options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS;
  const browserSessions = new Map<string, BrowserSession>();
  /** Handshakes that start a browser session: their answer sets the cookie. */
  const newCookies = new WeakMap<IncomingMessage, string>();

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_MESSAGE_BYTES });
  wss.on('headers', (headers, req) => {
    const id = newCookies.get(req);
    if (!id) return;
    headers.push(
      `Set-Cookie: ${CONSOLE_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`,
    );
  });
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
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const path = url.pathname;
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
    // A cookie this host did not give (another host's, one from before a restart) starts afresh:
    // a page cannot choose its session.
    const known = browserSessions.get(consoleCookieOf(req.headers.cookie) ?? '');
    const session = known ?? newBrowserSession();
    if (!known) newCookies.set(req, session.id);
    const tabId = url.searchParams.get('tab');
    const request: TabRequest = {
      tabId: tabId !== null && TAB_ID.test(tabId) ? tabId : null,
      window: url.searchParams.get('window') === 'wall' ? 'wall' : 'console',
      resume: url.searchParams.get('resume') === '1',
    };
    wss.handleUpgrade(req, socket, head, (ws) => openTab(ws, session, request));
  });

  const newBrowserSession = (): BrowserSession => {
    const id = randomBytes(24).toString('base64url');
    const mediaKey = randomBytes(18).toString('base64url');
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
      tipMediaRoot: `${TIP_MEDIA_PREFIX}${mediaKey}/`,
    });
    const session: BrowserSession = { id, mediaKey, host, detachedAt: null };
    browserSessions.set(id, session);
    void host.start();
    return session;
  };

  /** The tab a reconnecting socket takes back: same session, same tab, its socket gone. */
  const detachedTab = (session: BrowserSession, tabId: string | null): Tab | undefined => {
    if (tabId === null) return undefined;
    for (const tab of tabs.values()) {
      if (tab.session === session && tab.tabId === tabId && tab.socket === null) return tab;
    }
    return undefined;
  };

  const dropTab = async (tab: Tab): Promise<void> => {
    tabs.delete(tab.key);
    await tab.host.disconnect(tab.connection);
  };

  interface TabRequest {
    readonly tabId: string | null;
    readonly window: 'console' | 'wall';
    /** The page is the same as before the socket dropped (its views are still on its tiles). */
    readonly resume: boolean;
  }

  const openTab = (ws: WebSocket, session: BrowserSession, request: TabRequest): void => {
    session.detachedAt = null;
    const earlier = detachedTab(session, request.tabId);
    let tab: Tab;
    if (earlier && request.resume) {
      // A dropped socket: the same page takes its connection, views and media URLs back.
      tab = earlier;
      tab.socket = ws;
      tab.detachedAt = null;
      tab.connection.push('session', tab.host.session.state());
      tab.connection.push('feed', tab.host.feed.state);
    } else {
      // A reload: the page starts again; the tiles it puts back take their views over (their video
      // plays on), and the old page's other views end after the hand-over.
      if (earlier) tabs.delete(earlier.key);
      const key = randomBytes(18).toString('base64url');
      const send = (message: RpcServerMessage): void => {
        const current = tabs.get(key)?.socket;
        if (current && current.readyState === current.OPEN) current.send(JSON.stringify(message));
      };
      tab = {
        key,
        tabId: request.tabId,
        session,
        host: session.host,
        socket: ws,
        detachedAt: null,
        connection: null as unknown as ConsoleConnection,
      };
      tabs.set(key, tab);
      const options: ConnectionOptions = {
        window: request.window,
        mediaRoot: `${MEDIA_PREFIX}${key}/`,
        push: (subscription, payload) => send({ type: 'push', subscription, payload }),
      };
      (tab as { connection: ConsoleConnection }).connection = earlier
        ? session.host.reload(earlier.connection, options)
        : session.host.connect(options);
    }
    serveCalls(ws, tab);
  };

  const serveCalls = (ws: WebSocket, tab: Tab): void => {
    const { connection } = tab;
    const send = (message: RpcServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
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
      if (tab.socket !== ws) return;
      // The tab's views and the browser's session wait a while for the page to come back.
      tab.socket = null;
      tab.detachedAt = clock.now();
      const open = [...tabs.values()].some((t) => t.session === tab.session && t.socket !== null);
      if (!open) tab.session.detachedAt = clock.now();
    });
  };

  /** Ends the tabs and the sessions whose page did not come back in time. */
  const expire = async (): Promise<void> => {
    const now = clock.now();
    for (const tab of [...tabs.values()]) {
      if (tab.detachedAt !== null && now - tab.detachedAt >= graceMs) await dropTab(tab);
    }
    for (const session of [...browserSessions.values()]) {
      if (session.detachedAt === null || now - session.detachedAt < graceMs) continue;
      if ([...tabs.values()].some((t) => t.session === session)) continue;
      browserSessions.delete(session.id);
      // The refresh token lived only in this host's memory: end the server session with it.
      await session.host.close({ signOut: true }).catch(() => undefined);
    }
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
      await expire();
      for (const session of [...browserSessions.values()]) await session.host.tick();
    } finally {
      ticking = false;
    }
  };
  const ticker = setInterval(() => void tickAll(), options.tickMs ?? 1_000);
  ticker.unref();

  return {
    origin,
    transport,
    connections: () => [...tabs.values()].filter((t) => t.socket !== null).length,
    sessions: () => browserSessions.size,
    tick: tickAll,
    async close() {
      clearInterval(ticker);
      for (const ws of wss.clients) ws.terminate();
      for (const ws of mediaWss.clients) ws.terminate();
      await Promise.all(
        [...browserSessions.values()].map((session) =>
          session.host.close({ signOut: true }).catch(() => undefined),
        ),
      );
      tabs.clear();
      browserSessions.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
