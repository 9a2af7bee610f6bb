import { join } from 'node:path';
import { DEMO_INTEGRATIONS_FILE, readDemoIntegrations } from './demoIntegrations';
import { httpCadPoster, startDemoCadReplay, type DemoCadReplay } from './demoCadReplay';
import { loadDemoAgency } from './seedDemo';

/**
 * The demo CAD for `npm start`: once the server is up (it wrote the demo CAD's key when it
 * seeded the site), the day replay posts to it with that key. `speed` 0 turns it off.
 */
export async function startDemoCad(options: {
  readonly serverUrl: string;
  readonly dataDir: string;
  readonly speed: number;
  readonly log: (line: string) => void;
}): Promise<{ readonly replay: DemoCadReplay; readonly summary: string } | null> {
  if (options.speed <= 0) return null;
  const held = await readDemoIntegrations(options.dataDir);
  if (!held?.cad) {
    options.log(
      `no demo CAD key in ${join(options.dataDir, DEMO_INTEGRATIONS_FILE)}: no CAD calls in the demo`,
    );
    return null;
  }
  const replay = startDemoCadReplay({
    poster: httpCadPoster(options.serverUrl, held.cad.key),
    agency: loadDemoAgency(),
    speed: options.speed,
    log: options.log,
  });
  const hours = 24 / options.speed;
  return {
    replay,
    summary:
      `demo CAD "${held.cad.name}": a real city's day of 911 calls, synthetic and placed in the ` +
      `demo city, replayed ${options.speed}x (a day every ${hours >= 1 ? `${+hours.toFixed(1)} h` : `${Math.round(hours * 60)} min`})`,
  };
}
