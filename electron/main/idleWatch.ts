import { powerMonitor } from 'electron';
import type { BackendSession } from '../host/session/backendSession';

/** Input anywhere on the workstation within this many seconds counts as the person being there. */
const ACTIVE_WITHIN_S = 15;

/**
 * Feeds the idle lock from the operating system: keyboard or pointer input anywhere counts as
 * activity (an analyst watching the wall while typing in the CAD is not idle), and the OS
 * locking its screen or suspending locks the console at once.
 */
export function watchIdle(session: BackendSession): () => void {
  const poll = setInterval(() => {
    if (powerMonitor.getSystemIdleTime() < ACTIVE_WITHIN_S) session.activity();
  }, 5_000);
  const lock = () => session.lock('system');
  powerMonitor.on('lock-screen', lock);
  powerMonitor.on('suspend', lock);
  return () => {
    clearInterval(poll);
    powerMonitor.off('lock-screen', lock);
    powerMonitor.off('suspend', lock);
  };
}
