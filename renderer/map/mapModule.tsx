import type { ConsoleModule } from '../app/consoleModule';
import { useSessionStore } from '../session/sessionStore';
import { MapView } from './MapView';
import { useMapStore } from './mapStore';

function MapPanel() {
  const agency = useSessionStore((s) => s.agency);
  const tiles = useSessionStore((s) => s.info?.mapTiles ?? null);
  if (!agency) return <p style={{ padding: '1rem' }}>Loading the agency’s map…</p>;
  return <MapView agency={agency} tiles={tiles} />;
}

/** The map of the agency's cameras (the agency's settings are loaded by agencyModule). */
export const mapModule: ConsoleModule = {
  id: 'map',
  permission: 'cameras.read',
  panel: {
    label: 'Map',
    key: 'M',
    activate: () => useMapStore.getState().requestFocus(),
    Component: MapPanel,
  },
};
