import { describe, expect, it } from 'vitest';
import {
  boundingBoxAround,
  distanceMeters,
  pointInPolygon,
  type LatLng,
  type PolygonCoordinates,
} from '../../shared/geo';

const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

// Lengths of one degree on the WGS84 ellipsoid (the usual series expansions), so the spherical
// distance is checked against the real Earth rather than against itself.
const metresPerDegreeLat = (lat: number) =>
  111_132.92 -
  559.82 * Math.cos(2 * rad(lat)) +
  1.175 * Math.cos(4 * rad(lat)) -
  0.0023 * Math.cos(6 * rad(lat));
const metresPerDegreeLng = (lat: number) =>
  111_412.84 * Math.cos(rad(lat)) - 93.5 * Math.cos(3 * rad(lat)) + 0.118 * Math.cos(5 * rad(lat));

const WINSTON_SALEM: LatLng = { lat: 36.0999, lng: -80.2442 };

describe('distanceMeters', () => {
  it.each([
    ['north', 36.0999, 1000, 0, 0.005],
    ['east', 36.0999, 0, 1000, 0.005],
    ['north-east', 36.0999, 707.1068, 707.1068, 0.005],
    ['east at the equator', 0, 0, 1000, 0.005],
    ['east in Oslo', 59.91, 0, 1000, 0.005],
    ['south in Sydney', -33.87, -1000, 0, 0.005],
    // The sphere is worst north-south at the equator, where the Earth is flattest: 0.56 %.
    ['north at the equator', 0, 1000, 0, 0.006],
  ])(
    'two points 1 km apart (%s) measure 1 km within the tolerance',
    (_name, lat, north, east, tolerance) => {
      const a = { lat, lng: 10 };
      const b = {
        lat: lat + north / metresPerDegreeLat(lat),
        lng: 10 + east / metresPerDegreeLng(lat),
      };
      expect(Math.abs(distanceMeters(a, b) - 1000) / 1000).toBeLessThan(tolerance);
    },
  );

  it.each([
    // The WGS84 meridian quadrant, equator to pole: 10,001,966 m.
    ['equator to pole', { lat: 0, lng: 0 }, { lat: 90, lng: 0 }, 10_001_966],
    // Half the equator: pi x 6,378,137 m.
    ['half the equator', { lat: 0, lng: 0 }, { lat: 0, lng: 180 }, 20_037_508],
    ['across the antimeridian', { lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 }, 111_319.5],
  ])('%s is within 0.5 %% of the ellipsoid figure', (_name, a, b, metres) => {
    expect(Math.abs(distanceMeters(a, b) - metres) / metres).toBeLessThan(0.005);
  });

  it('is zero for a point and itself, symmetric, and never NaN for antipodes', () => {
    expect(distanceMeters(WINSTON_SALEM, WINSTON_SALEM)).toBe(0);
    const other = { lat: 36.0726, lng: -79.792 };
    expect(distanceMeters(WINSTON_SALEM, other)).toBeCloseTo(
      distanceMeters(other, WINSTON_SALEM),
      6,
    );
    const antipode = { lat: -WINSTON_SALEM.lat, lng: WINSTON_SALEM.lng + 180 };
    expect(Number.isNaN(distanceMeters(WINSTON_SALEM, antipode))).toBe(false);
    expect(distanceMeters(WINSTON_SALEM, antipode)).toBeGreaterThan(20_000_000);
  });
});

describe('boundingBoxAround', () => {
  const R = 6_371_008.8;
  /** The point `distance` metres from `from` on initial bearing `bearing` (degrees), on the sphere. */
  function destination(from: LatLng, bearing: number, distance: number): LatLng {
    const d = distance / R;
    const phi = rad(from.lat);
    const theta = rad(bearing);
    const phi2 = Math.asin(
      Math.sin(phi) * Math.cos(d) + Math.cos(phi) * Math.sin(d) * Math.cos(theta),
    );
    const lambda2 =
      rad(from.lng) +
      Math.atan2(
        Math.sin(theta) * Math.sin(d) * Math.cos(phi),
        Math.cos(d) - Math.sin(phi) * Math.sin(phi2),
      );
    return { lat: deg(phi2), lng: deg(lambda2) };
  }

  it.each([
    ['500 m in Winston-Salem', WINSTON_SALEM, 500],
    ['5 km in Winston-Salem', WINSTON_SALEM, 5_000],
    ['50 km in Winston-Salem', WINSTON_SALEM, 50_000],
    ['20 km in Sydney', { lat: -33.87, lng: 151.21 }, 20_000],
    ['10 km at the equator', { lat: 0, lng: 0 }, 10_000],
    ['300 km in Tromso', { lat: 69.65, lng: 18.96 }, 300_000],
  ])('%s: every point of the circle is inside, and the box is tight', (_name, center, radius) => {
    const box = boundingBoxAround(center, radius);
    let [north, south, east, west] = [-Infinity, Infinity, -Infinity, Infinity];
    for (let tenths = 0; tenths < 3600; tenths++) {
      const p = destination(center, tenths / 10, radius);
      expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
      expect(p.lat).toBeLessThanOrEqual(box.maxLat);
      expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
      expect(p.lng).toBeLessThanOrEqual(box.maxLng);
      [north, south] = [Math.max(north, p.lat), Math.min(south, p.lat)];
      [east, west] = [Math.max(east, p.lng), Math.min(west, p.lng)];
    }
    // Tight: no edge lies further out than the circle reaches (sampled every 0.1 degree).
    const slack = 1e-4 * ((box.maxLat - box.minLat) / 2);
    expect(box.maxLat - north).toBeLessThan(slack);
    expect(south - box.minLat).toBeLessThan(slack);
    expect(box.maxLng - east).toBeLessThan(slack * 10);
    expect(west - box.minLng).toBeLessThan(slack * 10);
  });

  it('takes in every longitude when the circle reaches a pole', () => {
    const box = boundingBoxAround({ lat: 89.99, lng: 10 }, 5_000);
    expect(box.maxLat).toBe(90);
    expect(box.maxLng - box.minLng).toBeGreaterThanOrEqual(360);
    const south = boundingBoxAround({ lat: -89.995, lng: 0 }, 1_000);
    expect(south.minLat).toBe(-90);
    expect(south.maxLng - south.minLng).toBeGreaterThanOrEqual(360);
  });
});

describe('pointInPolygon', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  // A block with a courtyard: 0..10 x 0..10, hole 4..6 x 4..6.
  const block: PolygonCoordinates = [square(0, 0, 10, 10), square(4, 4, 6, 6)];
  const at = (lng: number, lat: number): LatLng => ({ lat, lng });

  it.each([
    ['inside the outer ring', at(2, 2), true],
    ['in the hole', at(5, 5), false],
    ['between the hole and the edge', at(5, 7), true],
    ['outside', at(11, 5), false],
    ['outside, level with the hole', at(-1, 5), false],
  ])('Polygon with a hole: %s', (_name, point, inside) => {
    expect(pointInPolygon(point, { type: 'Polygon', coordinates: block })).toBe(inside);
  });

  it('handles a concave ring and a ray that passes through a vertex', () => {
    // A U shape open to the north.
    const u: PolygonCoordinates = [
      [
        [0, 0],
        [6, 0],
        [6, 6],
        [4, 6],
        [4, 2],
        [2, 2],
        [2, 6],
        [0, 6],
        [0, 0],
      ],
    ];
    expect(pointInPolygon(at(1, 4), { type: 'Polygon', coordinates: u })).toBe(true);
    expect(pointInPolygon(at(3, 4), { type: 'Polygon', coordinates: u })).toBe(false);
    expect(pointInPolygon(at(5, 4), { type: 'Polygon', coordinates: u })).toBe(true);
    // A diamond: a point level with its east and west vertices.
    const diamond: PolygonCoordinates = [
      [
        [0, 5],
        [5, 0],
        [10, 5],
        [5, 10],
        [0, 5],
      ],
    ];
    expect(pointInPolygon(at(5, 5), { type: 'Polygon', coordinates: diamond })).toBe(true);
    expect(pointInPolygon(at(-1, 5), { type: 'Polygon', coordinates: diamond })).toBe(false);
    expect(pointInPolygon(at(11, 5), { type: 'Polygon', coordinates: diamond })).toBe(false);
  });

  it.each([
    ['in the first part', at(2, 2), true],
    ["in the first part's hole", at(5, 5), false],
    ['in the second part', at(25, 25), true],
    ['between the parts', at(15, 15), false],
    ["in the second part's hole", at(21, 21), false],
  ])('MultiPolygon: %s', (_name, point, inside) => {
    const geometry = {
      type: 'MultiPolygon' as const,
      coordinates: [block, [square(20, 20, 30, 30), square(20.5, 20.5, 21.5, 21.5)]],
    };
    expect(pointInPolygon(point, geometry)).toBe(inside);
  });

  it('works on real coordinates in GeoJSON order (lng, lat)', () => {
    // A rough box around downtown Winston-Salem.
    const downtown: PolygonCoordinates = [
      [
        [-80.26, 36.09],
        [-80.23, 36.09],
        [-80.23, 36.11],
        [-80.26, 36.11],
        [-80.26, 36.09],
      ],
    ];
    expect(pointInPolygon(WINSTON_SALEM, { type: 'Polygon', coordinates: downtown })).toBe(true);
    // The same numbers read lat-first land far away.
    expect(
      pointInPolygon(
        { lat: WINSTON_SALEM.lng, lng: WINSTON_SALEM.lat },
        { type: 'Polygon', coordinates: downtown },
      ),
    ).toBe(false);
  });
});
