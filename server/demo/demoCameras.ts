import type { NewCamera } from '../../shared/domain/cameras';
import type { SharingPolicy } from '../../shared/domain/sharingPolicy';
import type { AgencyConfig } from '../../shared/domain/agency';
import { pointInPolygon, type LatLng } from '../../shared/geo';

/** A small seeded PRNG (mulberry32): the demo city is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Busy places where cameras cluster (synthetic but plausible for the demo city). */
export const HOTSPOTS: readonly (LatLng & { readonly name: string; readonly weight: number })[] = [
  { name: 'Downtown', lat: 36.0968, lng: -80.2437, weight: 5 },
  { name: 'Hanes Mall', lat: 36.0672, lng: -80.3089, weight: 3 },
  { name: 'Wake Forest', lat: 36.1335, lng: -80.2776, weight: 2 },
  { name: 'Reynolda', lat: 36.1285, lng: -80.2845, weight: 1 },
  { name: 'Waughtown', lat: 36.0735, lng: -80.2168, weight: 2 },
  { name: 'Stratford', lat: 36.0905, lng: -80.2935, weight: 2 },
  { name: 'University Pkwy', lat: 36.1505, lng: -80.2505, weight: 2 },
  { name: 'Peters Creek', lat: 36.0655, lng: -80.2605, weight: 2 },
  { name: 'Old Salem', lat: 36.0855, lng: -80.241, weight: 1 },
  { name: 'Smith Reynolds Airport', lat: 36.1345, lng: -80.2225, weight: 1 },
];

export const STREETS = [
  'N Main St',
  'S Main St',
  'N Liberty St',
  'N Trade St',
  'W 4th St',
  'W 5th St',
  'Stratford Rd',
  'Peters Creek Pkwy',
  'University Pkwy',
  'Reynolda Rd',
  'Silas Creek Pkwy',
  'Hanes Mall Blvd',
  'Country Club Rd',
  'Waughtown St',
  'Martin Luther King Jr Dr',
  'N Cherry St',
  'Marshall St',
  'Academy St',
  'Jonestown Rd',
  'Robinhood Rd',
  'Polo Rd',
  'Thurmond St',
  'Patterson Ave',
  'Indiana Ave',
  'Old Greensboro Rd',
  'Stadium Dr',
  'Akron Dr',
  'Burke Mill Rd',
];

const BUSINESSES = [
  'Corner Market',
  'Pharmacy',
  'Gas Station',
  'Laundromat',
  'Diner',
  'Hardware',
  'Bank',
  'Apartments',
  'Auto Repair',
  'Salon',
  'Grocery',
  'Church',
  'Day Care',
  'Pawn Shop',
  'Motel',
];

const FIRST = ['A.', 'B.', 'C.', 'D.', 'E.', 'F.', 'G.', 'H.', 'J.', 'K.', 'L.', 'M.', 'N.', 'P.'];
const LAST = ['Smith', 'Jones', 'Brown', 'Davis', 'Miller', 'Wilson', 'Moore', 'Taylor', 'Hall'];

/** Policies covering every way an owner may share, weighted toward the common ones. */
function sharingPolicyFor(i: number): SharingPolicy {
  const base: Omit<SharingPolicy, 'mode'> = {
    windows: [],
    alsoDuringAlarm: false,
    live: true,
    recordings: true,
    ptz: false,
    withdrawn: false,
  };
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { ...base, mode: 'always' };
    case 4:
      return {
        ...base,
        mode: 'schedule',
        windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }],
      };
    case 5:
      return {
        ...base,
        mode: 'schedule',
        alsoDuringAlarm: true,
        windows: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '20:00', end: '06:00' },
        ],
      };
    case 6:
      return { ...base, mode: 'alarm' };
    case 7:
      // Almost never open: the demo always has cameras that say why they cannot be viewed.
      return {
        ...base,
        mode: 'schedule',
        windows: [{ days: ['sun'], start: '03:00', end: '03:01' }],
      };
    case 8:
      return { ...base, mode: 'always', ptz: true };
    default:
      return { ...base, mode: 'always', recordings: false };
  }
}

export interface DemoCameraOptions {
  readonly registered: number;
  readonly integrated: number;
  readonly agency: number;
  /** Turns a camera's slug into the live source URL the camera simulator serves. */
  readonly sourceUrl: (slug: string, variant: 'main' | 'sub') => string;
  /**
   * A PTZ camera's streams and control URL, where the simulator emulates PTZ (docs/ptz.md);
   * without it PTZ cameras stream like the others and cannot be steered.
   */
  readonly ptzSource?: (slug: string) => {
    readonly url: string;
    readonly substreamUrl: string;
    readonly ptzUrl: string;
  };
  readonly seed?: number;
}

export const DEFAULT_DEMO_COUNTS = { registered: 240, integrated: 90, agency: 30 } as const;

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/**
 * The demo city's cameras: all three kinds, inside the jurisdiction, clustered where people are.
 * The simulator shows a camera's name read back from its slug, so demo names are Title Case
 * words that survive the round trip.
 */
export function generateDemoCameras(agency: AgencyConfig, opts: DemoCameraOptions): NewCamera[] {
  const rand = prng(opts.seed ?? 20_231_027);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const totalWeight = HOTSPOTS.reduce((s, h) => s + h.weight, 0);
  const bounds = agency.jurisdiction.coordinates.flat(2) as unknown as number[][];
  const lngs = bounds.map((p) => p[0]!);
  const lats = bounds.map((p) => p[1]!);
  const box = {
    minLng: Math.min(...lngs),
    maxLng: Math.max(...lngs),
    minLat: Math.min(...lats),
    maxLat: Math.max(...lats),
  };

  const place = (): LatLng => {
    for (;;) {
      let p: LatLng;
      if (rand() < 0.65) {
        // Near a hotspot: a rough gaussian of ~700 m.
        let w = rand() * totalWeight;
        const h = HOTSPOTS.find((x) => (w -= x.weight) < 0) ?? HOTSPOTS[0]!;
        const g = () => (rand() + rand() + rand() - 1.5) * 0.012;
        p = { lat: h.lat + g(), lng: h.lng + g() * 1.2 };
      } else {
        p = {
          lat: box.minLat + rand() * (box.maxLat - box.minLat),
          lng: box.minLng + rand() * (box.maxLng - box.minLng),
        };
      }
      if (pointInPolygon(p, agency.jurisdiction)) {
        return { lat: Math.round(p.lat * 1e6) / 1e6, lng: Math.round(p.lng * 1e6) / 1e6 };
      }
    }
  };
  const address = () => `${100 * (1 + Math.floor(rand() * 40))} block ${pick(STREETS)}`;
  // Directions come from a generator of their own, so that the cameras' places stay the same.
  const aimRand = prng((opts.seed ?? 20_231_027) + 1);
  const aim = (fov: readonly number[], range: readonly number[]) => ({
    bearingDeg: 5 * Math.floor(aimRand() * 72),
    fovDeg: fov[Math.floor(aimRand() * fov.length)]!,
    rangeM: range[Math.floor(aimRand() * range.length)]!,
  });
  const notes = 'Synthetic demo record.';
  const cameras: NewCamera[] = [];

  for (let i = 0; i < opts.registered; i++) {
    const at = address();
    const business = rand() < 0.5;
    const owner = business
      ? `${pick(BUSINESSES)} on ${at.split(' block ')[1]}`
      : `${pick(FIRST)} ${pick(LAST)}`;
    cameras.push({
      kind: 'registered',
      name: `${business ? 'Business' : 'Residence'} camera ${i + 1}`,
      ...place(),
      address: at,
      notes,
      owner: {
        name: `${owner} (demo)`,
        phone: `336-555-${String(1000 + Math.floor(rand() * 8999)).padStart(4, '0')}`,
        email: `owner${i + 1}@example.test`,
      },
      retentionDays: pick([7, 14, 30, 30, 60]),
    });
  }
  for (let i = 0; i < opts.integrated; i++) {
    const at = address();
    const name = `${pick(BUSINESSES)} ${i + 1}`;
    const slug = slugify(name);
    cameras.push({
      kind: 'integrated',
      name,
      ...place(),
      ...aim([70, 90, 110], [40, 60, 80]),
      address: at,
      notes,
      owner: {
        name: `${name} manager (demo)`,
        phone: '336-555-0100',
        email: `camera${i + 1}@example.test`,
      },
      source: {
        protocol: 'http-ts',
        url: opts.sourceUrl(slug, 'main'),
        codecHint: 'h264',
        substreamUrl: opts.sourceUrl(slug, 'sub'),
        ptz: i % 10 === 8,
        ...(i % 10 === 8 && opts.ptzSource ? opts.ptzSource(slug) : {}),
      },
      sharing: sharingPolicyFor(i),
    });
  }
  for (let i = 0; i < opts.agency; i++) {
    const at = `${pick(STREETS)} & ${pick(STREETS)}`;
    const traffic = i % 3 !== 0;
    const name = `${traffic ? 'Traffic' : 'Pole'} Camera ${i + 1}`;
    const slug = slugify(name);
    cameras.push({
      kind: 'agency',
      name,
      ...place(),
      ...aim(traffic ? [60, 70] : [90], traffic ? [120, 150] : [100]),
      address: at,
      notes,
      source: {
        protocol: 'http-ts',
        url: opts.sourceUrl(slug, 'main'),
        codecHint: 'h264',
        substreamUrl: opts.sourceUrl(slug, 'sub'),
        ptz: !traffic,
        ...(!traffic && opts.ptzSource ? opts.ptzSource(slug) : {}),
      },
    });
  }
  cameras.push(...downtownSquareCameras(opts));
  return cameras;
}

/** The downtown square the demo's busiest calls happen around (Courthouse Square, synthetic). */
export const DOWNTOWN_SQUARE = { lat: 36.0968, lng: -80.2437 } as const;

/**
 * The city's own cameras around the downtown square, each pointed at it: the dense core every
 * real center has, so that a call downtown has its four nearest cameras to dock.
 */
function downtownSquareCameras(opts: DemoCameraOptions): NewCamera[] {
  const ring = [
    { name: 'Square North', north: 70, east: 0 },
    { name: 'Square East', north: 0, east: 95 },
    { name: 'Square South', north: -110, east: 10 },
    { name: 'Square West', north: 5, east: -130 },
    { name: 'Courthouse Steps', north: 160, east: 60 },
    { name: 'Transit Center', north: -170, east: -120 },
  ];
  const mPerDegLng = 111_320 * Math.cos((DOWNTOWN_SQUARE.lat * Math.PI) / 180);
  return ring.map((c) => {
    const name = `${c.name} Camera`;
    const slug = slugify(name);
    // Pointed back at the square: the bearing from the camera to its centre.
    const bearing = (Math.atan2(-c.east, -c.north) * 180) / Math.PI;
    return {
      kind: 'agency',
      name,
      lat: Math.round((DOWNTOWN_SQUARE.lat + c.north / 111_320) * 1e6) / 1e6,
      lng: Math.round((DOWNTOWN_SQUARE.lng + c.east / mPerDegLng) * 1e6) / 1e6,
      address: 'Courthouse Square',
      notes: 'Synthetic demo record.',
      bearingDeg: Math.round((bearing + 360) % 360),
      fovDeg: 80,
      rangeM: 250,
      source: {
        protocol: 'http-ts',
        url: opts.sourceUrl(slug, 'main'),
        codecHint: 'h264',
        substreamUrl: opts.sourceUrl(slug, 'sub'),
        ptz: false,
      },
    };
  });
}
