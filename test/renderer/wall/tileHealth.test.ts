import { describe, expect, it } from 'vitest';
import { TileHealth, type TileHealthOptions } from '../../../renderer/wall/tileHealth';
import { ManualClock } from '../../../shared/time/clock';

function setup(options: Partial<TileHealthOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const tile = new TileHealth(clock, options);
  const advance = (ms: number) => {
    clock.advance(ms);
    return tile.tick();
  };
  return { tile, advance, now: () => clock.now() };
}

describe('tile health', () => {
  it('starts, loads the wanted variant, and goes live when the media clock moves', () => {
    const { tile } = setup();
    expect(tile.start('sub')).toEqual([{ type: 'load', variant: 'sub' }]);
    expect(tile.snapshot().state).toBe('starting');
    tile.progress(0);
    expect(tile.snapshot().state).toBe('live');
  });

  it('a media clock that does not move is not progress', () => {
    const { tile, advance } = setup({ stallMs: 2000 });
    tile.start('sub');
    tile.progress(5);
    advance(1500);
    tile.progress(5);
    expect(advance(600)).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot().state).toBe('reconnecting');
    expect(tile.snapshot().stalls).toBe(1);
  });

  it('detects a stall, backs off, reloads, and counts attempts', () => {
    const { tile, advance } = setup({ stallMs: 2000, backoffMs: [250, 500, 1000] });
    tile.start('sub');
    tile.progress(1);
    expect(advance(1999)).toEqual([]);
    expect(advance(1)).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot()).toMatchObject({ state: 'reconnecting', attempt: 1 });
    expect(advance(249)).toEqual([]);
    expect(advance(1)).toEqual([{ type: 'load', variant: 'sub' }]);
    expect(tile.snapshot().state).toBe('starting');
    // Still nothing: the start timeout gives up and the next wait is longer.
    expect(advance(5000)).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot()).toMatchObject({ state: 'reconnecting', attempt: 2 });
    expect(advance(499)).toEqual([]);
    expect(advance(1)).toEqual([{ type: 'load', variant: 'sub' }]);
    tile.progress(0.2);
    expect(tile.snapshot()).toMatchObject({ state: 'live', reason: null });
  });

  it('the last backoff repeats, and enough failures say "failed" but keep retrying slowly', () => {
    const { tile, advance } = setup({
      backoffMs: [100],
      startTimeoutMs: 1000,
      failAfterAttempts: 3,
      failedRetryMs: 10_000,
    });
    tile.start('sub');
    tile.error('network error', true);
    expect(tile.snapshot()).toMatchObject({ state: 'reconnecting', attempt: 1 });
    expect(advance(100)).toEqual([{ type: 'load', variant: 'sub' }]);
    tile.error('network error', true);
    expect(tile.snapshot()).toMatchObject({ state: 'reconnecting', attempt: 2 });
    expect(advance(100)).toEqual([{ type: 'load', variant: 'sub' }]);
    tile.error('network error', true);
    expect(tile.snapshot()).toMatchObject({ state: 'failed', attempt: 3 });
    expect(tile.snapshot().reason).toContain('retrying every 10 s');
    expect(advance(9_999)).toEqual([]);
    expect(advance(1)).toEqual([{ type: 'load', variant: 'sub' }]);
    // The slow retry keeps the "failed" label until a frame arrives.
    expect(tile.snapshot().state).toBe('failed');
    tile.progress(3);
    expect(tile.snapshot().state).toBe('live');
  });

  it('recovers within the longest backoff plus a start once the source returns', () => {
    const { tile, advance } = setup();
    tile.start('sub');
    tile.progress(1);
    let loads = 0;
    // The source is gone for 20 s: every load times out.
    for (let t = 0; t < 20_000; t += 100)
      loads += advance(100).filter((c) => c.type === 'load').length;
    expect(loads).toBeGreaterThan(1);
    expect(tile.snapshot().state).toBe('reconnecting');
    // It returns: the next load that lands shows a frame.
    let recoveredAfter = -1;
    for (let t = 0; t <= 10_000 && recoveredAfter < 0; t += 100) {
      const cmds = advance(100);
      if (cmds.some((c) => c.type === 'load')) {
        tile.progress(100 + t);
        recoveredAfter = t + 100;
      } else if (tile.snapshot().state === 'starting') {
        tile.progress(100 + t);
        recoveredAfter = t + 100;
      }
    }
    expect(tile.snapshot().state).toBe('live');
    expect(recoveredAfter).toBeLessThanOrEqual(5_000 + 2_000);
  });

  it('a long stable run resets the attempt count', () => {
    const { tile, advance } = setup({ stableMs: 10_000, backoffMs: [100] });
    tile.start('sub');
    tile.error('x', true);
    advance(100);
    tile.progress(1);
    expect(tile.snapshot().attempt).toBe(1);
    for (let i = 0; i < 11; i++) {
      advance(1000);
      tile.progress(2 + i);
    }
    expect(tile.snapshot().attempt).toBe(0);
  });

  it('non-retryable errors fail at once and unload', () => {
    const { tile, advance } = setup();
    tile.start('main');
    expect(tile.error('You may not view this camera', false)).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot()).toMatchObject({
      state: 'failed',
      reason: 'You may not view this camera',
    });
    expect(advance(60_000)).toEqual([]);
  });

  it('a revoked grant stops the video and keeps the reason', () => {
    const { tile, advance } = setup();
    tile.start('sub');
    tile.progress(1);
    expect(tile.revoke("The owner's sharing window closed at 18:00")).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot()).toMatchObject({
      state: 'revoked',
      reason: "The owner's sharing window closed at 18:00",
    });
    expect(advance(600_000)).toEqual([]);
    expect(tile.setVisible(false)).toEqual([]);
    expect(tile.setVisible(true)).toEqual([]);
    expect(tile.snapshot().state).toBe('revoked');
  });

  it('outside the sharing window it waits for the window to open, then tries again', () => {
    const { tile, advance, now } = setup();
    tile.start('sub');
    expect(tile.refuse('Shared Mon-Fri 08:00-18:00; opens Mon 08:00', now() + 60_000)).toEqual([
      { type: 'unload' },
    ]);
    expect(tile.snapshot().state).toBe('outside_window');
    expect(advance(59_999)).toEqual([]);
    expect(advance(1)).toEqual([{ type: 'load', variant: 'sub' }]);
    expect(tile.snapshot().state).toBe('starting');
  });

  it('outside the window with no known opening it stays put', () => {
    const { tile, advance } = setup();
    tile.start('sub');
    tile.refuse('Shared only while the owner has an alarm raised', null);
    expect(advance(3_600_000)).toEqual([]);
    expect(tile.snapshot().state).toBe('outside_window');
  });

  it('hidden tiles stop pulling and resume when visible', () => {
    const { tile, advance } = setup();
    tile.start('sub');
    tile.progress(1);
    expect(tile.setVisible(false)).toEqual([{ type: 'unload' }]);
    expect(tile.snapshot().state).toBe('paused');
    // No stall is detected while paused, however long.
    expect(advance(60_000)).toEqual([]);
    expect(tile.setVisible(true)).toEqual([{ type: 'load', variant: 'sub' }]);
    expect(tile.snapshot().state).toBe('starting');
  });

  it('a camera put on a hidden tile waits until the tile is visible', () => {
    const { tile } = setup();
    tile.setVisible(false);
    expect(tile.start('sub')).toEqual([]);
    expect(tile.snapshot().state).toBe('paused');
    expect(tile.setVisible(true)).toEqual([{ type: 'load', variant: 'sub' }]);
  });

  it('a reconnecting tile that is hidden does not retry', () => {
    const { tile, advance } = setup({ backoffMs: [100] });
    tile.start('sub');
    tile.error('x', true);
    tile.setVisible(false);
    expect(advance(1000)).toEqual([]);
    expect(tile.snapshot().state).toBe('paused');
  });

  it('maximising a live tile switches to the main stream and back without leaving live', () => {
    const { tile } = setup();
    tile.start('sub');
    tile.progress(1);
    expect(tile.setWanted('main')).toEqual([{ type: 'switch', variant: 'main' }]);
    expect(tile.snapshot()).toMatchObject({ variant: 'main', wanted: 'main', state: 'live' });
    // The new variant's clock starts again at 0: after the switch it counts as progress.
    tile.switched();
    tile.progress(0.2);
    expect(tile.snapshot().state).toBe('live');
    expect(tile.setWanted('sub')).toEqual([{ type: 'switch', variant: 'sub' }]);
    expect(tile.setWanted('sub')).toEqual([]);
  });

  it('a tile still starting loads the variant it now wants from scratch', () => {
    const { tile } = setup();
    tile.start('sub');
    expect(tile.setWanted('main')).toEqual([{ type: 'load', variant: 'main' }]);
    expect(tile.snapshot()).toMatchObject({ variant: 'main', state: 'starting' });
  });

  it('the old picture may stand still during a switch until a start would time out, then it is a stall', () => {
    const { tile, advance } = setup({ stallMs: 1000, startTimeoutMs: 3000, backoffMs: [100] });
    tile.start('sub');
    tile.progress(1);
    tile.setWanted('main');
    advance(2900);
    expect(tile.snapshot().state).toBe('live');
    advance(100);
    expect(tile.snapshot().state).toBe('reconnecting');
    expect(advance(100)).toEqual([{ type: 'load', variant: 'main' }]);
  });

  it('once the other variant has a frame, the picture still shown is held to the stall rule while the new one settles', () => {
    const { tile, advance } = setup({ stallMs: 1000, startTimeoutMs: 3000 });
    tile.start('sub');
    tile.progress(1);
    tile.setWanted('main');
    advance(500);
    tile.standbyFramed();
    // The old picture keeps moving: the settling may outlast the start timeout.
    for (let t = 0; t < 4000; t += 250) {
      tile.progress(1 + (t + 250) / 1000);
      advance(250);
    }
    expect(tile.snapshot().state).toBe('live');
    // The old picture stops: a stall, as on any live tile.
    advance(1000);
    expect(tile.snapshot().state).toBe('reconnecting');
  });

  it('once switched, the ordinary stall rule is back', () => {
    const { tile, advance } = setup({ stallMs: 1000, startTimeoutMs: 3000 });
    tile.start('sub');
    tile.progress(1);
    tile.setWanted('main');
    advance(2000);
    tile.switched();
    tile.progress(0.1);
    advance(1000);
    expect(tile.snapshot().state).toBe('reconnecting');
  });

  it('repeated stalls on the main stream drop to the substream, then try main again later', () => {
    const { tile, advance } = setup({
      stallMs: 1000,
      backoffMs: [100],
      downgradeStalls: 2,
      downgradeWindowMs: 60_000,
      downgradeHoldMs: 30_000,
    });
    tile.start('main');
    tile.progress(1);
    advance(1000); // stall 1
    expect(advance(100)).toEqual([{ type: 'load', variant: 'main' }]);
    tile.progress(2);
    advance(1000); // stall 2: downgrade
    expect(tile.snapshot()).toMatchObject({ variant: 'sub', wanted: 'main' });
    expect(advance(100)).toEqual([{ type: 'load', variant: 'sub' }]);
    // While held, asking for main again keeps the substream.
    tile.progress(3);
    let t = 3;
    let reload: unknown[] = [];
    for (let i = 0; i < 40 && reload.length === 0; i++) {
      reload = advance(900);
      tile.progress(++t);
    }
    expect(reload).toEqual([{ type: 'load', variant: 'main' }]);
    expect(tile.snapshot()).toMatchObject({ variant: 'main', downgradedUntil: null });
  });

  it('stalls spread wider than the window do not downgrade', () => {
    const { tile, advance } = setup({
      stallMs: 1000,
      backoffMs: [100],
      downgradeWindowMs: 10_000,
      stableMs: 1_000_000,
    });
    tile.start('main');
    tile.progress(1);
    advance(1000);
    advance(100);
    let t = 1;
    for (let i = 0; i < 12; i++) {
      advance(999);
      tile.progress(++t);
    }
    advance(1000);
    expect(tile.snapshot()).toMatchObject({ variant: 'main', stalls: 2 });
  });

  it('clearing the tile unloads once and goes idle', () => {
    const { tile } = setup();
    tile.start('sub');
    expect(tile.clear()).toEqual([{ type: 'unload' }]);
    expect(tile.clear()).toEqual([]);
    expect(tile.snapshot().state).toBe('idle');
  });
});
