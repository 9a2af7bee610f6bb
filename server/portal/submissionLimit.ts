import type { Clock } from '../../shared/time/clock';

/** The window the per-address count runs over. */
export const SUBMISSION_WINDOW_MS = 3_600_000;
/** Past this many addresses, windows that have ended are forgotten before a new one is counted. */
const PRUNE_AT = 10_000;

interface Window {
  count: number;
  readonly startMs: number;
}

/**
 * Counts the portal's form posts per client address in fixed one-hour windows, on the server's
 * clock. Every post counts, good or bad: a script trying variations is slowed as much as one
 * repeating itself. Per instance: behind several instances an address gets the limit at each,
 * which still bounds a burst.
 */
export class SubmissionLimit {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly perWindow: number,
  ) {}

  /** Counts a post; null when it may go on, else the seconds until the address may post again. */
  take(address: string): number | null {
    const now = this.clock.now();
    if (this.windows.size >= PRUNE_AT) this.prune(now);
    let w = this.windows.get(address);
    if (!w || w.startMs + SUBMISSION_WINDOW_MS <= now) {
      w = { count: 0, startMs: now };
      this.windows.set(address, w);
    }
    w.count += 1;
    if (w.count <= this.perWindow) return null;
    return Math.max(1, Math.ceil((w.startMs + SUBMISSION_WINDOW_MS - now) / 1000));
  }

  private prune(now: number): void {
    for (const [address, w] of this.windows) {
      if (w.startMs + SUBMISSION_WINDOW_MS <= now) this.windows.delete(address);
    }
  }
}
