import type { ConsoleModule } from '../app/consoleModule';
import type { Alert } from '../../shared/domain/alerts';
import { AlertTray } from './AlertTray';
import { useAlertStore } from './alertStore';

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
    'camera.moved': (p) => useAlertStore.getState().moveDrone(p),
  },
};
