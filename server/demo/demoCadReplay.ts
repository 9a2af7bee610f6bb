import type { CadIncident } from '../../shared/api/incidents';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { IncidentStatus, IncidentUnit } from '../../shared/domain/incidents';
import { distanceMeters, pointInPolygon, type LatLng } from '../../shared/geo';
import { systemClock, type Clock } from '../../shared/time/clock';
import {
  CAD_CALL_TYPES,
  CALLS_BY_HOUR,
  CALLS_PER_DAY,
  ON_SCENE_MINUTES,
  type CadCallType,
} from './cadDayMix';
import { DEFAULT_DEMO_COUNTS, generateDemoCameras } from './demoCameras';
import { replayTicker } from './replayTicker';

/**
 * The demo site's CAD: it replays one day of a real city's calls (the mix, the hourly rate and
 * the time on scene of server/demo/cadDayMix.ts), compressed and looping, placed near the demo
 * city's cameras, through the real ingest endpoints with the demo CAD's integration key. Each
 * call moves from pending to dispatched, en route, on scene (when the source's calls of its type
 * usually had an officer there), cleared and closed, with units and narrative lines; at each
 * start and each new day it sends the list of its open calls, as a snapshot CAD does, which also
 * closes what an earlier run left open. Everything it sends says it is synthetic.
 *
 * No timer decides anything: `tick()` posts what is due by the clock, and `startDemoCadReplay`
 * calls it every second unless told not to (tests drive it with a ManualClock).
 */

export const SYNTHETIC = '[SYNTHETIC DEMO]';
const DAY_MS = 86_400_000;
const MINUTE = 60_000;

/** Where the replay sends: the ingest endpoints, as the server answers them. */
export interface CadPoster {
  /** Resolves with the HTTP status, or null when the server could not be reached. */
  send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<number | null>;
}

/** Posts over HTTP with the integration's key. */
export function httpCadPoster(serverUrl: string, key: string): CadPoster {
  const base = serverUrl.replace(/\/+$/, '');
  return {
    async send(method, path, body) {
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        return res.status;
      } catch {
        return null;
      }
    },
  };
}

/** A place near a demo camera with video: where calls are put, so cameras have something to show. */
export interface CadPlace extends LatLng {
  readonly address: string;
}

/** The demo city's cameras with video (the same ones the demo site is seeded with). */
export function demoCadPlaces(agency: AgencyConfig): CadPlace[] {
  return generateDemoCameras(agency, {
    ...DEFAULT_DEMO_COUNTS,
    sourceUrl: () => 'http://127.0.0.1/unused',
  })
    .filter((c) => c.kind !== 'registered')
    .map((c) => ({ lat: c.lat, lng: c.lng, address: c.address ?? 'address not given' }));
}

/** Calls are placed this far from the camera they are near, at most. */
export const MAX_FROM_CAMERA_M = 250;

export interface PlannedStep {
  /** From the start of the replayed day, in replayed time. */
  readonly atMs: number;
  readonly status: IncidentStatus;
  readonly units: readonly IncidentUnit[];
  readonly narrative: readonly { readonly author: string; readonly text: string }[];
}

export interface PlannedCall {
  /** 1-based within the day. */
  readonly seq: number;
  readonly type: CadCallType;
  readonly priority: number;
  readonly position: { readonly lat: number; readonly lon: number };
  readonly address: string;
  /**
   * How the CAD sends it: native JSON with the position, or now and then a NENA EIDO with the
   * civic address alone, which the analyst places on the map (`needsPlacement`).
   */
  readonly format: 'cad' | 'eido';
  readonly steps: readonly PlannedStep[];
}

/** The share of calls the demo CAD sends as an EIDO with a civic address only. */
export const EIDO_SHARE = 0.03;

const between = (random: () => number, lo: number, hi: number) => lo + random() * (hi - lo);

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function pickPriority(type: CadCallType, random: () => number): number {
  let left = random() * 100;
  for (const [p, share] of Object.entries(type.priorities)) {
    left -= share;
    if (left < 0) return Number(p);
  }
  return Number(Object.keys(type.priorities).at(-1));
}

/** Minutes on scene, drawn through the source's percentiles (straight lines between them). */
function onSceneMinutes(random: () => number): number {
  const q = ON_SCENE_MINUTES;
  const points: readonly [number, number][] = [
    [0, q.p10 / 3],
    [0.1, q.p10],
    [0.25, q.p25],
    [0.5, q.p50],
    [0.75, q.p75],
    [0.9, q.p90],
    [1, q.p90 * 1.5],
  ];
  const u = random();
  for (let i = 1; i < points.length; i++) {
    const [u0, m0] = points[i - 1]!;
    const [u1, m1] = points[i]!;
    if (u <= u1) return m0 + ((u - u0) / (u1 - u0)) * (m1 - m0);
  }
  return points.at(-1)![1];
}

const DISPATCH_MINUTES: Readonly<Record<number, [number, number]>> = {
  1: [0.5, 2],
  2: [1, 5],
  3: [3, 15],
  4: [5, 30],
};

function unitsFor(priority: number, random: () => number): string[] {
  const n = priority === 1 ? 2 + Math.floor(random() * 2) : priority === 2 ? 2 : 1;
  const ids = new Set<string>();
  while (ids.size < n) {
    ids.add(
      `${1 + Math.floor(random() * 3)}${'ABCD'[Math.floor(random() * 4)]}${10 + Math.floor(random() * 40)}`,
    );
  }
  return [...ids];
}

/** A point at most MAX_FROM_CAMERA_M from the place, inside the jurisdiction. */
function near(place: CadPlace, agency: AgencyConfig, random: () => number): LatLng {
  for (let tries = 0; tries < 20; tries++) {
    const d = between(random, 30, MAX_FROM_CAMERA_M - 10);
    const a = random() * 2 * Math.PI;
    const p = {
      lat: place.lat + (d * Math.cos(a)) / 111_320,
      lng: place.lng + (d * Math.sin(a)) / (111_320 * Math.cos((place.lat * Math.PI) / 180)),
    };
    if (pointInPolygon(p, agency.jurisdiction) && distanceMeters(p, place) <= MAX_FROM_CAMERA_M) {
      return { lat: Math.round(p.lat * 1e6) / 1e6, lng: Math.round(p.lng * 1e6) / 1e6 };
    }
  }
  return { lat: place.lat, lng: place.lng };
}

function planCall(
  seq: number,
  type: CadCallType,
  receivedMs: number,
  place: CadPlace,
  agency: AgencyConfig,
  random: () => number,
): PlannedCall {
  const priority = pickPriority(type, random);
  const at = near(place, agency, random);
  const address = `${place.address} (synthetic)`;
  const units = unitsFor(priority, random);
  const withStatus = (status: string) => units.map((id) => ({ id, status }));
  const [d0, d1] = DISPATCH_MINUTES[priority] ?? DISPATCH_MINUTES[4]!;
  const dispatched = receivedMs + between(random, d0, d1) * MINUTE;
  const enRoute = dispatched + between(random, 0.5, 2) * MINUTE;
  const arrives = random() * type.count < type.onScene;
  const steps: PlannedStep[] = [
    {
      atMs: receivedMs,
      status: 'pending',
      units: [],
      narrative: [
        {
          author: `calltaker ${1 + Math.floor(random() * 6)}`,
          text: `${SYNTHETIC} ${type.text} reported at ${address}. Not a real call.`,
        },
      ],
    },
    {
      atMs: dispatched,
      status: 'dispatched',
      units: withStatus('dispatched'),
      narrative: [{ author: 'dispatch', text: `${SYNTHETIC} ${units.join(', ')} assigned.` }],
    },
    { atMs: enRoute, status: 'en_route', units: withStatus('en route'), narrative: [] },
  ];
  let cleared: number;
  if (arrives) {
    const onScene =
      enRoute + between(random, priority === 1 ? 2 : 4, priority === 1 ? 6 : 12) * MINUTE;
    steps.push({
      atMs: onScene,
      status: 'on_scene',
      units: withStatus('on scene'),
      narrative: [{ author: units[0]!, text: `${SYNTHETIC} On scene.` }],
    });
    cleared = onScene + onSceneMinutes(random) * MINUTE;
  } else {
    cleared = enRoute + between(random, 5, 25) * MINUTE;
  }
  steps.push({
    atMs: cleared,
    status: 'cleared',
    units: withStatus('cleared'),
    narrative: [
      {
        author: units[0]!,
        text: arrives
          ? `${SYNTHETIC} Cleared, report taken.`
          : `${SYNTHETIC} Cleared, gone on arrival.`,
      },
    ],
  });
  steps.push({
    atMs: cleared + between(random, 1, 5) * MINUTE,
    status: 'closed',
    units: withStatus('cleared'),
    narrative: [],
  });
  const format = random() < EIDO_SHARE ? 'eido' : 'cad';
  return { seq, type, priority, position: { lat: at.lat, lon: at.lng }, address, format, steps };
}

/**
 * One replayed day: as many calls of each type as the source's day had, spread over the hours as
 * its calls were, each near a camera with video. Pure: the same `random` gives the same day.
 */
export function planDemoDay(
  agency: AgencyConfig,
  places: readonly CadPlace[],
  random: () => number,
): PlannedCall[] {
  if (places.length === 0) throw new Error('the demo CAD needs places to put its calls');
  const deck = shuffle(
    CAD_CALL_TYPES.flatMap((t) => Array.from({ length: t.count }, () => t)),
    random,
  );
  const times = CALLS_BY_HOUR.flatMap((n, hour) =>
    Array.from({ length: n }, () => hour * 3_600_000 + random() * 3_600_000),
  ).sort((a, b) => a - b);
  if (times.length !== CALLS_PER_DAY) throw new Error('the hourly rate and the mix disagree');
  return deck.map((type, i) =>
    planCall(i + 1, type, times[i]!, places[Math.floor(random() * places.length)]!, agency, random),
  );
}

export interface DemoCadReplayOptions {
  readonly poster: CadPoster;
  readonly agency: AgencyConfig;
  /** Where calls are put; the demo cameras with video by default. */
  readonly places?: readonly CadPlace[];
  readonly clock?: Clock;
  /** How much faster than real time the day runs: 12 by default (a day every two hours). */
  readonly speed?: number;
  readonly random?: () => number;
  /** Call tick() every second (true by default); tests pass false and tick themselves. */
  readonly autoTick?: boolean;
  readonly log?: (line: string) => void;
}

export interface DemoCadReplay {
  /** Sends what is due by the clock; resolves with how many requests were sent. */
  tick(): Promise<number>;
  /** The CAD numbers the replay holds open now. */
  open(): ReadonlySet<string>;
  /**
   * The open call the center would send a drone to: the most urgent priority, the newest of
   * those; null when no open call has a position (the demo drone flies to it).
   */
  hottest(): { readonly number: string; readonly lat: number; readonly lng: number } | null;
  stop(): void;
}

interface Due {
  readonly at: number;
  readonly call: PlannedCall;
  readonly step: number;
  readonly number: string;
  readonly dayStart: number;
}

export const CAD_INCIDENTS_PATH = '/v1/ingest/cad/incidents';
export const CAD_EIDO_PATH = '/v1/ingest/cad/eido';

/** The registry words a CAD sends for each status in an EIDO. */
const EIDO_STATUS: Readonly<Record<IncidentStatus, string>> = {
  pending: 'Pending',
  dispatched: 'Dispatched',
  en_route: 'En Route',
  on_scene: 'On Scene',
  cleared: 'Cleared',
  closed: 'Closed',
};

/** A step of a call as a NENA EIDO: the civic address alone, no position. */
export function eidoOf(cad: CadIncident, stepKey: string): Record<string, unknown> {
  return {
    eidoMessageIdentifier: `urn:demo-cad:${stepKey}`,
    lastUpdateTimeStamp: cad.updatedAt,
    incidentComponent: {
      componentIdentifier: 'inc-1',
      incidentTrackingIdentifier: cad.number,
      incidentTypeLocalRegistryText: cad.callType.code,
      incidentTypeCommonRegistryText: cad.callType.text,
      incidentStatusCommonRegistryText: EIDO_STATUS[cad.status],
      incidentPriority: cad.priority,
      incidentCreationTimeStamp: cad.receivedAt,
      locationReference: { $ref: 'loc-1' },
    },
    locationComponent: { $id: 'loc-1', civicAddressText: cad.location.address },
    ...(cad.narrative.length > 0
      ? {
          notesComponent: cad.narrative.map((l, n) => ({
            componentIdentifier: `${stepKey}-note-${n}`,
            noteText: l.text,
            noteDateTimeStamp: l.at,
            authorReference: l.author,
          })),
        }
      : {}),
    ...(cad.units.length > 0
      ? {
          dispatchComponent: cad.units.map((u) => ({
            unitIdentifier: u.id,
            unitStatusCommonRegistryText: u.status,
          })),
        }
      : {}),
  };
}
export const CAD_ACTIVE_PATH = '/v1/ingest/cad/active';

export function startDemoCadReplay(options: DemoCadReplayOptions): DemoCadReplay {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const speed = options.speed ?? 12;
  const log = options.log ?? (() => undefined);
  const places = options.places ?? demoCadPlaces(options.agency);
  const startedAt = clock.now();
  // Numbers of this run differ from any earlier run's: a restart never updates an old call.
  const runId = Math.floor(startedAt / 1000)
    .toString(36)
    .toUpperCase();
  const open = new Set<string>();
  /** The open calls with a position, by number, in the order they opened. */
  const openCalls = new Map<string, PlannedCall>();
  const reported = new Set<string>();
  const queue: Due[] = [];
  let plannedDays = -1;
  let snapshotDay = -1;

  const replayedNow = () => (clock.now() - startedAt) * speed;
  const wallTime = (replayedMs: number) => new Date(startedAt + replayedMs / speed).toISOString();

  function reportOnce(kind: string, line: string): void {
    if (reported.has(kind)) return;
    reported.add(kind);
    log(line);
  }

  function planThrough(day: number): void {
    while (plannedDays < day) {
      plannedDays += 1;
      const dayStart = plannedDays * DAY_MS;
      for (const call of planDemoDay(options.agency, places, random)) {
        const number = `SYN-${runId}-${plannedDays}-${String(call.seq).padStart(4, '0')}`;
        call.steps.forEach((s, step) =>
          queue.push({ at: dayStart + s.atMs, call, step, number, dayStart }),
        );
      }
      queue.sort((a, b) => a.at - b.at);
    }
  }

  function bodyOf(d: Due): CadIncident {
    const s = d.call.steps[d.step]!;
    const first = d.call.steps[0]!;
    return {
      number: d.number,
      callType: { code: d.call.type.code, text: d.call.type.text },
      priority: d.call.priority,
      status: s.status,
      location: { address: d.call.address, position: d.call.position },
      receivedAt: wallTime(d.dayStart + first.atMs),
      updatedAt: wallTime(d.at),
      units: [...s.units],
      narrative: s.narrative.map((l) => ({ at: wallTime(d.at), ...l })),
    };
  }

  async function send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<void> {
    const status = await options.poster.send(method, path, body);
    if (status === null) {
      reportOnce('unreachable', `the demo CAD could not reach the server; it keeps replaying`);
    } else if (status < 200 || status >= 300) {
      reportOnce(
        `status ${status}`,
        `the demo CAD's ${path} answered ${status}; it keeps replaying`,
      );
    }
  }

  async function replayDue(): Promise<number> {
    const now = replayedNow();
    const day = Math.floor(now / DAY_MS);
    planThrough(day + 1);
    let sent = 0;
    if (snapshotDay < day) {
      snapshotDay = day;
      await send('PUT', CAD_ACTIVE_PATH, { open: [...open] });
      sent += 1;
    }
    while (!ticker.stopped && queue.length > 0 && queue[0]!.at <= now) {
      const due = queue.shift()!;
      const status = due.call.steps[due.step]!.status;
      if (status === 'closed') {
        open.delete(due.number);
        openCalls.delete(due.number);
      } else {
        open.add(due.number);
        if (due.call.format === 'cad') openCalls.set(due.number, due.call);
      }
      const body = bodyOf(due);
      if (due.call.format === 'eido') {
        await send('POST', CAD_EIDO_PATH, eidoOf(body, `${due.number}-${due.step}`));
      } else {
        await send('POST', CAD_INCIDENTS_PATH, body);
      }
      sent += 1;
    }
    return sent;
  }

  const ticker = replayTicker(replayDue, options.autoTick !== false);
  return {
    tick: ticker.tick,
    open: () => open,
    hottest() {
      let best: [string, PlannedCall] | null = null;
      // Later entries opened later: ties on priority go to the newest.
      for (const entry of openCalls)
        if (!best || entry[1].priority <= best[1].priority) best = entry;
      return best
        ? { number: best[0], lat: best[1].position.lat, lng: best[1].position.lon }
        : null;
    },
    stop() {
      ticker.stop();
    },
  };
}
