import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * An embedded database belongs to one process: two PGlite instances writing one folder corrupt
 * it. So whoever opens the folder first leaves a lock file naming itself (pid, host, start time,
 * command line), and anyone else is refused with a message naming that process. The lock goes
 * when the store closes or the process exits; one left by a process that no longer runs (killed,
 * crashed, or from before a reboot) is taken over. While a server holds the folder, `wf` reaches
 * the database through the server's control channel instead (server/control/controlChannel.ts).
 */

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Linux's id of this boot: a pid from before a reboot names some other process now. */
  readonly bootId: string | null;
  readonly since: string;
  /** How the process was started, so that the refusal says which program holds the folder. */
  readonly command: string;
  /** Tells this opening apart from another in the same process. */
  readonly token: string;
}

/** Enough of a command line to recognise it; an argument list can be long. */
const MAX_COMMAND_CHARS = 300;

function commandLine(): string {
  const line = process.argv.join(' ');
  return line.length > MAX_COMMAND_CHARS ? `${line.slice(0, MAX_COMMAND_CHARS)}...` : line;
}

function describeOwner(owner: LockOwner): string {
  const what = owner.command ? ` (${owner.command})` : '';
  const since = owner.since ? `, since ${owner.since}` : '';
  return `process ${owner.pid} on ${owner.host || 'an unknown host'}${what}${since}`;
}

export class DataDirInUseError extends Error {
  readonly pid: number;
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database in ${dir} is in use by ${describeOwner(owner)}: a second process ` +
        `on it would corrupt it. Stop process ${owner.pid} first (a server or a wf command), or ` +
        `set WF_DATA_DIR to another folder.`,
    );
    this.pid = owner.pid;
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? ''),
      bootId: typeof parsed.bootId === 'string' ? parsed.bootId : null,
      since: String(parsed.since ?? ''),
      command: String(parsed.command ?? ''),
      token: String(parsed.token ?? ''),
    };
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner, self: LockOwner): boolean {
  // A lock written on another machine (a shared folder) cannot be checked: assume it is held.
  if (owner.host !== self.host) return true;
  if (owner.bootId && self.bootId && owner.bootId !== self.bootId) return false;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file `<dir>.lock` (beside the database folder, in the data dir, so the
 * database's own files stay its own). Creating it is atomic and exclusive: a hard link to a
 * finished draft, which fails if the name exists just as an O_EXCL open would, and unlike such
 * an open never shows another process a lock file whose owner is not written yet (which it
 * would take for a stale one). Of two processes starting at once exactly one wins.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = `${dir}.lock`;
  const self: LockOwner = {
    pid: process.pid,
    host: hostname(),
    bootId: currentBootId(),
    since: new Date().toISOString(),
    command: commandLine(),
    token: randomBytes(8).toString('hex'),
  };
  const draft = `${path}.${process.pid}.${self.token}`;
  writeFileSync(draft, `${JSON.stringify(self)}\n`, { mode: 0o600 });
  try {
    // Bounded: each round either takes the lock, refuses, or clears one stale lock.
    for (let round = 0; round < 5; round++) {
      try {
        linkSync(draft, path);
        return holdLock(path, self.token);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readOwner(path);
      if (owner && isAlive(owner, self)) throw new DataDirInUseError(dir, owner);
      clearStaleLock(path, owner);
    }
    throw new Error(`Could not take the lock ${path}: other processes keep taking it; try again.`);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves the stale lock aside before deleting it, and puts it back if what was moved turns out to
 * be a live process's fresh lock (it took the stale one over a moment earlier).
 */
function clearStaleLock(path: string, stale: LockOwner | null): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readOwner(aside);
  if (moved && moved.token !== stale?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds the name now; they go on, and the next round reads them.
    }
  }
  unlinkSync(aside);
}

/**
 * The lock is released when the store closes, and at the latest when the process exits (a
 * command that ends with process.exit() without closing, an uncaught error): a lock left behind
 * by a live-looking pid would refuse the next opener until that pid is reused or the host reboots.
 */
function holdLock(path: string, token: string): DataDirLock {
  const onExit = () => releaseLock(path, token);
  process.once('exit', onExit);
  return {
    path,
    release: () => {
      process.off('exit', onExit);
      releaseLock(path, token);
    },
  };
}

function releaseLock(path: string, token: string): void {
  // Only our own lock: never delete one that a later process took over.
  if (readOwner(path)?.token !== token) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
