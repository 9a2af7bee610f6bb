import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../shared/time/clock';
import { StartupTrace } from '../../../../electron/host/gateway/startupTrace';

describe("a stream's startup trace", () => {
  it('keeps the first time each stage is reached, after the stream was opened, in stage order', () => {
    const clock = new ManualClock();
    const trace = new StartupTrace(clock);
    clock.advance(10);
    expect(trace.mark('ffmpegSpawned')).toBe(true);
    clock.advance(40);
    trace.mark('playlistAsked');
    clock.advance(250);
    trace.mark('firstBytes');
    trace.mark('init');
    clock.advance(300);
    // A restarted ffmpeg does not move the first start's stages.
    expect(trace.mark('ffmpegSpawned')).toBe(false);
    trace.mark('firstFragment');
    clock.advance(160);
    trace.mark('firstPart');
    trace.mark('playlistAnswered');
    expect(Object.entries(trace.offsets())).toEqual([
      ['ffmpegSpawned', 10],
      ['firstBytes', 300],
      ['init', 300],
      ['firstFragment', 600],
      ['firstPart', 760],
      ['playlistAsked', 50],
      ['playlistAnswered', 760],
    ]);
  });
});
