import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { listCameras } from '../../server/cameras/cameraSearch';
import { CameraListQuerySchema } from '../../shared/api/cameras';
import type { NewCamera } from '../../shared/domain/cameras';
import { loadBenchCameras, openBenchStore, benchStoreKinds } from '../support/benchStore';
import { percentile, printTable, round, writeResult } from '../support/results';
import { seededRandom } from '../support/seededRandom';

/**
 * "Cameras within R metres of here" at city scale: N cameras spread over a 25 km square around
 * Winston-Salem, radius queries at random points through the same code the API uses.
 * Target (docs/architecture.md): <= 5 ms at 100,000 cameras, against a linear scan.
 */
export async function runRadiusBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cameras: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '500' },
    },
  });
  const n = Number(values.cameras);
  const queries = Number(values.queries);
  const kinds = await benchStoreKinds();

  const rand = seededRandom(7);
  const center = { lat: 36.0999, lng: -80.2442 };
  const spread = { lat: 0.115, lng: 0.14 }; // ~25 km square
  const cameras: NewCamera[] = Array.from({ length: n }, (_, i) => ({
    kind: 'registered',
    name: `Bench camera ${i}`,
    lat: center.lat + (rand() - 0.5) * 2 * spread.lat,
    lng: center.lng + (rand() - 0.5) * 2 * spread.lng,
    owner: { name: 'Bench owner' },
  }));
  const points = Array.from({ length: queries }, () => ({
    lat: center.lat + (rand() - 0.5) * 1.6 * spread.lat,
    lng: center.lng + (rand() - 0.5) * 1.6 * spread.lng,
  }));

  const rows = [];
  for (const kind of kinds) {
    const { store, dispose } = await openBenchStore(kind);
    try {
      const loadS = await loadBenchCameras(store, cameras);
      for (const radius of [300, 1000]) {
        const times: number[] = [];
        let found = 0;
        for (const p of points) {
          const q = CameraListQuerySchema.parse({
            near: `${p.lat},${p.lng}`,
            radius,
            limit: 100000,
          });
          const s = performance.now();
          const res = await listCameras(store, q);
          times.push(performance.now() - s);
          found += res.items.length;
        }
        // The reference: the same answer by scanning every row.
        const scanTimes: number[] = [];
        for (const p of points.slice(0, 20)) {
          const s = performance.now();
          await store.query(
            `select id from cameras where (2 * 6371008.8 * asin(least(1, sqrt(power(sin(radians(lat - $1) / 2), 2)
              + cos(radians($1)) * cos(radians(lat)) * power(sin(radians(lng - $2) / 2), 2))))) <= $3`,
            [p.lat, p.lng, radius],
          );
          scanTimes.push(performance.now() - s);
        }
        rows.push({
          store: kind,
          cameras: n,
          'radius m': radius,
          'avg hits': round(found / points.length, 1),
          'p50 ms': round(percentile(times, 50), 2),
          'p95 ms': round(percentile(times, 95), 2),
          'scan p50 ms': round(percentile(scanTimes, 50), 1),
          'load s': round(loadS, 1),
        });
      }
    } finally {
      await dispose();
    }
  }
  printTable(`radius query: ${n} cameras, ${queries} random points`, rows);
  writeResult('radius', { cameras: n, queries, targetMs: 5, rows });
}
