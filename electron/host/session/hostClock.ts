/**
 * Time as the host sees it. The session, the event feed and the views hold no timers of their
 * own: a ticker calls their `tick()` (every second in the shells, by hand in tests), and they
 * compare deadlines with this clock.
 */
export interface HostClock {
  now(): number;
}

export const systemHostClock: HostClock = { now: () => Date.now() };
