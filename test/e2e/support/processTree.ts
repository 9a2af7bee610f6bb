import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes read from /proc (Linux), to tell what a command left running after it stopped. A
 * process is named by its pid and its start time, so a pid reused by an unrelated process later
 * is not mistaken for the one seen before.
 */
export interface ProcessId {
  readonly pid: number;
  readonly startTicks: number;
  readonly command: string;
}

interface Stat extends ProcessId {
  readonly ppid: number;
  readonly state: string;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const command = text.slice(text.indexOf('(') + 1, close);
    // Fields after the command: state, ppid, ... starttime is the 20th of them.
    const fields = text.slice(close + 2).split(' ');
    return {
      pid,
      command,
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      startTicks: Number(fields[19]),
    };
  } catch {
    return null;
  }
}

function allProcesses(): Stat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is Stat => s !== null);
}

/** The descendants of a process (children, their children, ...), not the process itself. */
export function descendantsOf(rootPid: number): ProcessId[] {
  const all = allProcesses();
  const found: ProcessId[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of all.filter((p) => p.ppid === parent)) {
      found.push({ pid: child.pid, startTicks: child.startTicks, command: child.command });
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether this very process still runs (a zombie waiting to be reaped does not). */
export function stillRunning(p: ProcessId): boolean {
  const now = readStat(p.pid);
  return now !== null && now.startTicks === p.startTicks && now.state !== 'Z';
}
