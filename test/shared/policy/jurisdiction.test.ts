import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../../shared/geo';
import {
  distanceToJurisdictionMeters,
  outsideJurisdiction,
} from '../../../shared/policy/jurisdiction';

/** A square city, 36.05-36.15 N by 80.3-80.2 W, with a 1 km buffer. */
const agency = {
  jurisdiction: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [-80.3, 36.05] as [number, number],
        [-80.2, 36.05] as [number, number],
        [-80.2, 36.15] as [number, number],
        [-80.3, 36.15] as [number, number],
        [-80.3, 36.05] as [number, number],
      ],
    ],
  },
  incidents: {
    workedPriorities: [1],
    workedCallTypes: [],
    workedHours: [],
    jurisdictionBufferM: 1000,
  },
};

describe('the jurisdiction and its buffer', () => {
  it('is inside, in the buffer, or outside', () => {
    expect(outsideJurisdiction(agency, { lat: 36.1, lon: -80.25 })).toBe(false);
    expect(outsideJurisdiction(agency, { lat: 36.1, lon: -80.1956 })).toBe(false);
    expect(outsideJurisdiction(agency, { lat: 36.1, lon: -80.15 })).toBe(true);
  });

  it('measures the distance from outside: near by the boundary, far by the nearest corner', () => {
    expect(distanceToJurisdictionMeters(agency, { lat: 36.1, lon: -80.25 })).toBe(0);
    const east = distanceToJurisdictionMeters(agency, { lat: 36.1, lon: -80.15 });
    expect(east).toBeCloseTo(
      distanceMeters({ lat: 36.1, lng: -80.15 }, { lat: 36.1, lng: -80.2 }),
      -1,
    );
    // A longitude without its minus sign: the other side of the world, measured on the sphere.
    const far = distanceToJurisdictionMeters(agency, { lat: 36.1, lon: 80.25 });
    expect(far).toBeGreaterThan(10_000_000);
    expect(far).toBeLessThan(20_100_000);
  });
});
