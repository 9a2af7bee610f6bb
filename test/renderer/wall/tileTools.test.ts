import { describe, expect, it } from 'vitest';
import {
  MAX_TILE_ZOOM,
  NO_ZOOM,
  panBy,
  wheelFactor,
  zoomAt,
  zoomLabel,
  zoomNote,
  zoomTransform,
} from '../../../renderer/wall/tileZoom';
import {
  clockRange,
  clockTime,
  frameStep,
  lastClockTime,
  replayInstant,
} from '../../../renderer/wall/replayClock';
import { offersPtz } from '../../../renderer/wall/ptzAccess';

describe('digital zoom on a tile', () => {
  it('keeps the point under the pointer still while zooming', () => {
    const z = zoomAt(NO_ZOOM, 2, 0.75, 0.25);
    expect(z).toEqual({ scale: 2, ox: 0.375, oy: 0.125 });
    // The picture's point under the pointer before (0.75, 0.25) is under it after.
    expect(z.ox + 0.75 / z.scale).toBeCloseTo(0.75);
    expect(z.oy + 0.25 / z.scale).toBeCloseTo(0.25);
    const closer = zoomAt(z, 2, 0.5, 0.5);
    expect(closer.ox + 0.5 / closer.scale).toBeCloseTo(z.ox + 0.5 / z.scale);
  });

  it('stays between the whole picture and 8x, and never shows outside the picture', () => {
    expect(zoomAt(NO_ZOOM, 0.5, 0.5, 0.5)).toEqual(NO_ZOOM);
    let z = NO_ZOOM;
    for (let i = 0; i < 20; i++) z = zoomAt(z, 2, 1, 1);
    expect(z.scale).toBe(MAX_TILE_ZOOM);
    expect(z.ox).toBeCloseTo(1 - 1 / MAX_TILE_ZOOM);
    // Zooming out at a corner pulls the view back inside the picture.
    const out = zoomAt({ scale: 4, ox: 0.75, oy: 0.75 }, 0.5, 0, 0);
    expect(out).toEqual({ scale: 2, ox: 0.5, oy: 0.5 });
  });

  it('pans with the hand and stops at the edges', () => {
    const z = { scale: 2, ox: 0.25, oy: 0.25 };
    // Dragging right by a tenth of the tile shows what was to the left.
    expect(panBy(z, 0.1, 0)).toEqual({ scale: 2, ox: 0.2, oy: 0.25 });
    expect(panBy(z, 2, -2)).toEqual({ scale: 2, ox: 0, oy: 0.5 });
    expect(panBy(NO_ZOOM, 0.3, 0.3)).toEqual(NO_ZOOM);
  });

  it('turns wheel notches into steps and the view into a transform and a label', () => {
    expect(wheelFactor(-100)).toBeCloseTo(1.25);
    expect(wheelFactor(100)).toBeCloseTo(0.8);
    expect(wheelFactor(-10_000)).toBeCloseTo(1.25 ** 3);
    expect(zoomTransform(NO_ZOOM)).toBe('');
    expect(zoomTransform({ scale: 2, ox: 0.25, oy: 0.5 })).toBe('scale(2) translate(-25%, -50%)');
    expect(zoomLabel({ scale: 2.4414, ox: 0, oy: 0 })).toBe('2.4×');
    expect(zoomNote(NO_ZOOM)).toBe('');
    expect(zoomNote({ scale: 2, ox: 0, oy: 0 })).toBe(
      ' (shown at 2.0× digital zoom; whole frame kept)',
    );
  });
});

describe('replay in clock time', () => {
  // 19:03:27.400 UTC on 30 November 2026 is 14:03:27 in Winston-Salem (EST, UTC-5).
  const START = Date.parse('2026-11-30T19:03:27.400Z');

  it('shows the frame’s time in the agency’s zone, to the second, 24-hour', () => {
    expect(clockTime(START, 'America/New_York')).toBe('14:03:27');
    expect(clockTime(START, 'UTC')).toBe('19:03:27');
    expect(clockTime(Date.parse('2026-07-01T04:00:00Z'), 'America/New_York')).toBe('00:00:00');
    expect(clockRange(START, START + 30_000, 'America/New_York')).toBe('14:03:27 – 14:03:57');
  });

  it('dates a position from the replay’s first frame', () => {
    expect(replayInstant(START, 0.6)).toBe(START + 600);
    expect(clockTime(replayInstant(START, 0.6), 'America/New_York')).toBe('14:03:28');
  });

  it('steps one frame on the frame grid, within the replay', () => {
    expect(frameStep(1, 1, 30)).toBeCloseTo(1.04);
    expect(frameStep(1, -1, 30)).toBeCloseTo(0.96);
    // Off the grid (a paused video's time), a step lands on the grid.
    expect(frameStep(1.013, 1, 30)).toBeCloseTo(1.04);
    expect(frameStep(0, -1, 30)).toBe(0);
    expect(frameStep(29.99, 1, 30)).toBeCloseTo(29.96);
    expect(frameStep(2, 1, 30, 30)).toBeCloseTo(2 + 1 / 30);
    let t = 0;
    for (let i = 0; i < 250; i++) t = frameStep(t, 1, 30);
    expect(t).toBeCloseTo(10);
  });
});

describe('going back to a time of day', () => {
  const NY = 'America/New_York';
  it('finds the last time the agency’s clock read it: today’s, or yesterday’s if still to come', () => {
    // 30 November 2026, 14:10:00 in New York (EST, UTC-5).
    const now = Date.parse('2026-11-30T19:10:00Z');
    expect(lastClockTime('14:03', NY, now)).toBe(Date.parse('2026-11-30T19:03:00Z'));
    expect(lastClockTime('14:03:27', NY, now)).toBe(Date.parse('2026-11-30T19:03:27Z'));
    expect(lastClockTime('9:05', NY, now)).toBe(Date.parse('2026-11-30T14:05:00Z'));
    expect(lastClockTime('23:30', NY, now)).toBe(Date.parse('2026-11-30T04:30:00Z'));
    expect(lastClockTime('14:10', NY, now)).toBe(now);
    expect(lastClockTime('14:10:01', NY, now)).toBe(Date.parse('2026-11-29T19:10:01Z'));
  });

  it('keeps to the zone’s own offset on either side of a change of clocks', () => {
    // 1 November 2026, 03:30 EST: the clocks went back at 02:00 EDT. 00:30 was EDT (UTC-4);
    // 02:45 is EST (UTC-5).
    const now = Date.parse('2026-11-01T08:30:00Z');
    expect(lastClockTime('00:30', NY, now)).toBe(Date.parse('2026-11-01T04:30:00Z'));
    expect(lastClockTime('02:45', NY, now)).toBe(Date.parse('2026-11-01T07:45:00Z'));
  });

  it('takes only a time of day', () => {
    for (const text of ['', '24:00', '14:60', '14', 'noon', '14:03:61', '1403']) {
      expect(lastClockTime(text, NY, Date.now())).toBeNull();
    }
  });
});

describe('PTZ controls on a tile', () => {
  const policy = {
    mode: 'always' as const,
    windows: [],
    alsoDuringAlarm: false,
    live: true,
    recordings: true,
    ptz: true,
    withdrawn: false,
  };
  const steerer = ['streams.view', 'streams.ptz'] as const;

  it('are offered for a PTZ camera whose policy shares PTZ, to a role that may steer', () => {
    expect(offersPtz({ kind: 'integrated', ptz: true, sharing: policy }, steerer)).toBe(true);
    expect(offersPtz({ kind: 'agency', ptz: true, sharing: null }, steerer)).toBe(true);
  });

  it('are not offered without PTZ, without the permission, or where the owner does not share it', () => {
    expect(offersPtz({ kind: 'agency', ptz: false, sharing: null }, steerer)).toBe(false);
    expect(offersPtz({ kind: 'agency', ptz: true, sharing: null }, ['streams.view'])).toBe(false);
    expect(
      offersPtz({ kind: 'integrated', ptz: true, sharing: { ...policy, ptz: false } }, steerer),
    ).toBe(false);
    expect(
      offersPtz({ kind: 'integrated', ptz: true, sharing: { ...policy, live: false } }, steerer),
    ).toBe(false);
    expect(
      offersPtz(
        { kind: 'integrated', ptz: true, sharing: { ...policy, withdrawn: true } },
        steerer,
      ),
    ).toBe(false);
    expect(offersPtz(undefined, steerer)).toBe(false);
  });
});
