import { generate } from 'otplib';

/** The time step of every authenticator app here: 30 s (server/auth/totp.ts). */
const STEP_MS = 30_000;

/**
 * Authenticator codes for scripts that sign the same account in more than once. The server
 * accepts a code of the current step or of the one either side, and each step only once per
 * account (a replayed code is refused). So each sign-in takes the next unused step: the current
 * one, else the next (already accepted), else it waits for time to move on. One instance per
 * clock, shared by every sign-in of the accounts it serves.
 */
export class TotpCodes {
  private readonly lastStep = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Lets time pass until `at` (ms); a manual clock advances, the real one is waited for. */
    private readonly waitUntil: (at: number) => Promise<void> = (at) =>
      new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))),
  ) {}

  async next(secret: string): Promise<string> {
    // At most one wait: after it, the wanted step is the current one.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const current = Math.floor(this.now() / STEP_MS);
      const step = Math.max(current, (this.lastStep.get(secret) ?? current - 1) + 1);
      if (step <= current + 1) {
        this.lastStep.set(secret, step);
        return generate({ secret, epoch: step * (STEP_MS / 1000) });
      }
      // A millisecond past the step's start: a timer may fire a little before the time it was set for.
      await this.waitUntil((step - 1) * STEP_MS + 1);
    }
    throw new Error('the clock did not move on to the next authenticator step');
  }
}

/** For the real clock: one per test process, so every sign-in there shares the used steps. */
export const realTimeCodes = new TotpCodes();
