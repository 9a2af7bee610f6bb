import { describe, expect, it } from 'vitest';
import { classifyFfmpegExit, SourceHealth } from '../../../../electron/host/gateway/sourceHealth';
import { ManualClock } from '../../../../shared/time/clock';

describe('source health', () => {
  it('starts at once, goes live on media, and ends a source that falls silent', () => {
    const clock = new ManualClock(1_000_000);
    const health = new SourceHealth(clock, { stallMs: 4000 });
    expect(health.state).toEqual({ kind: 'starting' });
    expect(health.tick()).toEqual({ kind: 'start' });
    health.spawned();
    expect(health.media()).toEqual({ kind: 'live' });
    expect(health.media()).toBeNull();
    clock.advance(4000);
    expect(health.tick()).toBeNull();
    clock.advance(1);
    expect(health.tick()).toEqual({ kind: 'end', reason: 'the source sent no video for 4 s' });
    // Asked once: the supervisor is ending it.
    expect(health.tick()).toBeNull();
  });

  it('gives a new ffmpeg a longer first wait', () => {
    const clock = new ManualClock(1_000_000);
    const health = new SourceHealth(clock, { stallMs: 1000, startTimeoutMs: 8000 });
    health.tick();
    health.spawned();
    clock.advance(7999);
    expect(health.tick()).toBeNull();
    clock.advance(2);
    expect(health.tick()).toMatchObject({ kind: 'end' });
  });

  it('restarts with growing backoff, and forgives failures once media flows again', () => {
    const clock = new ManualClock(1_000_000);
    const health = new SourceHealth(clock, { backoffMs: [100, 400, 1600] });
    health.tick();
    health.spawned();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(health.exited('the camera refused the connection', false)).toEqual({
        kind: 'reconnecting',
        attempt,
        reason: 'the camera refused the connection',
      });
      let waited = 0;
      while (health.tick() === null) {
        clock.advance(50);
        waited += 50;
      }
      waits.push(waited);
      health.spawned();
    }
    expect(waits).toEqual([100, 400, 1600, 1600]);
    expect(health.media()).toEqual({ kind: 'live' });
    expect(health.exited('the source ended the stream', false)).toMatchObject({ attempt: 1 });
  });

  it('fails after repeated permanent errors and stops trying', () => {
    const clock = new ManualClock(1_000_000);
    const health = new SourceHealth(clock, { permanentFailureLimit: 3, backoffMs: [10] });
    for (let i = 0; i < 2; i++) {
      health.spawned();
      expect(health.exited('the camera refused the credentials', true)?.kind).toBe('reconnecting');
    }
    health.spawned();
    expect(health.exited('the camera refused the credentials', true)).toEqual({
      kind: 'failed',
      reason: 'the camera refused the credentials',
    });
    clock.advance(60_000);
    expect(health.tick()).toBeNull();
  });

  it('restarts at once without counting a failure when asked to', () => {
    const clock = new ManualClock(1_000_000);
    const health = new SourceHealth(clock);
    health.tick();
    health.spawned();
    expect(health.exited('switching to transcoding', false, true)).toBeNull();
    expect(health.tick()).toEqual({ kind: 'start' });
    expect(health.state).toEqual({ kind: 'starting' });
  });
});

describe('ffmpeg exit classification', () => {
  it('names credential, address and network problems in words an operator can act on', () => {
    expect(classifyFfmpegExit('method DESCRIBE failed: 401 Unauthorized', 1)).toEqual({
      reason: 'the camera refused the credentials',
      permanent: true,
    });
    expect(classifyFfmpegExit('Server returned 404 Not Found', 1).permanent).toBe(true);
    expect(classifyFfmpegExit('Connection to tcp://x failed: Connection refused', 1)).toEqual({
      reason: 'the camera refused the connection',
      permanent: false,
    });
    expect(classifyFfmpegExit('something odd', 187).reason).toContain('187');
  });
});
