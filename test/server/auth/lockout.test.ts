import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  failuresSoFar,
  lockedUntil,
  LOCKOUT_MS,
  LOCKOUT_THRESHOLD,
} from '../../../server/auth/lockout';

const NOW = Date.parse('2026-11-29T14:00:00Z');
const MINUTE = 60_000;

/** CJIS 5.5.3 as arithmetic on an account's row, with the clock given. */
describe('account lockout', () => {
  it('is five failures for ten minutes', () => {
    expect(LOCKOUT_THRESHOLD).toBe(5);
    expect(LOCKOUT_MS).toBe(10 * MINUTE);
  });

  it('holds a lock until its end, whether the driver gives a Date or text', () => {
    const until = NOW + 3 * MINUTE;
    expect(lockedUntil({ failed_attempts: 5, locked_until: new Date(until) }, NOW)).toBe(until);
    expect(
      lockedUntil({ failed_attempts: 5, locked_until: new Date(until).toISOString() }, NOW),
    ).toBe(until);
    expect(lockedUntil({ failed_attempts: 5, locked_until: new Date(until) }, until - 1)).toBe(
      until,
    );
    // At its end and after, the account is open again.
    expect(lockedUntil({ failed_attempts: 5, locked_until: new Date(until) }, until)).toBeNull();
    expect(
      lockedUntil({ failed_attempts: 5, locked_until: new Date(until) }, until + 1),
    ).toBeNull();
    expect(lockedUntil({ failed_attempts: 4, locked_until: null }, NOW)).toBeNull();
  });

  it('counts failures in a row, afresh once a lock has run out', () => {
    expect(failuresSoFar({ failed_attempts: 3, locked_until: null }, NOW)).toBe(3);
    const running = { failed_attempts: 5, locked_until: new Date(NOW + MINUTE) };
    expect(failuresSoFar(running, NOW)).toBe(5);
    expect(failuresSoFar(running, NOW + MINUTE)).toBe(0);
    expect(failuresSoFar(running, NOW + 2 * MINUTE)).toBe(0);
  });

  it('locks on the fifth failure in a row, for ten minutes from it', () => {
    expect(afterFailure({ failed_attempts: 3, locked_until: null }, NOW)).toEqual({
      failures: 4,
      lockUntil: null,
    });
    expect(afterFailure({ failed_attempts: 4, locked_until: null }, NOW)).toEqual({
      failures: 5,
      lockUntil: NOW + 10 * MINUTE,
    });
    // The first mistake after a lock ran out starts a new count; it does not lock again.
    const ranOut = { failed_attempts: 5, locked_until: new Date(NOW - 1) };
    expect(afterFailure(ranOut, NOW)).toEqual({ failures: 1, lockUntil: null });
  });
});
