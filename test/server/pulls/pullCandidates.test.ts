import { describe, expect, it } from 'vitest';
import { rankCandidates, sharedStretches } from '../../../server/pulls/pullCandidates';
import type { AccessSubject as AccessSubject } from '../../../shared/policy/decideAccess';
import { SharingPolicySchema, type SharingPolicy } from '../../../shared/domain/sharingPolicy';
import type { CameraListItem } from '../../../shared/api/cameras';

const TZ = 'America/New_York';
/** Wednesday 25 November 2026 in New York (UTC-5): local hour h is UTC h+5. */
const at = (h: number, m = 0) => Date.UTC(2026, 10, 25, h + 5, m);

const integrated = (p: Partial<SharingPolicy>, alarmActive = false): AccessSubject => ({
  kind: 'integrated',
  sharing: SharingPolicySchema.parse({ mode: 'always', ...p }),
  alarmActive,
});

const mornings = integrated({
  mode: 'schedule',
  recordings: true,
  windows: [{ days: ['wed'], start: '08:00', end: '12:00' }],
});

describe("a pull's window against an owner's recordings policy", () => {
  it('covers the whole window when recordings are shared throughout', () => {
    const r = sharedStretches(integrated({ recordings: true }), at(9), at(10), TZ);
    expect(r.covered).toBe(at(10) - at(9));
  });

  it('covers nothing when recordings are not shared, and says why', () => {
    const r = sharedStretches(integrated({ recordings: false }), at(9), at(10), TZ);
    expect(r.covered).toBe(0);
    expect(r.refusal).toContain('does not share recordings');
  });

  it('covers the part of the window inside the schedule, at its edges exactly', () => {
    expect(sharedStretches(mornings, at(7, 30), at(8, 30), TZ).stretches).toEqual([
      [at(8), at(8, 30)],
    ]);
    expect(sharedStretches(mornings, at(11, 30), at(12, 30), TZ).stretches).toEqual([
      [at(11, 30), at(12)],
    ]);
    expect(sharedStretches(mornings, at(12), at(13), TZ).covered).toBe(0);
    expect(sharedStretches(mornings, at(7), at(8), TZ).covered).toBe(0);
  });

  it('an owner who shares only during alarms is contacted: a past alarm is not on record', () => {
    const alarmed = integrated({ mode: 'alarm', recordings: true }, true);
    expect(sharedStretches(alarmed, at(9), at(10), TZ).covered).toBe(0);
  });

  it('a withdrawn or expired agreement covers nothing', () => {
    expect(
      sharedStretches(integrated({ recordings: true, withdrawn: true }), at(9), at(10), TZ).covered,
    ).toBe(0);
    expect(
      sharedStretches(integrated({ recordings: true, validUntil: '2026-11-24' }), at(9), at(10), TZ)
        .covered,
    ).toBe(0);
  });

  it('ranks by what can be done, then distance, then id', () => {
    // Only the id counts in the ranking once action and distance are given.
    const cam = (id: string) =>
      ({ id: `0b8f3c1e-7c59-4b1a-9a57-2f9d8a4e1c${id}` }) as CameraListItem;
    const ranked = rankCandidates([
      { camera: cam('01'), distanceM: 50, action: 'contact_owner', actionNote: null },
      { camera: cam('02'), distanceM: 250, action: 'fetch_now', actionNote: null },
      { camera: cam('03'), distanceM: 120, action: 'agency', actionNote: null },
      { camera: cam('04'), distanceM: 90, action: 'fetch_now', actionNote: null },
      { camera: cam('05'), distanceM: 90, action: 'fetch_now', actionNote: null },
    ]);
    expect(ranked.map((c) => [c.camera.id.slice(-2), c.rank])).toEqual([
      ['04', 1],
      ['05', 2],
      ['02', 3],
      ['03', 4],
      ['01', 5],
    ]);
  });
});
