import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium';

/**
 * Debian's Chromium driven over the DevTools protocol with nothing but `Runtime`: for benchmarks
 * of pages that move a lot of data. Playwright turns on the `Network` domain for every page it
 * drives, so each request and each WebSocket frame (with its payload) is also copied to the
 * driver; on a video wall that costs as much CPU as the work being measured. A bare page is
 * navigated and evaluated, and reports its console errors, nothing more.
 *
 * Two ways in: over a pipe (`--remote-debugging-pipe`: fd 3 in, fd 4 out, messages separated by
 * NUL), or over a debugging port, so that Playwright can drive a page through a UI first
 * (`connectOverCDP(endpoint)`), disconnect (its instrumentation goes with it), and leave the
 * steady measurement to `attach`.
 */

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface ProtocolMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: { message: string };
  readonly sessionId?: string;
}

export interface BarePage {
  evaluate<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>>;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

const defaultOnError = (t: string): void => void process.stderr.write(`${t}\n`);

function chromiumArgs(userDataDir: string, viewport: Viewport, extra: readonly string[]) {
  return [
    ...CHROMIUM_ARGS,
    '--headless',
    `--user-data-dir=${userDataDir}`,
    `--window-size=${viewport.width},${viewport.height}`,
    '--enable-precise-memory-info',
    ...extra,
  ];
}

export class BareChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private closed = false;
  private closing = false;
  private write: (text: string) => void = () => undefined;
  /** `http://127.0.0.1:PORT` when launched with a debugging port. */
  endpoint: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly userDataDir: string,
    private readonly onError: (text: string) => void,
  ) {
    child.once('exit', (code, signal) => {
      if (!this.closing) this.onError(`Chromium exited (code ${code}, signal ${signal})`);
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('Chromium exited'));
      this.pending.clear();
    });
  }

  /** Chromium with the protocol on a pipe. */
  static launch(
    extraArgs: readonly string[],
    viewport: Viewport,
    onError: (text: string) => void = defaultOnError,
  ): BareChromium {
    const userDataDir = mkdtempSync(join(tmpdir(), 'wf-bench-chromium-'));
    const child = spawn(
      CHROMIUM_PATH,
      [...chromiumArgs(userDataDir, viewport, extraArgs), '--remote-debugging-pipe', 'about:blank'],
      {
        stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
      },
    );
    const browser = new BareChromium(child, userDataDir, onError);
    const input = child.stdio[3] as Writable;
    const out = child.stdio[4] as Readable;
    // A write after Chromium has gone fails the pending call, not the process.
    input.on('error', () => undefined);
    out.on('error', () => undefined);
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => browser.receivePipe(chunk));
    browser.write = (text) => input.write(`${text}\0`);
    return browser;
  }

  /** Chromium with the protocol on a loopback port (for Playwright to share). */
  static async launchWithPort(
    extraArgs: readonly string[],
    viewport: Viewport,
    onError: (text: string) => void = defaultOnError,
  ): Promise<BareChromium> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'wf-bench-chromium-'));
    const child = spawn(
      CHROMIUM_PATH,
      [
        ...chromiumArgs(userDataDir, viewport, extraArgs),
        '--remote-debugging-address=127.0.0.1',
        '--remote-debugging-port=0',
        'about:blank',
      ],
      { stdio: 'ignore' },
    );
    const browser = new BareChromium(child, userDataDir, onError);
    const portFile = join(userDataDir, 'DevToolsActivePort');
    for (let i = 0; i < 200 && !existsSync(portFile); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const [port, path] = readFileSync(portFile, 'utf8').trim().split('\n');
    if (!port || !path) throw new Error('Chromium did not open its debugging port');
    browser.endpoint = `http://127.0.0.1:${port}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    socket.on('message', (data) => browser.receiveMessage(String(data)));
    browser.write = (text) => socket.send(text);
    return browser;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** A new tab at `url`, once its document has loaded. */
  async open(url: string): Promise<BarePage> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    const { sessionId, page } = await this.attachTo(targetId);
    await this.send('Page.navigate', { url }, sessionId);
    for (let i = 0; i < 200; i++) {
      const state = await page.evaluate(
        () => (globalThis as unknown as { document: { readyState: string } }).document.readyState,
      );
      if (state === 'complete') return page;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the page at ${url} did not load`);
  }

  /** The open tab whose URL starts with `urlPrefix` (one another driver set up). */
  async attach(urlPrefix: string): Promise<BarePage> {
    const { targetInfos } = (await this.send('Target.getTargets', {})) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const target = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(urlPrefix));
    if (!target) throw new Error(`no open page at ${urlPrefix}`);
    return (await this.attachTo(target.targetId)).page;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.closed) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      void this.send('Browser.close', {}).catch(() => undefined);
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!inTime) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  private async attachTo(targetId: string): Promise<{ sessionId: string; page: BarePage }> {
    const { sessionId } = (await this.send('Target.attachToTarget', {
      targetId,
      flatten: true,
    })) as { sessionId: string };
    await this.send('Runtime.enable', {}, sessionId);
    const page: BarePage = {
      evaluate: async <R, A>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>> => {
        const expression = `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`;
        const reply = (await this.send(
          'Runtime.evaluate',
          { expression, awaitPromise: true, returnByValue: true },
          sessionId,
        )) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
        if (reply.exceptionDetails) throw new Error(`in the page: ${reply.exceptionDetails.text}`);
        return reply.result.value as Awaited<R>;
      },
    };
    return { sessionId, page };
  }

  private send(method: string, params: object, sessionId?: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('Chromium is not running'));
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write(message);
    });
  }

  private receivePipe(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      this.receiveMessage(text);
    }
  }

  private receiveMessage(text: string): void {
    let message: ProtocolMessage;
    try {
      message = JSON.parse(text) as ProtocolMessage;
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) p?.reject(new Error(`${message.error.message}`));
      else p?.resolve(message.result);
    } else if (message.method === 'Runtime.exceptionThrown') {
      const details = message.params?.exceptionDetails as { text?: string } | undefined;
      this.onError(`page error: ${details?.text ?? 'an exception'}`);
    } else if (message.method === 'Runtime.consoleAPICalled') {
      const params = message.params as { type: string; args: { value?: unknown }[] };
      if (params.type === 'error') {
        this.onError(`page: ${params.args.map((a) => String(a.value ?? '')).join(' ')}`);
      }
    }
  }
}
