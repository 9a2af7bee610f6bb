import { describe, expect, it } from 'vitest';
import { settleFor, StandbySettle } from '../../../renderer/wall/standbySettle';

const OPTIONS = { settleMs: 1_000, hitchMs: 250, giveUpMs: 3_000 };

/** Frames every `everyMs` from `fromMs` up to `toMs`; the first time the settle says "show". */
function shownAt(settle: StandbySettle, fromMs: number, toMs: number, everyMs = 40): number | null {
  for (let t = fromMs; t <= toMs; t += everyMs) if (settle.frame(t)) return t;
  return null;
}

describe('when a standby variant takes over the picture', () => {
  it('waits for a second of smooth frames after the first, not the first frame alone', () => {
    const settle = new StandbySettle(OPTIONS);
    expect(settle.framed).toBe(false);
    expect(settle.frame(5_000)).toBe(false);
    expect(settle.framed).toBe(true);
    expect(shownAt(settle, 5_040, 7_000)).toBe(6_000);
  });

  it('starts the second again after a hitch, and only after one longer than the hitch limit', () => {
    const settle = new StandbySettle(OPTIONS);
    expect(shownAt(settle, 0, 600)).toBeNull();
    // 250 ms between frames is still smooth...
    expect(shownAt(settle, 850, 850)).toBeNull();
    expect(shownAt(settle, 880, 1_000)).toBe(1_000);
    const hitched = new StandbySettle(OPTIONS);
    expect(shownAt(hitched, 0, 600)).toBeNull();
    // ...260 ms is a hitch: the second counts from the frame after it.
    expect(shownAt(hitched, 860, 1_820)).toBeNull();
    expect(shownAt(hitched, 1_860, 3_000)).toBe(1_860);
  });

  it('gives up waiting for smooth play a set time after the first frame', () => {
    const settle = new StandbySettle(OPTIONS);
    let shown: number | null = null;
    // A frame every 300 ms: each gap is a hitch, so it never plays a smooth second.
    for (let t = 0; t <= 4_000 && shown === null; t += 300) if (settle.frame(t)) shown = t;
    expect(shown).toBe(3_000);
  });

  it('holds the main stream to a smooth second, and the substream of a restore to a short wait', () => {
    const main = new StandbySettle(settleFor('main'));
    expect(main.frame(12_345)).toBe(false);
    expect(shownAt(main, 12_385, 14_000)).toBe(13_345);
    // The substream: 400 ms without a gap over 150 ms...
    const sub = new StandbySettle(settleFor('sub'));
    expect(sub.frame(20_000)).toBe(false);
    expect(shownAt(sub, 20_040, 21_000)).toBe(20_400);
    const hitched = new StandbySettle(settleFor('sub'));
    expect(shownAt(hitched, 0, 200)).toBeNull();
    expect(shownAt(hitched, 360, 700)).toBeNull();
    expect(shownAt(hitched, 720, 1_000)).toBe(760);
    // ...and 1.2 s after its first frame whatever it does, so the main stream is not kept long.
    const stuttering = new StandbySettle(settleFor('sub'));
    expect(shownAt(stuttering, 0, 2_000, 200)).toBe(1_200);
  });
});
