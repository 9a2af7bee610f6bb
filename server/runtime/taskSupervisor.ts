import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { backoffDelay, type BackoffPolicy } from '../../shared/time/backoff';

/**
 * Capped at 5 s: a refused connection costs the database next to nothing, and the cap bounds how
 * long after the database returns another instance's events are heard again.
 */
export const DEFAULT_RETRY: BackoffPolicy = { baseMs: 250, maxMs: 5_000 };

/** What `failed` and `recovered` report (tests await these instead of sleeping). */
export interface TaskReport {
  readonly name: string;
  /** Failures in a row, including this one (`failed`) or before this success (`recovered`). */
  readonly failures: number;
  readonly error?: unknown;
}

/** A task the supervisor runs; cancel it when what it serves goes away. */
export interface SupervisedTask {
  readonly name: string;
  /** Stops future runs and waits for a run in progress. */
  cancel(): Promise<void>;
}

interface TaskEntry {
  readonly name: string;
  /** Runs once now (waiting for a run in progress first); used by `runNow`. */
  readonly runOnce: () => Promise<void>;
  readonly cancel: () => Promise<void>;
}

export interface SupervisorEvents {
  failed: [TaskReport];
  recovered: [TaskReport];
}

/**
 * Runs the server's background work (event-stream session rechecks, the grant sweeper, the
 * LISTEN connection) so that a failure is logged, retried with backoff and never takes the
 * process down: an outage of the database turns into warnings and retries, not an unhandled
 * rejection (docs/decisions/0018-supervised-background-work.md).
 *
 * Only the first failure of a run of failures is logged as a warning, and the recovery once, so
 * a hundred open streams during an outage do not flood the log.
 */
export class TaskSupervisor extends EventEmitter<SupervisorEvents> {
  private readonly tasks = new Set<TaskEntry>();
  private stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly retry: BackoffPolicy = DEFAULT_RETRY,
  ) {
    super();
  }

  /**
   * Runs `work` every `intervalMs`, one run at a time. After a failure the next run waits the
   * longer of the interval and the retry delay, so a failing task backs off and never speeds up.
   */
  every(name: string, intervalMs: number, work: () => Promise<void>): SupervisedTask {
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    let failures = 0;
    let cancelled = false;

    const runOnce = async (): Promise<void> => {
      while (running) await running;
      if (cancelled) return;
      running = (async () => {
        try {
          await work();
          if (failures > 0) this.recovered(name, failures);
          failures = 0;
        } catch (error) {
          failures += 1;
          this.failed(name, failures, error);
        }
      })();
      try {
        await running;
      } finally {
        running = null;
      }
    };
    const schedule = () => {
      if (cancelled || this.stopped) return;
      const delay =
        failures > 0 ? Math.max(intervalMs, backoffDelay(this.retry, failures)) : intervalMs;
      timer = setTimeout(() => {
        timer = null;
        void runOnce().then(schedule);
      }, delay);
      // Background work alone never keeps the process alive.
      timer.unref();
    };
    const entry: TaskEntry = {
      name,
      runOnce,
      cancel: async () => {
        cancelled = true;
        if (timer) clearTimeout(timer);
        timer = null;
        this.tasks.delete(entry);
        await running;
      },
    };
    this.tasks.add(entry);
    schedule();
    return { name, cancel: entry.cancel };
  }

  /**
   * Keeps a long-lived piece of work going (a LISTEN connection): whenever it ends or fails it is
   * started again, at once the first time and then after the retry delay. `work` calls
   * `healthy()` once it is established, which resets the delay; it should resolve or reject when
   * what it holds is lost, and give up when `signal` aborts.
   */
  keep(
    name: string,
    work: (signal: AbortSignal, healthy: () => void) => Promise<void>,
  ): SupervisedTask {
    const abort = new AbortController();
    let failures = 0;
    let timer: NodeJS.Timeout | null = null;
    let wakeRetry: (() => void) | null = null;

    const loop = (async () => {
      while (!abort.signal.aborted && !this.stopped) {
        try {
          await work(abort.signal, () => {
            if (failures > 0) this.recovered(name, failures);
            failures = 0;
          });
          if (abort.signal.aborted) return;
          failures += 1;
          this.failed(name, failures, new Error(`${name} ended`));
        } catch (error) {
          if (abort.signal.aborted) return;
          failures += 1;
          this.failed(name, failures, error);
        }
        // Something that was working and dropped is tried again at once; backoff starts with
        // the second failure in a row (the database really is away).
        const delay = failures === 1 ? 0 : backoffDelay(this.retry, failures - 1);
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          timer = setTimeout(resolve, delay);
          timer.unref();
        });
        wakeRetry = null;
      }
    })();

    const entry: TaskEntry = {
      name,
      runOnce: async () => undefined,
      cancel: async () => {
        abort.abort();
        if (timer) clearTimeout(timer);
        (wakeRetry as (() => void) | null)?.();
        this.tasks.delete(entry);
        await loop;
      },
    };
    this.tasks.add(entry);
    return { name, cancel: entry.cancel };
  }

  /** Runs every periodic task of this name once, now (tests drive rechecks this way). */
  async runNow(name: string): Promise<void> {
    await Promise.all([...this.tasks].filter((t) => t.name === name).map((t) => t.runOnce()));
  }

  /** How many tasks of this name are running (open streams' rechecks, say). */
  count(name: string): number {
    return [...this.tasks].filter((t) => t.name === name).length;
  }

  /** Cancels every task and waits for runs in progress, so the store can close behind them. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.tasks].map((t) => t.cancel()));
  }

  private failed(name: string, failures: number, error: unknown): void {
    if (failures === 1)
      this.log.warn({ err: error, task: name }, 'background task failed; retrying');
    else this.log.debug({ err: error, task: name, failures }, 'background task failed again');
    this.report('failed', { name, failures, error });
  }

  private recovered(name: string, failures: number): void {
    this.log.info({ task: name, failures }, 'background task recovered');
    this.report('recovered', { name, failures });
  }

  /** A listener that throws must not break the task it hears about. */
  private report(kind: keyof SupervisorEvents, report: TaskReport): void {
    try {
      this.emit(kind, report);
    } catch (err) {
      this.log.error({ err, task: report.name }, `a ${kind} listener failed`);
    }
  }
}
