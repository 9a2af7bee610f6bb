import type { AgencyConfig } from '../../shared/domain/agency';
import type { GunshotType } from '../../shared/domain/alerts';
import type { LatLng } from '../../shared/geo';
import { systemClock, type Clock } from '../../shared/time/clock';
import { demoCadPlaces, SYNTHETIC, type CadPlace, type CadPoster } from './demoCadReplay';
import { DEMO_DRONE_CAMERA_ID, DRONE_BASE } from './demoDrone';
import { replayTicker } from './replayTicker';

/**
 * The demo site's sensors, beside its CAD (demoCadReplay.ts): through the real ingest endpoints,
 * with the demo's LPR, gunshot and tracking keys, compressed like the CAD day and looping:
 *
 * - a few LPR hot-list hits a day at the demo cameras, some on the violent-felony list, each
 *   with a plate image the demo camera simulator serves;
 * - gunshot detections at a low rate, mostly at night, with the type mix of a real city's
 *   sensor data (test/fixtures/stlouis-gunshots.csv: 51 % multiple, 45 % single, 4 % possible
 *   firecracker);
 * - one person on electronic monitoring walking a loop that crosses an exclusion zone of the
 *   demo agency (assets/agency/winston-salem.json) once a loop;
 * - the drone (demoDrone.ts) flying a few times a day over the most urgent open CAD call (the
 *   demo CAD's, when one is given; else a place near a demo camera), circling it with its camera
 *   pointed at it.
 *
 * Everything it sends says it is synthetic. No timer decides anything: `tick()` posts what is
 * due by the clock (tests drive it with a ManualClock), and `startDemoAlertReplay` calls it every
 * second unless told not to.
 */

const DAY_MS = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export const LPR_HITS_PATH = '/v1/ingest/lpr/hits';
export const GUNSHOTS_PATH = '/v1/ingest/gunshots';
export const TRACKS_PATH = '/v1/ingest/tracks';

export const LPR_HITS_PER_DAY = 8;
export const GUNSHOTS_PER_DAY = 6;
export const DRONE_FLIGHTS_PER_DAY = 6;

/** The monitored person: the subject the demo agency's exclusion zone names. */
export const EM_SUBJECT = 'SYN-EM-0417';
/** An ankle monitor reports about every two minutes while it moves. */
export const EM_EVERY_MS = 2 * MINUTE;
/** One loop of the person's walk, through the exclusion zone once. */
export const EM_LOOP_MS = 3 * HOUR;
/** The loop's corners; the fourth is inside the zone "syn-protected-residence". */
export const EM_LOOP: readonly LatLng[] = [
  { lat: 36.115, lng: -80.28 },
  { lat: 36.115, lng: -80.262 },
  { lat: 36.121, lng: -80.262 },
  { lat: 36.121, lng: -80.27 },
  { lat: 36.121, lng: -80.28 },
];

/** A flight: out from the base, circling the scene, back. */
export const DRONE_EVERY_MS = 15_000;
const DRONE_LAUNCH_MS = 2 * MINUTE;
const DRONE_TRANSIT_MS = 3 * MINUTE;
const DRONE_ORBIT_MS = 12 * MINUTE;
const DRONE_ORBIT_M = 120;

const HOT_LISTS: readonly { name: string; reason: string }[] = [
  { name: 'violent-felony', reason: 'Vehicle of a suspect wanted for armed robbery' },
  { name: 'stolen-vehicle', reason: 'Reported stolen' },
  { name: 'violent-felony', reason: 'Vehicle seen leaving an aggravated assault' },
  { name: 'stolen-plate', reason: 'Plate reported stolen' },
  { name: 'missing-person', reason: 'Vehicle of a missing endangered adult' },
];

/** Detections per hour of the day: most at night, as in the source data. */
const GUNSHOT_HOUR_WEIGHTS = [
  9, 9, 8, 6, 4, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 9,
] as const;

export interface PlannedLprHit {
  readonly atMs: number;
  readonly plate: string;
  readonly place: CadPlace;
  readonly hotList: { readonly name: string; readonly reason: string };
  readonly confidence: number;
}

export interface PlannedGunshot {
  readonly atMs: number;
  readonly at: LatLng;
  readonly type: GunshotType;
  readonly rounds: number;
}

export interface PlannedFlight {
  readonly atMs: number;
  /** Where it flies when no open call is given. */
  readonly fallback: LatLng;
}

export interface PlannedAlertDay {
  readonly lpr: readonly PlannedLprHit[];
  readonly gunshots: readonly PlannedGunshot[];
  readonly flights: readonly PlannedFlight[];
}

const between = (random: () => number, lo: number, hi: number) => lo + random() * (hi - lo);

function pickHour(random: () => number): number {
  const total = GUNSHOT_HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let left = random() * total;
  for (let h = 0; h < 24; h++) {
    left -= GUNSHOT_HOUR_WEIGHTS[h]!;
    if (left < 0) return h;
  }
  return 23;
}

function gunshotType(random: () => number): { type: GunshotType; rounds: number } {
  const u = random();
  if (u < 0.51) return { type: 'multiple', rounds: 2 + Math.floor(random() * 8) };
  if (u < 0.96) return { type: 'single', rounds: 1 };
  return { type: 'possible_firecracker', rounds: 4 + Math.floor(random() * 10) };
}

/** Metres north and east of a point, as a position. */
export function offset(p: LatLng, north: number, east: number): LatLng {
  return {
    lat: p.lat + north / 111_320,
    lng: p.lng + east / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  };
}

function plateOf(random: () => number): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const l = () => letters[Math.floor(random() * letters.length)]!;
  return `${l()}${l()}${l()}-${String(1000 + Math.floor(random() * 9000))}`;
}

/** One replayed day of sensor alerts, in time order. */
export function planAlertDay(places: readonly CadPlace[], random: () => number): PlannedAlertDay {
  const place = () => places[Math.floor(random() * places.length)]!;
  const lpr = Array.from({ length: LPR_HITS_PER_DAY }, (_, i) => ({
    atMs: Math.floor(between(random, 0, DAY_MS)),
    plate: plateOf(random),
    place: place(),
    hotList: HOT_LISTS[i % HOT_LISTS.length]!,
    confidence: Math.round(between(random, 0.82, 0.99) * 100) / 100,
  })).sort((a, b) => a.atMs - b.atMs);
  const gunshots = Array.from({ length: GUNSHOTS_PER_DAY }, () => {
    const near = place();
    return {
      atMs: Math.floor((pickHour(random) + random()) * HOUR),
      at: offset(near, between(random, -150, 150), between(random, -150, 150)),
      ...gunshotType(random),
    };
  }).sort((a, b) => a.atMs - b.atMs);
  // Evenly spread, so that one flight is over before the next (a flight lasts under half an hour).
  const flights = Array.from({ length: DRONE_FLIGHTS_PER_DAY }, (_, i) => ({
    atMs: Math.floor(((i + between(random, 0.1, 0.6)) * DAY_MS) / DRONE_FLIGHTS_PER_DAY),
    fallback: place(),
  }));
  return { lpr, gunshots, flights };
}

/** Where the monitored person is, `ms` into the walk: along the loop at an even pace. */
export function emPosition(ms: number): LatLng {
  const legs = EM_LOOP.map((p, i) => [p, EM_LOOP[(i + 1) % EM_LOOP.length]!] as const);
  const length = (a: LatLng, b: LatLng) => Math.hypot(a.lat - b.lat, a.lng - b.lng);
  const total = legs.reduce((sum, [a, b]) => sum + length(a, b), 0);
  let along = ((((ms % EM_LOOP_MS) + EM_LOOP_MS) % EM_LOOP_MS) / EM_LOOP_MS) * total;
  for (const [a, b] of legs) {
    const l = length(a, b);
    if (along <= l) {
      const f = l === 0 ? 0 : along / l;
      return { lat: a.lat + (b.lat - a.lat) * f, lng: a.lng + (b.lng - a.lng) * f };
    }
    along -= l;
  }
  return EM_LOOP[0]!;
}

/** Degrees clockwise from north, from one point towards another. */
export function bearing(from: LatLng, to: LatLng): number {
  const north = to.lat - from.lat;
  const east = (to.lng - from.lng) * Math.cos((from.lat * Math.PI) / 180);
  return Math.round((Math.atan2(east, north) * 180) / Math.PI + 360) % 360;
}

/**
 * Where the drone is and where its camera points, `ms` after it was called to `scene`; null when
 * it is on the ground. It flies out in a straight line, circles the scene looking at it, and
 * comes back.
 */
export function dronePosition(scene: LatLng, ms: number): { at: LatLng; heading: number } | null {
  const t = ms - DRONE_LAUNCH_MS;
  const orbitStart = offset(scene, DRONE_ORBIT_M, 0);
  if (t < 0) return null;
  if (t < DRONE_TRANSIT_MS) {
    const f = t / DRONE_TRANSIT_MS;
    const at = {
      lat: DRONE_BASE.lat + (orbitStart.lat - DRONE_BASE.lat) * f,
      lng: DRONE_BASE.lng + (orbitStart.lng - DRONE_BASE.lng) * f,
    };
    return { at, heading: bearing(at, scene) };
  }
  const o = t - DRONE_TRANSIT_MS;
  if (o < DRONE_ORBIT_MS) {
    const angle = (o / DRONE_ORBIT_MS) * 4 * Math.PI;
    const at = offset(scene, DRONE_ORBIT_M * Math.cos(angle), DRONE_ORBIT_M * Math.sin(angle));
    return { at, heading: bearing(at, scene) };
  }
  const r = o - DRONE_ORBIT_MS;
  if (r < DRONE_TRANSIT_MS) {
    const f = r / DRONE_TRANSIT_MS;
    const at = {
      lat: orbitStart.lat + (DRONE_BASE.lat - orbitStart.lat) * f,
      lng: orbitStart.lng + (DRONE_BASE.lng - orbitStart.lng) * f,
    };
    return { at, heading: bearing(orbitStart, DRONE_BASE) };
  }
  return null;
}

/** How long a flight lasts, from the call. */
export const DRONE_FLIGHT_MS = DRONE_LAUNCH_MS + 2 * DRONE_TRANSIT_MS + DRONE_ORBIT_MS;

/** Where the demo's sensors send, one poster per integration key. */
export interface AlertPosters {
  readonly lpr: CadPoster;
  readonly gunshot: CadPoster;
  readonly tracks: CadPoster;
}

export interface DemoAlertReplayOptions {
  readonly posters: AlertPosters;
  readonly agency: AgencyConfig;
  /** Where plate images are served: `<plateImagesUrl>/plates/<PLATE>.jpg` (the simulator). */
  readonly plateImagesUrl: string;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Replayed time runs this many times faster than real time (the CAD replay's speed). */
  readonly speed?: number;
  readonly places?: readonly CadPlace[];
  readonly droneCameraId?: string;
  /** The open call to fly the drone over (the demo CAD's `hottest`); null: none open. */
  readonly incidentScene?: () => LatLng | null;
  readonly autoTick?: boolean;
  readonly log?: (line: string) => void;
}

export interface DemoAlertReplay {
  /** Posts what is due; resolves with how many requests it sent. */
  tick(): Promise<number>;
  stop(): void;
}

interface TrackFeature {
  readonly type: 'Feature';
  readonly geometry: { readonly type: 'Point'; readonly coordinates: [number, number] };
  readonly properties: { readonly subject: string; readonly time: string; heading?: number };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function startDemoAlertReplay(options: DemoAlertReplayOptions): DemoAlertReplay {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const speed = options.speed ?? 12;
  const log = options.log ?? (() => undefined);
  const places = options.places ?? demoCadPlaces(options.agency);
  const drone = options.droneCameraId ?? DEMO_DRONE_CAMERA_ID;
  const images = options.plateImagesUrl.replace(/\/+$/, '');
  const startedAt = clock.now();
  const runId = Math.floor(startedAt / 1000)
    .toString(36)
    .toUpperCase();
  const reported = new Set<string>();
  const days = new Map<number, PlannedAlertDay>();
  /** Each flight's scene, chosen when it is called. */
  const scenes = new Map<string, LatLng>();
  /** Replayed time up to which everything has been sent. */
  let sentThrough = -1;

  const replayedNow = () => (clock.now() - startedAt) * speed;
  const wallTime = (replayedMs: number) => new Date(startedAt + replayedMs / speed).toISOString();

  function dayPlan(day: number): PlannedAlertDay {
    let plan = days.get(day);
    if (!plan) {
      plan = planAlertDay(places, random);
      days.set(day, plan);
      // Yesterday's flights may still be in the air; older days are done.
      days.delete(day - 2);
      for (const key of scenes.keys()) if (key.startsWith(`${day - 2}-`)) scenes.delete(key);
    }
    return plan;
  }

  async function send(poster: CadPoster, path: string, body: unknown): Promise<void> {
    const status = await poster.send('POST', path, body);
    if (status === null) {
      if (!reported.has('unreachable')) log('the demo sensors could not reach the server');
      reported.add('unreachable');
    } else if ((status < 200 || status >= 300) && !reported.has(`${path} ${status}`)) {
      reported.add(`${path} ${status}`);
      log(`the demo sensors' ${path} answered ${status}; they keep replaying`);
    }
  }

  function lprBody(day: number, n: number, h: PlannedLprHit, at: number) {
    return {
      id: `SYN-LPR-${runId}-${day}-${n}`,
      plate: h.plate,
      state: 'NC',
      confidence: h.confidence,
      reader: {
        id: `SYN-READER-${Math.abs(Math.round(h.place.lat * 1e4 + h.place.lng * 1e4)) % 1000}`,
        position: { lat: round6(h.place.lat), lon: round6(h.place.lng) },
      },
      time: wallTime(at),
      hotList: {
        name: h.hotList.name,
        entry: `SYN-HL-${h.plate}`,
        reason: `${SYNTHETIC} ${h.hotList.reason}`,
      },
      imageUrl: `${images}/plates/${h.plate}.jpg`,
    };
  }

  function gunshotBody(day: number, n: number, g: PlannedGunshot, at: number) {
    return {
      id: `SYN-GS-${runId}-${day}-${n}`,
      time: wallTime(at),
      position: { lat: round6(g.at.lat), lon: round6(g.at.lng) },
      type: g.type,
      rounds: g.rounds,
    };
  }

  function point(subject: string, at: LatLng, time: number, heading?: number): TrackFeature {
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round6(at.lng), round6(at.lat)] },
      properties: {
        subject,
        time: wallTime(time),
        ...(heading !== undefined ? { heading } : {}),
      },
    };
  }

  /** Samples of a period at fixed steps in (from, to]. */
  function steps(from: number, to: number, every: number): number[] {
    const out: number[] = [];
    for (let s = Math.floor(from / every) * every + every; s <= to; s += every) out.push(s);
    return out;
  }

  async function replayDue(): Promise<number> {
    const now = replayedNow();
    const from = sentThrough;
    if (now <= from) return 0;
    sentThrough = now;
    let sent = 0;
    const features: TrackFeature[] = [];
    const firstDay = Math.max(0, Math.floor(from / DAY_MS) - 1);
    for (let day = firstDay; day <= Math.floor(now / DAY_MS); day++) {
      const start = day * DAY_MS;
      const plan = dayPlan(day);
      for (const [n, h] of plan.lpr.entries()) {
        const at = start + h.atMs;
        if (at > from && at <= now) {
          await send(options.posters.lpr, LPR_HITS_PATH, lprBody(day, n, h, at));
          sent += 1;
        }
      }
      for (const [n, g] of plan.gunshots.entries()) {
        const at = start + g.atMs;
        if (at > from && at <= now) {
          await send(options.posters.gunshot, GUNSHOTS_PATH, gunshotBody(day, n, g, at));
          sent += 1;
        }
      }
      for (const [n, f] of plan.flights.entries()) {
        const at = start + f.atMs;
        if (at + DRONE_FLIGHT_MS <= from || at > now) continue;
        const key = `${day}-${n}`;
        let scene = scenes.get(key);
        if (!scene) {
          scene = options.incidentScene?.() ?? f.fallback;
          scenes.set(key, scene);
        }
        for (const s of steps(
          Math.max(from, at),
          Math.min(now, at + DRONE_FLIGHT_MS),
          DRONE_EVERY_MS,
        )) {
          const where = dronePosition(scene, s - at);
          if (where) features.push(point(drone, where.at, s, where.heading));
        }
      }
    }
    for (const s of steps(Math.max(from, 0), now, EM_EVERY_MS)) {
      features.push(point(EM_SUBJECT, emPosition(s), s));
    }
    // Most ticks carry a point or two; a long pause is sent in batches the endpoint takes.
    for (let i = 0; i < features.length && !ticker.stopped; i += 1000) {
      await send(options.posters.tracks, TRACKS_PATH, {
        type: 'FeatureCollection',
        features: features.slice(i, i + 1000),
      });
      sent += 1;
    }
    return sent;
  }

  const ticker = replayTicker(replayDue, options.autoTick !== false);
  return {
    tick: ticker.tick,
    stop() {
      ticker.stop();
    },
  };
}
