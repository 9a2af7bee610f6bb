import type { ChildProcess } from 'node:child_process';

/**
 * Every child process the gateway and the simulator start is registered here, so that none
 * outlives its owner: owners end their own children on stop and on error, and this registry ends
 * whatever is left when the Node process exits.
 */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllNow(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone: nothing to end.
    }
  }
  children.clear();
}

export function trackChild(child: ChildProcess): ChildProcess {
  if (!exitHookInstalled) {
    process.once('exit', killAllNow);
    exitHookInstalled = true;
  }
  children.add(child);
  const forget = (): void => {
    children.delete(child);
  };
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

export function trackedChildCount(): number {
  return children.size;
}

/**
 * Ends a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has
 * exited, so callers can promise that nothing is left running.
 */
export function endChild(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (!child.kill('SIGTERM')) {
      clearTimeout(timer);
      resolve();
    }
  });
}
