import { join } from 'node:path';
import { DEMO_INTEGRATIONS_FILE, readDemoIntegrations } from './demoIntegrations';
import { httpCadPoster } from './demoCadReplay';
import { startDemoAlertReplay, type DemoAlertReplay } from './demoAlertReplay';
import { loadDemoAgency } from './seedDemo';

/**
 * The demo's sensors for `npm start`, beside the demo CAD (demoCad.ts): once the server is up (it
 * wrote the demo's keys when it seeded the site), the alert replay posts LPR hits, gunshot
 * detections and tracks with them. `speed` 0 turns it off.
 */
export async function startDemoAlerts(options: {
  readonly serverUrl: string;
  readonly dataDir: string;
  /** The demo camera simulator, which also serves the demo plates' images. */
  readonly simulatorUrl: string;
  readonly speed: number;
  /** The open call the drone flies over (the demo CAD's `hottest`), if the CAD runs. */
  readonly incidentScene?: () => { readonly lat: number; readonly lng: number } | null;
  readonly log: (line: string) => void;
}): Promise<{ readonly replay: DemoAlertReplay; readonly summary: string } | null> {
  if (options.speed <= 0) return null;
  const held = await readDemoIntegrations(options.dataDir);
  if (!held?.lpr || !held.gunshot || !held.tracks) {
    options.log(
      `no demo sensor keys in ${join(options.dataDir, DEMO_INTEGRATIONS_FILE)}: no alerts in the demo`,
    );
    return null;
  }
  const replay = startDemoAlertReplay({
    posters: {
      lpr: httpCadPoster(options.serverUrl, held.lpr.key),
      gunshot: httpCadPoster(options.serverUrl, held.gunshot.key),
      tracks: httpCadPoster(options.serverUrl, held.tracks.key),
    },
    agency: loadDemoAgency(),
    plateImagesUrl: options.simulatorUrl,
    speed: options.speed,
    ...(options.incidentScene ? { incidentScene: options.incidentScene } : {}),
    log: options.log,
  });
  return {
    replay,
    summary:
      `demo sensors "${held.lpr.name}", "${held.gunshot.name}", "${held.tracks.name}": ` +
      'synthetic LPR hits, gunshot detections, a monitored person and a drone, at the same pace',
  };
}
