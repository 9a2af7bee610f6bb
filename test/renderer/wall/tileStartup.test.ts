import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/time/clock';
import { TileStartup } from '../../../renderer/wall/tileStartup';

describe('a tile start, stage by stage', () => {
  it('records each stage once, in ms after the player was attached', () => {
    const clock = new ManualClock();
    const startup = new TileStartup(clock);
    startup.mark('playlist');
    expect(startup.startedAt).toBeNull();
    expect(startup.summary()).toBe('');
    startup.attached();
    const attachedAt = clock.now();
    clock.advance(120);
    startup.mark('playlist');
    clock.advance(40);
    startup.mark('fragment');
    startup.mark('buffered');
    clock.advance(30);
    startup.mark('frame');
    clock.advance(500);
    startup.mark('playlist');
    expect(startup.startedAt).toBe(attachedAt);
    expect(startup.summary()).toBe('playlist=120 fragment=160 buffered=160 frame=190');
  });

  it("keeps the player's errors before the first frame, a few at most, and starts over on attach", () => {
    const clock = new ManualClock();
    const startup = new TileStartup(clock);
    startup.attached();
    clock.advance(800);
    startup.error('levelEmptyError');
    clock.advance(1000);
    startup.error('levelEmptyError');
    for (let i = 0; i < 5; i++) startup.error('fragLoadError');
    expect(startup.summary()).toBe(
      'errors=levelEmptyError@800,levelEmptyError@1800,fragLoadError@1800,fragLoadError@1800',
    );
    startup.attached();
    clock.advance(50);
    startup.mark('frame');
    startup.error('bufferStalledError');
    expect(startup.summary()).toBe('frame=50');
  });
});
