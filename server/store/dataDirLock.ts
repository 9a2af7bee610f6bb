import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * An embedded database belongs to one process: two PGlite instances writing one folder corrupt
 * it. So whoever opens the folder first leaves a lock file naming itself, and anyone else is
 * refused with a message naming that process. A lock left by a process that no longer runs
 * (killed, crashed, or from before a reboot) is taken over.
 */

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Linux's id of this boot: a pid from before a reboot names some other process now. */
  readonly bootId: string | null;
  readonly since: string;
  /** Tells this opening apart from another in the same process. */
  readonly token: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}: a second process on it would ` +
        `corrupt it. Stop process ${pid} first (a server or a wf command), or set WF_DATA_DIR to ` +
        `another folder.`,
    );
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
 * Takes the lock file `<dir>.lock` (beside the database folder, so the database's own files stay
 * its own). Creating it is atomic (a hard link that fails if the name exists), so of two
 * processes starting at once exactly one wins.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = `${dir}.lock`;
  const self: LockOwner = {
    pid: process.pid,
    host: hostname(),
    bootId: currentBootId(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const draft = `${path}.${process.pid}.${self.token}`;
  writeFileSync(draft, `${JSON.stringify(self)}\n`, { mode: 0o600 });
  try {
    // Bounded: each round either takes the lock, refuses, or clears one stale lock.
    for (let round = 0; round < 5; round++) {
      try {
        linkSync(draft, path);
        return { path, release: () => releaseLock(path, self.token) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readOwner(path);
      if (owner && isAlive(owner, self)) throw new DataDirInUseError(dir, owner.pid);
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

function releaseLock(path: string, token: string): void {
  // Only our own lock: never delete one that a later process took over.
  if (readOwner(path)?.token !== token) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
