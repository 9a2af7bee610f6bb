import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { z, ZodError } from 'zod';
import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { AdminOperationNameSchema, runAdminOperation } from './adminOperations';

/**
 * The running server's local control channel: a Unix socket in the data dir that `wf` uses for
 * the administrator's commands while the server holds the embedded database (a second process
 * must not open it: docs/integrations.md). Only the owner of the data dir can reach it (the
 * folder is 0700, the socket 0600); each connection carries one JSON request and one JSON answer.
 */

export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'control', 'wf.sock');
}

/** A request is small; anything longer is not one of ours. */
const MAX_REQUEST_BYTES = 64 * 1024;

const RequestSchema = z.object({
  operation: AdminOperationNameSchema,
  args: z.unknown(),
  /** Who typed the command, as `cli:<login>`: the socket admits only the data dir's owner. */
  actor: z.string().regex(/^cli:[A-Za-z0-9._-]{1,64}$/),
});

export type ControlAnswer =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly status: number; readonly message: string };

export interface ControlChannel {
  readonly path: string;
  close(): Promise<void>;
}

async function answer(ctx: ServerContext, line: string): Promise<ControlAnswer> {
  let request: z.output<typeof RequestSchema>;
  try {
    request = RequestSchema.parse(JSON.parse(line));
  } catch {
    return { ok: false, status: 400, message: 'Not a control request this server understands.' };
  }
  try {
    const result = await runAdminOperation(ctx, request.operation, request.args, {
      id: null,
      name: request.actor,
    });
    return { ok: true, result };
  } catch (err) {
    if (err instanceof HttpError)
      return { ok: false, status: err.statusCode, message: err.message };
    if (err instanceof ZodError) {
      const message = err.issues
        .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('\n');
      return { ok: false, status: 400, message };
    }
    ctx.log.error({ err, operation: request.operation }, 'control request failed');
    return { ok: false, status: 500, message: 'The server could not complete this command.' };
  }
}

/** A client that connects and says nothing is let go after this long. */
const IDLE_MS = 10_000;

function serveConnection(ctx: ServerContext, socket: Socket): void {
  let buffered = '';
  let answered = false;
  const reply = (a: ControlAnswer) => {
    answered = true;
    socket.end(`${JSON.stringify(a)}\n`);
  };
  socket.setEncoding('utf8');
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    if (answered) return;
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if ((newline < 0 ? buffered.length : newline) > MAX_REQUEST_BYTES) {
      reply({ ok: false, status: 413, message: 'Request too large.' });
      return;
    }
    if (newline < 0) return;
    answered = true;
    socket.setTimeout(0);
    void answer(ctx, buffered.slice(0, newline)).then(reply);
  });
}

/** Listens on `<dataDir>/control/wf.sock`; the caller holds the data dir's lock. */
export async function startControlChannel(
  ctx: ServerContext,
  dataDir: string,
): Promise<ControlChannel> {
  const dir = join(dataDir, 'control');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = controlSocketPath(dataDir);
  // Left by a server that did not stop cleanly; we hold the lock, so it is nobody's now.
  rmSync(path, { force: true });
  const server = createServer((socket) => serveConnection(ctx, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

/** Sends one request to the server's control channel; null when no server listens there. */
export async function callControlChannel(
  dataDir: string,
  request: z.input<typeof RequestSchema>,
  timeoutMs = 30_000,
): Promise<ControlAnswer | null> {
  const path = controlSocketPath(dataDir);
  return new Promise<ControlAnswer | null>((resolve, reject) => {
    const socket = createConnection(path);
    let received = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`The server did not answer on ${path} within ${timeoutMs / 1000} s.`));
    });
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(null);
      else reject(err);
    });
    socket.on('end', () => {
      try {
        resolve(JSON.parse(received) as ControlAnswer);
      } catch {
        reject(new Error(`The server's answer on ${path} was not understood.`));
      }
    });
  });
}
