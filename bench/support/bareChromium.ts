import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium';

/**
 * Debian's Chromium driven over the DevTools protocol with nothing but `Runtime`: for benchmarks
 * of pages that move a lot of data. Playwright turns on the `Network` domain for every page, so
 * each request and each WebSocket frame (with its payload) is also copied to the driver; on a
 * video wall that costs as much CPU as the work being measured. A bare page here is navigated and
 * evaluated, and reports its console errors, nothing more. The protocol runs over a pipe
 * (`--remote-debugging-pipe`: fd 3 in, fd 4 out, messages separated by NUL).
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

export class BareChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private closed = false;
  private closing = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly userDataDir: string,
    private readonly onError: (text: string) => void,
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => this.receive(chunk));
    // A write after Chromium has gone fails the pending call (below), not the process.
    (child.stdio[3] as Writable).on('error', () => undefined);
    out.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      if (!this.closing) this.onError(`Chromium exited (code ${code}, signal ${signal})`);
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error('Chromium exited'));
      this.pending.clear();
    });
  }

  static launch(
    extraArgs: readonly string[],
    viewport: { width: number; height: number },
    onError: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
  ): BareChromium {
    const userDataDir = mkdtempSync(join(tmpdir(), 'wf-bench-chromium-'));
    const child = spawn(
      CHROMIUM_PATH,
      [
        ...CHROMIUM_ARGS,
        '--headless',
        '--remote-debugging-pipe',
        `--user-data-dir=${userDataDir}`,
        `--window-size=${viewport.width},${viewport.height}`,
        '--enable-precise-memory-info',
        ...extraArgs,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new BareChromium(child, userDataDir, onError);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** A new tab at `url`, once its document has loaded. */
  async open(url: string): Promise<BarePage> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    const { sessionId } = (await this.send('Target.attachToTarget', {
      targetId,
      flatten: true,
    })) as { sessionId: string };
    await this.send('Runtime.enable', {}, sessionId);
    await this.send('Page.navigate', { url }, sessionId);
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
    for (let i = 0; i < 200; i++) {
      const state = await page.evaluate(
        () => (globalThis as unknown as { document: { readyState: string } }).document.readyState,
      );
      if (state === 'complete') return page;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the page at ${url} did not load`);
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

  private send(method: string, params: object, sessionId?: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('Chromium is not running'));
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let message: ProtocolMessage;
      try {
        message = JSON.parse(text) as ProtocolMessage;
      } catch {
        continue;
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
}
