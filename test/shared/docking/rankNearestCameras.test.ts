import { describe, expect, it } from 'vitest';
import type { Camera } from '../../../shared/domain/cameras';
import {
  angleBetween,
  bearingTo,
  coneContains,
  conePolygon,
} from '../../../shared/docking/cameraCone';
import { rankNearestCameras } from '../../../shared/docking/rankNearestCameras';
import { distanceMeters } from '../../../shared/geo';

const POINT = { lat: 36.1, lng: -80.25 };
/** About `m` metres from the point in the direction `deg` (flat-earth, fine at this scale). */
function offset(m: number, deg: number) {
  const r = (deg * Math.PI) / 180;
  return {
    lat: POINT.lat + (Math.cos(r) * m) / 111_320,
    lng: POINT.lng + (Math.sin(r) * m) / (111_320 * Math.cos((POINT.lat * Math.PI) / 180)),
  };
}

function camera(id: string, over: Partial<Camera> = {}): Camera {
  return {
    id,
    kind: 'agency',
    status: 'active',
    name: id,
    ...POINT,
    address: null,
    notes: null,
    retentionDays: null,
    hasOwnerContact: false,
    sharing: null,
    alarmActive: false,
    ptz: false,
    hasSubstream: false,
    hasRecordings: false,
    bearingDeg: null,
    fovDeg: null,
    rangeM: null,
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

const candidate = (
  c: Camera,
  refusal: { reason: string; nextOpen: string | null } | null = null,
) => ({
  camera: c,
  distanceM: distanceMeters(c, POINT),
  refusal,
});

describe('camera cones', () => {
  it('measures bearings clockwise from north and the angle between two', () => {
    expect(bearingTo(POINT, offset(50, 90))).toBeCloseTo(90, 0);
    expect(bearingTo(POINT, offset(50, 270))).toBeCloseTo(270, 0);
    expect(angleBetween(350, 10)).toBe(20);
    expect(angleBetween(10, 350)).toBe(20);
  });

  it('sees a point within half the field of view of its bearing and within its range', () => {
    // The camera is 40 m west of the point: the point is due east of it.
    const west = offset(40, 270);
    expect(coneContains({ ...west, bearingDeg: 90, fovDeg: 60, rangeM: null }, POINT)).toBe(true);
    expect(coneContains({ ...west, bearingDeg: 125, fovDeg: 60, rangeM: null }, POINT)).toBe(false);
    expect(coneContains({ ...west, bearingDeg: 90, fovDeg: 60, rangeM: 30 }, POINT)).toBe(false);
    expect(coneContains({ ...west, bearingDeg: null, fovDeg: null, rangeM: null }, POINT)).toBe(
      false,
    );
    const ring = conePolygon({ ...west, bearingDeg: 90, fovDeg: 60, rangeM: 80 })!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring.length).toBe(15);
  });
});

describe('ranking the nearest cameras', () => {
  it('puts cameras that see the point first, distance breaking ties', () => {
    const near = camera('near', offset(20, 0)); // closest, no direction known
    const looking = camera('looking', { ...offset(60, 270), bearingDeg: 90, fovDeg: 50 });
    const away = camera('away', { ...offset(30, 180), bearingDeg: 180, fovDeg: 50 });
    const far = camera('far', offset(150, 45));
    const ranked = rankNearestCameras(
      POINT,
      [far, away, near, looking].map((c) => candidate(c)),
      4,
    );
    expect(ranked.docked.map((c) => [c.camera.id, c.seesPoint])).toEqual([
      ['looking', true],
      ['near', false],
      ['away', false],
      ['far', false],
    ]);
  });

  it('docks at most `count`, lists refused cameras with the reason and registered ones as owners', () => {
    const cams = [1, 2, 3, 4, 5].map((i) => camera(`c${i}`, offset(i * 10, 0)));
    const closed = camera('closed', { ...offset(5, 0), kind: 'integrated' });
    const doorbell = camera('doorbell', { ...offset(2, 0), kind: 'registered' });
    const retired = camera('retired', { ...offset(1, 0), status: 'retired' });
    const ranked = rankNearestCameras(
      POINT,
      [
        ...cams.map((c) => candidate(c)),
        candidate(closed, {
          reason: 'Owner shares this camera only while their alarm is raised.',
          nextOpen: null,
        }),
        candidate(doorbell),
        candidate(retired),
      ],
      3,
    );
    expect(ranked.docked.map((c) => c.camera.id)).toEqual(['c1', 'c2', 'c3']);
    expect(ranked.notDocked).toEqual([
      expect.objectContaining({
        reason: 'Owner shares this camera only while their alarm is raised.',
        camera: expect.objectContaining({ id: 'closed' }),
      }),
    ]);
    expect(ranked.ownersToContact.map((c) => c.camera.id)).toEqual(['doorbell']);
  });
});
