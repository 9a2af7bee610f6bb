import { describe, expect, it } from 'vitest';
import {
  IdleLock,
  MAX_IDLE_MS,
  MIN_IDLE_MS,
  clampIdleTimeout,
} from '../../../renderer/session/idleLock';
import { ManualClock } from '../../../shared/time/clock';

function setup(timeoutMs?: number) {
  const clock = new ManualClock(0);
  const lock = new IdleLock(clock, timeoutMs);
  return {
    lock,
    advance: (ms: number) => {
      clock.advance(ms);
      return lock.tick();
    },
  };
}

describe('idle lock', () => {
  it('locks after 30 minutes without input by default', () => {
    const { lock, advance } = setup();
    expect(advance(MAX_IDLE_MS - 1)).toBe(false);
    expect(lock.snapshot().state).toBe('warning');
    expect(advance(1)).toBe(true);
    expect(lock.snapshot().state).toBe('locked');
    expect(advance(1)).toBe(false);
  });

  it('input pushes the lock back', () => {
    const { lock, advance } = setup(10 * 60_000);
    advance(9 * 60_000);
    lock.activity();
    expect(advance(8 * 60_000)).toBe(false);
    expect(lock.snapshot().state).toBe('active');
    expect(advance(2 * 60_000 - 1)).toBe(false);
    expect(advance(1)).toBe(true);
  });

  it('warns in the last minute', () => {
    const { lock, advance } = setup(10 * 60_000);
    advance(9 * 60_000 - 1);
    expect(lock.snapshot().state).toBe('active');
    advance(1);
    expect(lock.snapshot().state).toBe('warning');
  });

  it('can be shortened but never lengthened past 30 minutes', () => {
    expect(clampIdleTimeout(5 * 60_000)).toBe(5 * 60_000);
    expect(clampIdleTimeout(45 * 60_000)).toBe(MAX_IDLE_MS);
    expect(clampIdleTimeout(1000)).toBe(MIN_IDLE_MS);
    expect(clampIdleTimeout(Number.NaN)).toBe(MAX_IDLE_MS);
    expect(clampIdleTimeout(undefined)).toBe(MAX_IDLE_MS);
    const { lock, advance } = setup();
    lock.setTimeoutMs(60 * 60_000);
    expect(lock.snapshot().timeoutMs).toBe(MAX_IDLE_MS);
    expect(advance(MAX_IDLE_MS)).toBe(true);
  });

  it('input behind the lock screen does not unlock; unlocking restarts the count', () => {
    const { lock, advance } = setup(2 * 60_000);
    advance(2 * 60_000);
    lock.activity();
    expect(lock.snapshot().state).toBe('locked');
    lock.unlock();
    expect(lock.snapshot().state).toBe('active');
    expect(advance(2 * 60_000 - 1)).toBe(false);
    expect(advance(1)).toBe(true);
  });

  it('locks at once when asked', () => {
    const { lock } = setup();
    lock.lock();
    expect(lock.snapshot()).toMatchObject({ state: 'locked', locksAt: null });
  });
});
