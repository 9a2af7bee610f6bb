import { useEffect } from 'react';
import { systemClock } from '../../shared/time/clock';
import { call } from '../app/watchfloor';
import { IdleLock } from './idleLock';
import { useSessionStore } from './sessionStore';

/** The host hears of activity at most this often; its own idle clock is never further behind. */
const REPORT_EVERY_MS = 30_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Watches for input while the console is unlocked and locks it after the configured idle time
 * (the IdleLock machine decides; this hook only wires it to the window and a one-second tick).
 */
export function useIdleWatch(active: boolean, timeoutMinutes: number): void {
  useEffect(() => {
    if (!active) return;
    const idle = new IdleLock(systemClock, timeoutMinutes * 60_000);
    let lastReport = 0;
    const onInput = () => {
      idle.activity();
      const now = Date.now();
      if (now - lastReport >= REPORT_EVERY_MS) {
        lastReport = now;
        void call('session.activity', {});
      }
    };
    for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, { passive: true });
    const timer = setInterval(() => {
      const store = useSessionStore.getState();
      if (idle.tick()) void store.lock();
      const snap = idle.snapshot();
      store.setIdleWarning(snap.state === 'warning' ? snap.locksAt : null);
    }, 1_000);
    return () => {
      clearInterval(timer);
      for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput);
      useSessionStore.getState().setIdleWarning(null);
    };
  }, [active, timeoutMinutes]);
}
