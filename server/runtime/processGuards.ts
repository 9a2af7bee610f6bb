import type { Logger } from 'pino';

/**
 * A promise rejection that nobody handled is a bug to log and fix, not a reason to drop every
 * console connected to the center: Node's default is to end the process, so the server replaces
 * it with a log line. An uncaught exception keeps Node's default (the process ends and its
 * service manager restarts it), because after a synchronous throw the process state is unknown.
 * docs/decisions/0018-supervised-background-work.md says why.
 */
export function installRejectionGuard(log: Logger, proc: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection (kept running)');
  };
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('unhandledRejection', onRejection);
  };
}
