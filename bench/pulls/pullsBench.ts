import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { listCameras } from '../../server/cameras/cameraSearch';
import { selectCandidates } from '../../server/pulls/pullCandidates';
import type { NewCamera } from '../../shared/domain/cameras';
import type { SharingPolicy } from '../../shared/domain/sharingPolicy';
import { loadBenchCameras, openBenchStore, benchStoreKinds } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';
import { seededRandom } from '../support/seededRandom';

/**
 * A camera pull's candidates at city scale: N cameras of every kind spread over a 25 km square
 * around Winston-Salem (integrated ones with a mix of owners' policies), and the candidates of a
 * one-hour window at random points, within 300 m and 2 km, through the code a pull uses (the
 * registry's radius search, then each owner's recordings policy walked across the window).
 * Target (docs/architecture.md, "The numbers we hold ourselves to"): p95 <= 5 ms within 300 m at 100,000 cameras.
 */
export async function runPullsBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cameras: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '300' },
    },
  });
  const n = Number(values.cameras);
  const queries = Number(values.queries);
  const kinds = await benchStoreKinds();

  const rand = seededRandom(11);
  const center = { lat: 36.0999, lng: -80.2442 };
  const spread = { lat: 0.115, lng: 0.14 }; // ~25 km square, as the radius bench
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const policies: Partial<SharingPolicy>[] = [
    { mode: 'always', recordings: true },
    { mode: 'always', recordings: false },
    {
      mode: 'schedule',
      recordings: true,
      windows: [{ days: [...weekdays], start: '08:00', end: '18:00' }],
    },
    { mode: 'alarm', recordings: true },
  ];
  const source = { protocol: 'rtsp' as const, url: 'rtsp://bench.example.test/live' };
  const cameras: NewCamera[] = Array.from({ length: n }, (_, i) => {
    const at = {
      name: `Bench camera ${i}`,
      lat: center.lat + (rand() - 0.5) * 2 * spread.lat,
      lng: center.lng + (rand() - 0.5) * 2 * spread.lng,
    };
    const r = rand();
    if (r < 0.4) return { kind: 'registered', ...at, owner: { name: 'Bench owner' } } as NewCamera;
    if (r < 0.8) {
      const sharing = policies[Math.floor(rand() * policies.length)]!;
      return { kind: 'integrated', ...at, source, sharing } as NewCamera;
    }
    return { kind: 'agency', ...at, source } as NewCamera;
  });
  const points = Array.from({ length: queries }, () => ({
    lat: center.lat + (rand() - 0.5) * 1.6 * spread.lat,
    lon: center.lng + (rand() - 0.5) * 1.6 * spread.lng,
  }));
  const now = Date.now();
  const windowEnd = now - 30 * 60_000;
  const timeZone = 'America/New_York';

  const rows = [];
  for (const kind of kinds) {
    const { store, dispose } = await openBenchStore(kind);
    try {
      const loadS = await loadBenchCameras(store, cameras);
      for (const radiusM of [300, 2000]) {
        // 2 km circles hold ~2,000 cameras each: fewer of them measure it as well.
        const sample = radiusM === 300 ? points : points.slice(0, Math.ceil(points.length / 3));
        const times: number[] = [];
        const searchTimes: number[] = [];
        let found = 0;
        let fetchable = 0;
        for (const p of sample) {
          const s0 = performance.now();
          await listCameras(store, {
            status: 'active',
            near: { lat: p.lat, lng: p.lon },
            radius: radiusM,
            limit: 5000,
          });
          searchTimes.push(performance.now() - s0);
          const s = performance.now();
          const candidates = await selectCandidates(
            store,
            { position: p, radiusM, windowStart: windowEnd - 3_600_000, windowEnd },
            timeZone,
            now,
          );
          times.push(performance.now() - s);
          found += candidates.length;
          fetchable += candidates.filter((c) => c.action === 'fetch_now').length;
        }
        rows.push({
          store: kind,
          cameras: n,
          'radius m': radiusM,
          queries: sample.length,
          'avg candidates': round(found / sample.length, 1),
          'avg fetch now': round(fetchable / sample.length, 1),
          'search p95 ms': round(percentile(searchTimes, 95), 2),
          'p50 ms': round(percentile(times, 50), 2),
          'p95 ms': round(percentile(times, 95), 2),
          'load s': round(loadS, 1),
        });
      }
    } finally {
      await dispose();
    }
  }
  printTable(
    `pull candidates (radius search + recordings policy): ${n} cameras, one-hour window`,
    rows,
  );
  writeResult('pulls', { cameras: n, queries, targetMs: 5, targetRadiusM: 300, rows });
}
