import { chmodSync, lstatSync, mkdirSync, rmSync, type Stats } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { z, ZodError } from 'zod';
import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { IMPORT_BODY_LIMIT } from '../cameras/importRoutes';
import { runStoreCommand, STORE_COMMANDS, type StoreCommands } from '../cli/storeCommands';
import type { CommandIo, CommandOutcome } from '../cli/commandIo';

/**
 * The running server's local control channel: a Unix socket in the data dir through which `wf`
 * runs its database commands while the server holds the embedded database (a second process must
 * not open it: server/store/dataDirLock.ts). The server runs the very command function `wf` would
 * have run itself (server/cli/storeCommands.ts).
 *
 * Who may use it: only the server's own OS user. The socket is 0600 in a folder that is 0700, and
 * both the data dir and that folder must belong to the server's user, so no one else can reach
 * the socket or put another in its place; the peer is therefore trusted to name itself in the
 * audit trail (`cli:<login>`). `wf` checks the folder the same way before it sends a password.
 *
 * The protocol, one connection per command: the client sends one line of JSON,
 * `{"command", "args", "actor"}`; the server answers with lines of JSON as the command prints,
 * `{"out": line}` or `{"err": line}` (streamed, so a long command shows its progress), and ends
 * with `{"done": {"code", "result"}}` or `{"failed": {"status", "message"}}`.
 */

export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'control', 'wf.sock');
}

/** The largest command: a camera import file, with room for JSON's escaping of it. */
const MAX_REQUEST_CHARS = 2 * IMPORT_BODY_LIMIT + 64 * 1024;

const RequestSchema = z.object({
  command: z.string().max(100),
  args: z.unknown(),
  /** Who typed the command, as `cli:<login>`: the socket admits only the server's own user. */
  actor: z.string().regex(/^cli:[A-Za-z0-9._-]{1,64}$/),
});
export type ControlRequest = z.input<typeof RequestSchema>;

type Frame =
  | { readonly out: string }
  | { readonly err: string }
  | { readonly done: CommandOutcome }
  | { readonly failed: { readonly status: number; readonly message: string } };

const FrameSchema = z.union([
  z.object({ out: z.string() }),
  z.object({ err: z.string() }),
  z.object({ done: z.object({ code: z.number().int(), result: z.unknown().optional() }) }),
  z.object({ failed: z.object({ status: z.number().int(), message: z.string() }) }),
]);

export class ControlChannelUntrusted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlChannelUntrusted';
  }
}

const myUid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/**
 * Throws unless `path` is a real folder (not a link) of this process's user that nobody else may
 * write (and, with `privateMode`, enter).
 */
function checkOwnFolder(path: string, stat: Stats, privateMode: boolean): void {
  if (!stat.isDirectory() || stat.isSymbolicLink()) {
    throw new ControlChannelUntrusted(`${path} is not a folder`);
  }
  const uid = myUid();
  if (uid !== null && stat.uid !== uid) {
    throw new ControlChannelUntrusted(
      `${path} belongs to user id ${stat.uid}, not to this process's user (${uid}): run the ` +
        'server and wf as the user that owns the data dir',
    );
  }
  const open = stat.mode & (privateMode ? 0o077 : 0o022);
  if (open !== 0) {
    throw new ControlChannelUntrusted(
      `${path} is open to other users (mode ${(stat.mode & 0o777).toString(8)}); ` +
        `run chmod ${privateMode ? '700' : 'go-w'} on it`,
    );
  }
}

function failure(err: unknown): Frame | null {
  if (err instanceof HttpError) {
    return { failed: { status: err.statusCode, message: err.message } };
  }
  if (err instanceof ZodError) {
    const message = err.issues
      .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
      .join('\n');
    return { failed: { status: 400, message } };
  }
  return null;
}

async function execute(
  ctx: ServerContext,
  commands: StoreCommands,
  line: string,
  send: (frame: Frame) => void,
): Promise<Frame> {
  let request: z.output<typeof RequestSchema>;
  try {
    request = RequestSchema.parse(JSON.parse(line));
  } catch {
    return { failed: { status: 400, message: 'Not a control request this server understands.' } };
  }
  const io: CommandIo = { out: (l) => send({ out: l }), err: (l) => send({ err: l }) };
  try {
    const outcome = await runStoreCommand(ctx, commands, request.command, request.args, io, {
      id: null,
      name: request.actor,
    });
    return { done: outcome };
  } catch (err) {
    const known = failure(err);
    if (known) return known;
    // The arguments are not logged: they may hold a password.
    ctx.log.error({ err, command: request.command }, 'control request failed');
    return { failed: { status: 500, message: 'The server could not complete this command.' } };
  }
}

/** A client that connects and does not finish its request is let go after this long. */
const IDLE_MS = 10_000;

function serveConnection(
  ctx: ServerContext,
  socket: Socket,
  commands: StoreCommands,
  maxRequestChars: number,
): void {
  const parts: string[] = [];
  let size = 0;
  let started = false;
  const send = (frame: Frame) => {
    // The caller may have gone (Ctrl-C): the command still finishes, its output goes nowhere.
    if (socket.writable) socket.write(`${JSON.stringify(frame)}\n`);
  };
  const finish = (frame: Frame) => {
    if (socket.writable) socket.end(`${JSON.stringify(frame)}\n`);
  };
  socket.setEncoding('utf8');
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    if (started) return;
    const newline = chunk.indexOf('\n');
    const part = newline < 0 ? chunk : chunk.slice(0, newline);
    size += part.length;
    if (size > maxRequestChars) {
      started = true;
      finish({ failed: { status: 413, message: 'Request too large.' } });
      return;
    }
    parts.push(part);
    if (newline < 0) return;
    started = true;
    socket.setTimeout(0);
    void execute(ctx, commands, parts.join(''), send).then(finish);
  });
}

export interface ControlChannel {
  readonly path: string;
  /** Stops taking commands and waits for those running to finish. */
  close(): Promise<void>;
}

export interface ControlChannelOptions {
  /** The commands it runs; tests give their own. */
  readonly commands?: StoreCommands;
  readonly maxRequestChars?: number;
}

/**
 * Listens on `<dataDir>/control/wf.sock`; the caller holds the data dir's lock. Refuses (throws
 * ControlChannelUntrusted) a data dir or control folder that is not the server user's own.
 */
export async function startControlChannel(
  ctx: ServerContext,
  dataDir: string,
  options: ControlChannelOptions = {},
): Promise<ControlChannel> {
  checkOwnFolder(dataDir, lstatSync(dataDir), false);
  const dir = join(dataDir, 'control');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkOwnFolder(dir, lstatSync(dir), false);
  chmodSync(dir, 0o700);
  const path = controlSocketPath(dataDir);
  // Left by a server that did not stop cleanly; we hold the lock, so it is nobody's now.
  rmSync(path, { force: true });
  const commands = options.commands ?? STORE_COMMANDS;
  const max = options.maxRequestChars ?? MAX_REQUEST_CHARS;
  const server = createServer((socket) => serveConnection(ctx, socket, commands, max));
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

/**
 * Whether a server's control folder is there to use: false when there is none (no server has
 * run here); throws ControlChannelUntrusted when it is not this user's own private folder, since
 * what is sent there may be a password.
 */
function controlFolderPresent(dataDir: string): boolean {
  const dir = join(dataDir, 'control');
  let stat: Stats;
  try {
    stat = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  checkOwnFolder(dir, stat, true);
  return true;
}

/**
 * Runs a command in the server listening on the data dir's control channel, printing its output
 * as it comes. Null when no server listens there (the caller then opens the database itself); a
 * refusal is thrown as the HttpError the command threw in the server.
 */
export async function callControlChannel(
  dataDir: string,
  request: ControlRequest,
  io: CommandIo,
): Promise<CommandOutcome | null> {
  if (!controlFolderPresent(dataDir)) return null;
  const path = controlSocketPath(dataDir);
  return new Promise<CommandOutcome | null>((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    let settled = false;
    const pending: string[] = [];
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      socket.destroy();
    };
    const onFrame = (line: string) => {
      let frame: z.output<typeof FrameSchema>;
      try {
        frame = FrameSchema.parse(JSON.parse(line));
      } catch {
        settle(() => reject(new Error(`The server's answer on ${path} was not understood.`)));
        return;
      }
      if ('out' in frame) io.out(frame.out);
      else if ('err' in frame) io.err(frame.err);
      else if ('done' in frame) settle(() => resolve(frame.done));
      else settle(() => reject(new HttpError(frame.failed.status, frame.failed.message)));
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      // Only the new chunk is searched: a shift report's PDF comes as one long line.
      let rest = chunk;
      for (let nl = rest.indexOf('\n'); nl >= 0 && !settled; nl = rest.indexOf('\n')) {
        pending.push(rest.slice(0, nl));
        onFrame(pending.join(''));
        pending.length = 0;
        rest = rest.slice(nl + 1);
      }
      if (rest) pending.push(rest);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const nobody = !connected && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED');
      settle(() => (nobody ? resolve(null) : reject(err)));
    });
    socket.on('close', () => {
      settle(() =>
        reject(
          new Error(
            `The server on ${path} ended the connection before the command finished (did it ` +
              'stop?). Check whether it was done before running it again.',
          ),
        ),
      );
    });
  });
}
