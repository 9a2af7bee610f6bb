import { createServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import {
  serveMediaHttp,
  type MediaRequestHandler,
  type NodeRequest,
  type NodeResponse,
} from './mediaHttp';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_MEDIA_SOCKET_MESSAGE_BYTES, MEDIA_SOCKET_PATH } from '../../../shared/api/mediaSocket';
import { serveMediaSocket } from './mediaSocket';
import { makeSelfSignedCert } from './selfSignedCert';

/**
 * A small HTTP server for media: HTTP/2 over TLS with a certificate made at start (the choice for
 * walls in a browser, see docs/decisions/0010-media-over-http2.md), or plain HTTP/1.1 (tools such
 * as ffprobe, and one-source testing). Other routes can be added with `fallback`.
 */

export type MediaTransport = 'h2' | 'h1';

export interface MediaServerOptions {
  readonly gateway: MediaRequestHandler;
  readonly transport?: MediaTransport;
  readonly host?: string;
  readonly port?: number;
  readonly prefix?: string;
  /**
   * Also answer media over a WebSocket at /media-socket (shared/api/mediaSocket.ts), for pages
   * served by `fallback` from this same origin.
   */
  readonly mediaSocket?: boolean;
  /** Called for requests outside the media prefix; answers 404 when absent. */
  readonly fallback?: (req: NodeRequest, res: NodeResponse) => void | Promise<void>;
}

export interface MediaServer {
  /** Origin, e.g. https://127.0.0.1:7420 */
  readonly origin: string;
  readonly transport: MediaTransport;
  readonly prefix: string;
  /** base64 SHA-256 of the certificate's public key (h2 only), for Chromium's SPKI allow-list. */
  readonly spkiSha256: string | null;
  close(): Promise<void>;
}

export async function startMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  const transport = options.transport ?? 'h2';
  const host = options.host ?? '127.0.0.1';
  const prefix = options.prefix ?? '/media/';
  const handle = (req: NodeRequest, res: NodeResponse): void => {
    void (async () => {
      if (await serveMediaHttp(options.gateway, req, res, prefix)) return;
      if (options.fallback) return options.fallback(req, res);
      (res as NodeResponse).writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  let server: Server | Http2SecureServer;
  let spkiSha256: string | null = null;
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  if (transport === 'h2') {
    const cert = makeSelfSignedCert();
    spkiSha256 = cert.spkiSha256;
    const secure = createSecureServer(
      {
        key: cert.keyPem,
        cert: cert.certPem,
        allowHTTP1: true,
        // A wall holds two requests per tile open at once (playlist and part).
        settings: { maxConcurrentStreams: 1000 },
      },
      handle,
    );
    secure.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
    server = secure;
  } else {
    server = createServer(handle);
  }
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = transport === 'h2' ? 'https' : 'http';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const origin = `${scheme}://${hostPart}:${port}`;

  const wss = options.mediaSocket
    ? new WebSocketServer({ noServer: true, maxPayload: MAX_MEDIA_SOCKET_MESSAGE_BYTES })
    : null;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://media.invalid').pathname;
    // Only this origin's own pages: a page elsewhere must not read the media (CSWSH).
    if (!wss || path !== MEDIA_SOCKET_PATH || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      serveMediaSocket(ws, (mediaPath, query, signal) =>
        options.gateway.handleMediaRequest(mediaPath, query, signal),
      );
    });
  });

  return {
    origin,
    transport,
    prefix,
    spkiSha256,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss?.clients ?? []) ws.terminate();
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
