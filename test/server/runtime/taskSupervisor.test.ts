import { backoffDelay } from '../../../shared/time/backoff';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { TaskSupervisor, type TaskReport } from '../../../server/runtime/taskSupervisor';

const quiet = pino({ level: 'silent' });
const FAST = { baseMs: 5, maxMs: 40 } as const;

/** Resolves with the next report of this kind for the task. */
async function next(
  tasks: TaskSupervisor,
  kind: 'failed' | 'recovered',
  name: string,
): Promise<TaskReport> {
  for (;;) {
    const [report] = (await once(tasks, kind)) as [TaskReport];
    if (report.name === name) return report;
  }
}

describe('TaskSupervisor', () => {
  it('retry delays double from the base and stop at the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay({ baseMs: 250, maxMs: 2_000 }, n))).toEqual([
      250, 500, 1_000, 2_000, 2_000, 2_000,
    ]);
  });

  it('keeps a periodic task going through failures, counts them, and reports the recovery', async () => {
    const tasks = new TaskSupervisor(quiet, FAST);
    let calls = 0;
    let failing = true;
    tasks.every('flaky', 1, async () => {
      calls += 1;
      if (failing) throw new Error('database away');
    });
    const first = await next(tasks, 'failed', 'flaky');
    expect(first).toMatchObject({ failures: 1 });
    expect((first.error as Error).message).toBe('database away');
    expect((await next(tasks, 'failed', 'flaky')).failures).toBe(2);
    failing = false;
    const recovered = await next(tasks, 'recovered', 'flaky');
    expect(recovered.failures).toBeGreaterThanOrEqual(2);
    const before = calls;
    await tasks.runNow('flaky');
    expect(calls).toBe(before + 1);
    await tasks.stop();
    expect(tasks.count('flaky')).toBe(0);
  });

  it('a cancelled task never runs again, and stop waits for a run in progress', async () => {
    const tasks = new TaskSupervisor(quiet, FAST);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    let finished = 0;
    const task = tasks.every('slow', 60_000, async () => {
      started += 1;
      await gate;
      finished += 1;
    });
    const run = tasks.runNow('slow');
    expect(started).toBe(1);
    const cancelled = task.cancel();
    release();
    await cancelled;
    expect(finished).toBe(1);
    await run;
    await tasks.runNow('slow');
    expect(started).toBe(1);
  });

  it('starts a long-lived task again after it is lost, and resets the delay once it is healthy', async () => {
    const tasks = new TaskSupervisor(quiet, FAST);
    let starts = 0;
    let lose: (err: Error) => void = () => undefined;
    // The first start runs at once, up to its wait for the connection to be lost.
    tasks.keep('listener', async (signal, healthy) => {
      starts += 1;
      if (starts === 2) throw new Error('connection refused');
      healthy();
      await new Promise<void>((resolve, reject) => {
        lose = reject;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    });
    expect(starts).toBe(1);
    const lost = next(tasks, 'failed', 'listener');
    lose(new Error('terminated'));
    expect((await lost).failures).toBe(1);
    const refused = next(tasks, 'failed', 'listener');
    const recovered = next(tasks, 'recovered', 'listener');
    expect(await refused).toMatchObject({ failures: 2 });
    expect(((await refused).error as Error).message).toBe('connection refused');
    expect((await recovered).failures).toBe(2);
    expect(starts).toBe(3);
    await tasks.stop();
    expect(tasks.count('listener')).toBe(0);
  });
});
