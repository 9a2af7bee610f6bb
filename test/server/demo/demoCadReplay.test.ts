import { describe, expect, it } from 'vitest';
import {
  CadIncidentSchema,
  EidoMessageSchema,
  type CadIncident,
} from '../../../shared/api/incidents';
import { incidentsFromEido } from '../../../server/incidents/eidoIncidents';
import { CaseReferenceSchema } from '../../../shared/domain/reasons';
import { INCIDENT_STATUSES } from '../../../shared/domain/incidents';
import { distanceMeters, pointInPolygon } from '../../../shared/geo';
import { ManualClock } from '../../../shared/time/clock';
import { CAD_CALL_TYPES, CALLS_BY_HOUR, CALLS_PER_DAY } from '../../../server/demo/cadDayMix';
import {
  CAD_ACTIVE_PATH,
  CAD_EIDO_PATH,
  CAD_INCIDENTS_PATH,
  EIDO_SHARE,
  demoCadPlaces,
  MAX_FROM_CAMERA_M,
  startDemoCadReplay,
  SYNTHETIC,
  type CadPoster,
} from '../../../server/demo/demoCadReplay';
import { loadDemoAgency } from '../../../server/demo/seedDemo';

/** mulberry32: the same "random" day on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly at: number;
}

class RecordingPoster implements CadPoster {
  readonly sent: Sent[] = [];
  status: number | null = 200;
  constructor(private readonly clock: ManualClock) {}
  async send(method: 'POST' | 'PUT', path: string, body: unknown) {
    this.sent.push({ method, path, body, at: this.clock.now() });
    return this.status;
  }
}

/** One post of a call, whichever way it was sent, as the server reads it. */
interface CallPost {
  readonly number: string;
  readonly code: string;
  readonly priority: number;
  readonly status: CadIncident['status'];
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly position: { lat: number; lon: number } | null;
  readonly address: string;
  readonly narrative: readonly string[];
  readonly units: number;
  readonly eido: boolean;
}

function callPosts(sent: readonly Sent[]): CallPost[] {
  return sent.flatMap((s): CallPost[] => {
    if (s.path === CAD_INCIDENTS_PATH) {
      const b = CadIncidentSchema.parse(s.body);
      return [
        {
          number: b.number,
          code: b.callType.code,
          priority: b.priority,
          status: b.status,
          receivedAt: b.receivedAt,
          updatedAt: b.updatedAt!,
          position: b.location.position ?? null,
          address: b.location.address!,
          narrative: b.narrative.map((l) => l.text),
          units: b.units.length,
          eido: false,
        },
      ];
    }
    if (s.path !== CAD_EIDO_PATH) return [];
    const [u] = incidentsFromEido(EidoMessageSchema.parse(s.body)).upserts;
    return [
      {
        number: u!.number,
        code: u!.callType!.code,
        priority: u!.priority!,
        status: u!.status!,
        receivedAt: u!.receivedAt!,
        updatedAt: u!.sourceUpdatedAt!,
        position: u!.location!.position,
        address: u!.location!.address!,
        narrative: u!.narrative.map((l) => l.text),
        units: u!.units?.length ?? 0,
        eido: true,
      },
    ];
  });
}

const agency = loadDemoAgency();
const places = demoCadPlaces(agency);
const SPEED = 12;
const DAY_WALL_MS = 86_400_000 / SPEED;

/** Runs the replay for a span of wall time, ticking every 5 seconds. */
async function replay(wallMs: number, seed = 7) {
  const clock = new ManualClock(Date.parse('2026-11-29T05:00:00Z'));
  const poster = new RecordingPoster(clock);
  const start = clock.now();
  const cad = startDemoCadReplay({
    poster,
    agency,
    places,
    clock,
    speed: SPEED,
    random: seeded(seed),
    autoTick: false,
  });
  await cad.tick();
  while (clock.now() - start < wallMs) {
    clock.advance(5_000);
    await cad.tick();
  }
  cad.stop();
  return { poster, cad, start };
}

describe('the demo CAD day replay', () => {
  it("replays a day with the source's call-type mix, hourly rate and priority spread, inside the city and near cameras", async () => {
    const { poster, start } = await replay(DAY_WALL_MS);
    const calls = new Map<string, CallPost>();
    for (const p of callPosts(poster.sent)) if (!calls.has(p.number)) calls.set(p.number, p);
    // The first day's calls (a second day's may have started at the very end).
    const day0 = [...calls.values()].filter((c) => /-0-\d{4}$/.test(c.number));
    expect(day0).toHaveLength(CALLS_PER_DAY);

    const byType = new Map<string, number>();
    for (const c of day0) byType.set(c.code, (byType.get(c.code) ?? 0) + 1);
    for (const t of CAD_CALL_TYPES) expect(byType.get(t.code), t.code).toBe(t.count);

    // Priorities are drawn per call from each type's spread: within 3 points of the expected share.
    for (const p of [1, 2, 3, 4] as const) {
      const expected =
        CAD_CALL_TYPES.reduce((s, t) => s + t.count * ((t.priorities[p] ?? 0) / 100), 0) /
        CALLS_PER_DAY;
      const seen = day0.filter((c) => c.priority === p).length / CALLS_PER_DAY;
      expect(Math.abs(seen - expected), `P${p}: ${seen} vs ${expected}`).toBeLessThan(0.03);
    }
    expect(day0.some((c) => c.priority === 1)).toBe(true);

    // Calls come in by the hour as the source's did, in compressed time.
    const perHour = Array.from({ length: 24 }, () => 0);
    for (const c of day0) {
      const replayed = (Date.parse(c.receivedAt) - start) * SPEED;
      perHour[Math.floor(replayed / 3_600_000)]! += 1;
    }
    expect(perHour).toEqual(CALLS_BY_HOUR);

    // Now and then an EIDO with the civic address alone: the analyst places it.
    const eido = day0.filter((c) => c.eido);
    expect(eido.length).toBeGreaterThan(0);
    expect(eido.length).toBeLessThan(CALLS_PER_DAY * EIDO_SHARE * 2);
    expect(eido.every((c) => c.position === null && c.address.includes('(synthetic)'))).toBe(true);
    for (const c of day0.filter((x) => !x.eido)) {
      const p = { lat: c.position!.lat, lng: c.position!.lon };
      expect(pointInPolygon(p, agency.jurisdiction), c.number).toBe(true);
      const nearest = Math.min(...places.map((q) => distanceMeters(p, q)));
      expect(nearest).toBeLessThanOrEqual(MAX_FROM_CAMERA_M);
      // Numbers can be given as a camera view's reason reference.
      expect(CaseReferenceSchema.safeParse(c.number).success).toBe(true);
    }
  });

  it('moves each call forward through its statuses with units and synthetic narrative, and closes it', async () => {
    const { poster } = await replay(DAY_WALL_MS / 4);
    const byNumber = new Map<string, CallPost[]>();
    for (const p of callPosts(poster.sent)) {
      byNumber.set(p.number, [...(byNumber.get(p.number) ?? []), p]);
    }
    let closed = 0;
    let onScene = 0;
    for (const [number, posts] of byNumber) {
      const order = posts.map((p) => INCIDENT_STATUSES.indexOf(p.status));
      expect(order, number).toEqual([...order].sort((a, b) => a - b));
      expect(posts[0]!.status).toBe('pending');
      const times = posts.map((p) => Date.parse(p.updatedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const p of posts) {
        expect(p.receivedAt).toBe(posts[0]!.receivedAt);
        for (const line of p.narrative) expect(line.startsWith(SYNTHETIC)).toBe(true);
        if (p.status !== 'pending') expect(p.units).toBeGreaterThan(0);
      }
      expect(posts[0]!.narrative).toHaveLength(1);
      expect(posts[0]!.address).toContain('(synthetic)');
      if (posts.some((p) => p.status === 'on_scene')) onScene += 1;
      if (posts.at(-1)!.status === 'closed') closed += 1;
    }
    expect(byNumber.size).toBeGreaterThan(100);
    expect(closed).toBeGreaterThan(byNumber.size / 2);
    expect(onScene).toBeGreaterThan(0);
    expect(onScene).toBeLessThan(byNumber.size);
  });

  it('sends its open calls as a snapshot when it starts and at each new day, nothing else', async () => {
    const { poster, cad } = await replay(DAY_WALL_MS + 60_000);
    const snapshots = poster.sent.filter((s) => s.path === CAD_ACTIVE_PATH);
    expect(snapshots).toHaveLength(2);
    expect(snapshots[0]!.body).toEqual({ open: [] });
    expect(snapshots[0]!.method).toBe('PUT');
    const second = (snapshots[1]!.body as { open: string[] }).open;
    expect(second.length).toBeGreaterThan(0);
    // What it listed is exactly what it had opened and not yet closed by then.
    const before = callPosts(poster.sent.slice(0, poster.sent.indexOf(snapshots[1]!)));
    const last = new Map<string, string>();
    for (const p of before) last.set(p.number, p.status);
    const stillOpen = [...last].filter(([, st]) => st !== 'closed').map(([n]) => n);
    expect([...second].sort()).toEqual(stillOpen.sort());
    expect(cad.open().size).toBeGreaterThan(0);
  });

  it('keeps replaying when the server answers badly or not at all, and says so once', async () => {
    const clock = new ManualClock();
    const poster = new RecordingPoster(clock);
    poster.status = null;
    const lines: string[] = [];
    const cad = startDemoCadReplay({
      poster,
      agency,
      places,
      clock,
      random: seeded(3),
      autoTick: false,
      log: (l) => lines.push(l),
    });
    for (let i = 0; i < 120; i++) {
      clock.advance(5_000);
      await cad.tick();
    }
    expect(poster.sent.length).toBeGreaterThan(5);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('could not reach');
  });

  it('is the same day for the same random numbers, and another day for others', async () => {
    const a = await replay(DAY_WALL_MS / 24, 11);
    const b = await replay(DAY_WALL_MS / 24, 11);
    const c = await replay(DAY_WALL_MS / 24, 12);
    const bodies = (r: { poster: RecordingPoster }) => r.poster.sent.map((s) => s.body);
    expect(bodies(a)).toEqual(bodies(b));
    expect(bodies(a)).not.toEqual(bodies(c));
  });
});
