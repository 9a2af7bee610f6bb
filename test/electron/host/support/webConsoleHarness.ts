import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  RpcServerMessageSchema,
  type CallError,
  type CallName,
  type RpcServerMessage,
} from '../../../../shared/api/watchfloorApi';
import { type MapTiles } from '../../../../shared/api/console';
import { StreamGateway } from '../../../../electron/host/gateway/index';
import { makeSelfSignedCert } from '../../../../electron/host/gateway/selfSignedCert';
import { startWebConsole, type WebConsole } from '../../../../electron/web/webConsole';
import type { LiveServer } from './liveServer';

export interface WebConsoleHarness {
  readonly web: WebConsole;
  readonly gateway: StreamGateway;
  readonly certPem: string;
  readonly rendererDir: string;
  close(): Promise<void>;
}

/** The web console in front of a live server, over HTTP/2 with a fresh certificate. */
export async function startWebConsoleHarness(
  server: LiveServer,
  options: {
    readonly tls?: boolean;
    readonly rendererDir?: string;
    readonly mapTiles?: MapTiles | null;
  } = {},
): Promise<WebConsoleHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'wf-web-'));
  const rendererDir = options.rendererDir ?? join(dir, 'renderer');
  if (!options.rendererDir) {
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>',
    );
    await writeFile(join(rendererDir, 'assets', 'app-1a2b.js'), 'export const built = true;\n');
  }
  await writeFile(join(dir, 'outside.txt'), 'not to be served\n');
  const cert = makeSelfSignedCert();
  const gateway = new StreamGateway({ dataDir: join(dir, 'gateway'), lingerMs: 100 });
  const web = await startWebConsole({
    host: '127.0.0.1',
    port: 0,
    serverUrl: server.url,
    gateway,
    rendererDir,
    tls: options.tls === false ? null : cert,
    version: 'test',
    clock: server.clock,
    tickMs: 200,
    mapTiles: options.mapTiles ?? null,
  });
  return {
    web,
    gateway,
    certPem: cert.certPem,
    rendererDir,
    async close() {
      await web.close();
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: CallError };

/** A browser tab's side of /rpc, as the renderer's web bridge speaks it. */
export class RpcTestClient {
  /** Every message the host sent, as text: what a secret scan reads. */
  readonly raw: string[] = [];
  readonly pushes: { subscription: string; payload: unknown }[] = [];
  private readonly waiting = new Map<number, (o: Outcome) => void>();
  private readonly nullReplies: Outcome[] = [];
  private nextId = 1;

  private constructor(
    readonly socket: WebSocket,
    /** The Set-Cookie header of the handshake's answer, if it set one. */
    readonly setCookie: string | null = null,
  ) {
    socket.on('message', (data) => {
      const text = String(data);
      this.raw.push(text);
      const msg: RpcServerMessage = RpcServerMessageSchema.parse(JSON.parse(text));
      if (msg.type === 'push') {
        this.pushes.push({ subscription: msg.subscription, payload: msg.payload });
        return;
      }
      const outcome = msg.outcome as Outcome;
      if (msg.id === null) {
        this.nullReplies.push(outcome);
        return;
      }
      this.waiting.get(msg.id)?.(outcome);
      this.waiting.delete(msg.id);
    });
  }

  static async connect(
    web: WebConsole,
    origin: string = web.origin,
    options: { readonly cookie?: string; readonly query?: string } = {},
  ): Promise<RpcTestClient> {
    const url = `${web.origin.replace(/^http/, 'ws')}/rpc${options.query ? `?${options.query}` : ''}`;
    const socket = new WebSocket(url, {
      origin,
      rejectUnauthorized: false,
      ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
    });
    let setCookie: string | null = null;
    socket.once('upgrade', (res) => {
      const header = res.headers['set-cookie'];
      setCookie = header ? header.join('\n') : null;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`refused with ${res.statusCode}`)),
      );
    });
    return new RpcTestClient(socket, setCookie);
  }

  /** The first push of a subscription after `from` pushes, as it arrives. */
  async nextPush(subscription: string, from = 0): Promise<unknown> {
    for (;;) {
      const found = this.pushes.slice(from).find((p) => p.subscription === subscription);
      if (found) return found.payload;
      await new Promise((resolve) => this.socket.once('message', resolve));
    }
  }

  /** Closes the socket and waits until it is closed. */
  async closed(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  /** Sends any JSON (or text) and waits for the reply with this id. */
  sendRaw(message: unknown, id: number): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${id}`)), 15_000);
      this.waiting.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    });
  }

  call(name: CallName | string, args: unknown): Promise<Outcome> {
    const id = this.nextId++;
    return this.sendRaw({ id, call: name, args }, id);
  }

  async value<T = Record<string, unknown>>(name: CallName, args: unknown): Promise<T> {
    const outcome = await this.call(name, args);
    if (!outcome.ok) throw new Error(`${name}: ${outcome.error.code}: ${outcome.error.message}`);
    return outcome.value as T;
  }

  /** Replies that had no id (the message could not be read). */
  async nextNullReply(): Promise<Outcome> {
    const deadline = Date.now() + 5_000;
    while (this.nullReplies.length === 0) {
      if (Date.now() > deadline) throw new Error('no reply');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.nullReplies.shift()!;
  }

  close(): void {
    this.socket.close();
  }
}
