/**
 * What drives a demo replay: `tick()` runs the replay's due work once at a time (a tick while one
 * runs gets that run's answer), every second unless the caller ticks by itself (tests with a
 * ManualClock), and nothing more once stopped.
 */
export interface ReplayTicker {
  tick(): Promise<number>;
  readonly stopped: boolean;
  stop(): void;
}

export function replayTicker(runDue: () => Promise<number>, autoTick: boolean): ReplayTicker {
  let inFlight: Promise<number> | null = null;
  let stopped = false;
  const tick = (): Promise<number> => {
    if (inFlight) return inFlight;
    if (stopped) return Promise.resolve(0);
    inFlight = runDue().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  const timer = autoTick ? setInterval(() => void tick(), 1_000) : null;
  timer?.unref();
  return {
    tick,
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
