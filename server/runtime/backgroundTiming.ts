import type { BackoffPolicy } from '../../shared/time/backoff';
import { DEFAULT_RETRY } from './taskSupervisor';

/**
 * How often the server's background work runs. Production takes the defaults; tests pass shorter
 * intervals so that an outage scenario does not wait half a minute for a recheck.
 */
export interface BackgroundTiming {
  /** How often an open event stream checks that its session is still alive. */
  readonly streamRecheckMs: number;
  /**
   * How often stream grants are checked against their owners' policies: a closing sharing window
   * stops feeds within this much of its end.
   */
  readonly grantSweepMs: number;
  /** Backoff of a failing background task. */
  readonly retry: BackoffPolicy;
}

export const DEFAULT_TIMING: BackgroundTiming = {
  streamRecheckMs: 30_000,
  grantSweepMs: 5_000,
  retry: DEFAULT_RETRY,
};
