import type { NewCamera } from '../../shared/domain/cameras';
import { slugify } from './demoCameras';

/**
 * The demo site's drone: a camera that moves. Its video comes from the demo camera simulator like
 * every demo camera's; its position and heading arrive as a track whose subject is its camera id
 * (docs/integrations.md, "Drones"), posted by the demo's alert replay (demoAlertReplay.ts).
 * One demo site per database: the id is fixed so that the replay knows whom to move.
 */
export const DEMO_DRONE_CAMERA_ID = 'd0e0d0e0-0000-4000-8000-000000000001';
export const DEMO_DRONE_NAME = 'Drone 1';

/** Where the drone waits between flights (a synthetic public-safety building downtown). */
export const DRONE_BASE = { lat: 36.0995, lng: -80.2465 } as const;

export function demoDroneCamera(sourceUrl: (slug: string, variant: 'main' | 'sub') => string) {
  const slug = slugify(DEMO_DRONE_NAME);
  const camera: NewCamera = {
    kind: 'agency',
    name: DEMO_DRONE_NAME,
    lat: DRONE_BASE.lat,
    lng: DRONE_BASE.lng,
    address: 'Drone base (synthetic)',
    notes: 'Synthetic demo record: a drone camera, its position from its track.',
    source: {
      protocol: 'http-ts',
      url: sourceUrl(slug, 'main'),
      codecHint: 'h264',
      substreamUrl: sourceUrl(slug, 'sub'),
      ptz: false,
    },
  };
  return { id: DEMO_DRONE_CAMERA_ID, camera };
}
