import type { ConsoleModule } from '../app/consoleModule';
import type { Alert } from '../../shared/domain/alerts';
import { AlertTray } from './AlertTray';
import { useAlertStore, type DronePosition } from './alertStore';
import { useCameraStore } from '../cameras/cameraStore';

/** A drone reported where it is: its own symbol moves, and so does its camera's on the map. */
function moveDrone(p: DronePosition): void {
  useAlertStore.getState().moveDrone(p);
  const cameras = useCameraStore.getState();
  const camera = cameras.byId.get(p.cameraId);
  if (camera) cameras.upsert([{ ...camera, lat: p.lat, lng: p.lon }]);
}

const apply = ({ alert }: { readonly alert: Alert }) => useAlertStore.getState().apply(alert);

/** The alert tray, the alert symbols and track lines on the map, and drones that move. */
export const alertModule: ConsoleModule = {
  id: 'alerts',
  permission: 'alerts.read',
  panel: { label: 'Alerts', key: 'A', Component: AlertTray },
  load: () => useAlertStore.getState().load(),
  reducers: {
    'alert.raised': apply,
    'alert.updated': apply,
    'track.extended': (p) => useAlertStore.getState().extend(p),
    'camera.moved': moveDrone,
  },
};
