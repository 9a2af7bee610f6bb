import type { AgencyConfig } from '../../shared/domain/agency';
import type { Street, StreetLayer } from '../../shared/api/addresses';
import type { NewAddressPoint } from '../addresses/addressRepository';
import { DOWNTOWN_SQUARE, HOTSPOTS, STREETS, prng } from './demoCameras';

/**
 * The demo city's streets, places and address points: SYNTHETIC. No street data for the demo's
 * area can be had offline (the package registries hold no TIGER/Line or OpenStreetMap extract of
 * it), and the demo city is itself synthetic, so its streets are drawn here from the names its
 * camera addresses use: each named street is a line of 40 blocks ("100 block" to "4000 block")
 * through the city, and the busy places have a grid of unnamed local streets around them. They
 * are not the real city's streets, and the map's attribution says so (docs/address-points.md).
 */
export const DEMO_STREETS_ATTRIBUTION = 'Synthetic demo streets (not real geography)';

/** Blocks along each named street: the demo's camera addresses run from 100 to 4000. */
export const BLOCKS_PER_STREET = 40;
const M_PER_DEG_LAT = 111_320;

interface Frame {
  readonly mPerDegLng: number;
  readonly box: { minLat: number; maxLat: number; minLng: number; maxLng: number };
}

function frameOf(agency: AgencyConfig): Frame {
  const j = agency.jurisdiction;
  const points = (j.type === 'Polygon'
    ? j.coordinates.flat(1)
    : j.coordinates.flat(2)) as unknown as number[][];
  const lngs = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  return {
    mPerDegLng: M_PER_DEG_LAT * Math.cos((DOWNTOWN_SQUARE.lat * Math.PI) / 180),
    box: {
      minLat: Math.min(...lats),
      maxLat: Math.max(...lats),
      minLng: Math.min(...lngs),
      maxLng: Math.max(...lngs),
    },
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A point `north` and `east` metres from `at`. */
function offset(f: Frame, at: { lat: number; lng: number }, north: number, east: number) {
  return { lat: at.lat + north / M_PER_DEG_LAT, lng: at.lng + east / f.mPerDegLng };
}

/** Where a street starts, which way it runs (degrees from north) and how long it is. */
interface Course {
  readonly start: { lat: number; lng: number };
  readonly bearing: number;
  readonly lengthM: number;
}

function courseOf(f: Frame, name: string, i: number, rand: () => number): Course {
  const hotspot = HOTSPOTS.find((h) =>
    name.toLowerCase().startsWith(h.name.toLowerCase().split(' ')[0]!),
  );
  const downtown = DOWNTOWN_SQUARE;
  const lengthM = 7_000 + rand() * 3_000;
  // Downtown's own streets start at the square: numbers grow away from it, as in most cities.
  const core: Record<string, { north: number; east: number; bearing: number }> = {
    'N Main St': { north: 0, east: 0, bearing: 0 },
    'S Main St': { north: 0, east: 0, bearing: 180 },
    'N Liberty St': { north: 0, east: 180, bearing: 2 },
    'N Trade St': { north: 0, east: -160, bearing: 358 },
    'N Cherry St': { north: 0, east: -320, bearing: 356 },
    'W 4th St': { north: 60, east: 0, bearing: 270 },
    'W 5th St': { north: 200, east: 0, bearing: 272 },
    'Marshall St': { north: -250, east: -450, bearing: 185 },
  };
  const c = core[name];
  if (c) return { start: offset(f, downtown, c.north, c.east), bearing: c.bearing, lengthM };
  const bearing = (i % 2 === 0 ? 0 : 90) + (rand() - 0.5) * 60;
  // Through its namesake place, or a place of the city's own choosing; started half a length back.
  const through = hotspot ?? {
    lat: f.box.minLat + (0.2 + 0.6 * rand()) * (f.box.maxLat - f.box.minLat),
    lng: f.box.minLng + (0.2 + 0.6 * rand()) * (f.box.maxLng - f.box.minLng),
  };
  const back = (bearing * Math.PI) / 180;
  const half = lengthM / 2;
  return {
    start: offset(f, through, -Math.cos(back) * half, -Math.sin(back) * half),
    bearing,
    lengthM,
  };
}

/** The street's line: a gentle bend along its course, one vertex per `BLOCKS_PER_STREET / 2` blocks. */
function lineOf(f: Frame, course: Course, rand: () => number): { lat: number; lng: number }[] {
  const steps = BLOCKS_PER_STREET / 2;
  const bend = (rand() - 0.5) * 40;
  const phase = rand() * Math.PI;
  const out: { lat: number; lng: number }[] = [];
  let at = course.start;
  out.push(at);
  for (let s = 1; s <= steps; s++) {
    const heading =
      ((course.bearing + bend * Math.sin(phase + (s / steps) * Math.PI)) * Math.PI) / 180;
    const stepM = course.lengthM / steps;
    at = offset(f, at, Math.cos(heading) * stepM, Math.sin(heading) * stepM);
    out.push(at);
  }
  return out;
}

/** The point a fraction of the way along a line, by distance. */
function along(f: Frame, line: readonly { lat: number; lng: number }[], fraction: number) {
  const seg = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
    Math.hypot((b.lat - a.lat) * M_PER_DEG_LAT, (b.lng - a.lng) * f.mPerDegLng);
  const lengths = line.slice(1).map((p, i) => seg(line[i]!, p));
  let left = lengths.reduce((s, l) => s + l, 0) * fraction;
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i]! || i === lengths.length - 1) {
      const t = Math.min(1, left / lengths[i]!);
      const a = line[i]!;
      const b = line[i + 1]!;
      return { lat: a.lat + (b.lat - a.lat) * t, lng: a.lng + (b.lng - a.lng) * t };
    }
    left -= lengths[i]!;
  }
  return line[line.length - 1]!;
}

interface DemoGeography {
  readonly layer: StreetLayer;
  readonly addressPoints: readonly NewAddressPoint[];
}

/** By the jurisdiction it was drawn in: the layer is asked for at every sign-in. */
const cache = new Map<string, DemoGeography>();

/** The demo city's street layer and address points; the same on every machine. */
export function demoGeography(agency: AgencyConfig): DemoGeography {
  const key = JSON.stringify(agency.jurisdiction);
  const known = cache.get(key);
  if (known) return known;
  const f = frameOf(agency);
  const rand = prng(20_261_130);
  const streets: Street[] = [];
  const addressPoints: NewAddressPoint[] = [];
  STREETS.forEach((name, i) => {
    const line = lineOf(f, courseOf(f, name, i, rand), rand);
    const major = /Pkwy|Blvd|Rd$|Dr$/.test(name) && !/Akron|Stadium/.test(name);
    streets.push({
      name,
      class: major ? 'major' : 'minor',
      line: line.map((p) => [round6(p.lng), round6(p.lat)] as [number, number]),
    });
    for (let b = 1; b <= BLOCKS_PER_STREET; b++) {
      const p = along(f, line, (b - 0.5) / BLOCKS_PER_STREET);
      addressPoints.push({
        address: `${b * 100} block ${name}`,
        place: null,
        kind: 'address',
        lat: round6(p.lat),
        lng: round6(p.lng),
      });
    }
  });
  // Around each busy place, a grid of local streets about 160 m apart, a little turned.
  for (const h of [...HOTSPOTS, { name: 'Courthouse Square', ...DOWNTOWN_SQUARE, weight: 0 }]) {
    const turn = ((rand() - 0.5) * 30 * Math.PI) / 180;
    const reach = 900;
    for (let k = -5; k <= 5; k++) {
      for (const along of [0, 1]) {
        const u = k * 160;
        const ends = [-reach, reach].map((v) => {
          const [n, e] = along === 0 ? [u, v] : [v, u];
          return offset(
            f,
            h,
            n * Math.cos(turn) - e * Math.sin(turn),
            n * Math.sin(turn) + e * Math.cos(turn),
          );
        });
        streets.push({
          name: null,
          class: 'local',
          line: ends.map((p) => [round6(p.lng), round6(p.lat)] as [number, number]),
        });
      }
    }
  }
  const places = [
    { name: 'Courthouse Square', lat: DOWNTOWN_SQUARE.lat, lng: DOWNTOWN_SQUARE.lng },
    ...HOTSPOTS.filter((h) => h.name !== 'Downtown').map((h) => ({
      name: h.name,
      lat: h.lat,
      lng: h.lng,
    })),
  ];
  for (const p of places) {
    addressPoints.push({ address: p.name, place: p.name, kind: 'place', lat: p.lat, lng: p.lng });
  }
  const geography = {
    layer: { attribution: DEMO_STREETS_ATTRIBUTION, streets, places },
    addressPoints,
  };
  cache.set(key, geography);
  return geography;
}
