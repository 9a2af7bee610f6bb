/** Wall time as the gateway sees it; injected so that stamping and health logic are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
