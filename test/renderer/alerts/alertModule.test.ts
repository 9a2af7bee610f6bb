import { beforeEach, describe, expect, it, vi } from 'vitest';
import { testCamera } from '../support/cameraFixture';

// The map's libraries touch the DOM when imported; the module's reducers are what is checked.
vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { useCameraStore } = await import('../../../renderer/cameras/cameraStore');
const { useAlertStore } = await import('../../../renderer/alerts/alertStore');

const DRONE = '5d7f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('the alert module on the event stream', () => {
  beforeEach(() => {
    useCameraStore.setState({ byId: new Map([[DRONE, testCamera(DRONE, { name: 'Drone 1' })]]) });
    useAlertStore.setState({ byId: new Map(), tracks: new Map(), drones: new Map() });
  });

  it('moves a drone and its camera symbol, and never back to an older position', () => {
    const moved = (lat: number, at: string) =>
      applyServerEvent({
        id: 1,
        at,
        type: 'camera.moved',
        payload: { cameraId: DRONE, lat, lon: -80.25, heading: 90, at },
      });
    moved(36.11, '2026-11-29T19:00:02.000Z');
    expect(useAlertStore.getState().drones.get(DRONE)).toMatchObject({ lat: 36.11, heading: 90 });
    expect(useCameraStore.getState().byId.get(DRONE)).toMatchObject({ lat: 36.11, lng: -80.25 });
    moved(36.2, '2026-11-29T19:00:01.000Z');
    expect(useAlertStore.getState().drones.get(DRONE)!.lat).toBe(36.11);
  });

  it('draws a track from its events', () => {
    applyServerEvent({
      id: 2,
      at: '2026-11-29T19:00:00.000Z',
      type: 'track.extended',
      payload: {
        subject: 'EM-1042',
        cameraId: null,
        source: { integrationId: 'i1', name: 'em-vendor' },
        points: [{ at: '2026-11-29T19:00:00.000Z', lat: 36.1, lon: -80.2, heading: null }],
      },
    });
    const [track] = [...useAlertStore.getState().tracks.values()];
    expect(track).toMatchObject({ subject: 'EM-1042', points: [{ lat: 36.1 }] });
  });
});
