import { CircleMarker, MapContainer, Polygon, TileLayer, useMapEvents } from 'react-leaflet';
import { useSessionStore } from '../../session/sessionStore';
import { viewWedge } from './cameraDraft';

function ClickToPlace({ onPick }: { onPick: (lat: number, lng: number) => void }) {
  useMapEvents({ click: (e) => onPick(e.latlng.lat, e.latlng.lng) });
  return null;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * A small map in the camera form: a click places the camera; its view (bearing, field of view,
 * range) is drawn from where it stands, so the admin sees the wedge before saving.
 */
export function LocationPicker(props: {
  readonly lat: number | null;
  readonly lng: number | null;
  readonly bearingDeg: number | null;
  readonly fovDeg: number | null;
  readonly rangeM: number | null;
  readonly onPick: (lat: number, lng: number) => void;
}) {
  const tiles = useSessionStore((s) => s.info?.mapTiles ?? null);
  const center = useSessionStore((s) => s.agency?.map.center ?? null);
  const here: [number, number] | null =
    props.lat !== null && props.lng !== null ? [props.lat, props.lng] : null;
  const start = here ?? (center as [number, number] | null) ?? [0, 0];
  const wedge = here
    ? viewWedge(here[0], here[1], props.bearingDeg, props.fovDeg, props.rangeM)
    : [];
  return (
    <div className="camera-admin-map" data-testid="camera-admin-map">
      <MapContainer center={start} zoom={here ? 18 : 13} attributionControl={!!tiles} preferCanvas>
        {tiles && (
          <TileLayer
            url={tiles.urlTemplate}
            attribution={tiles.attribution}
            maxZoom={tiles.maxZoom}
          />
        )}
        <ClickToPlace onPick={(lat, lng) => props.onPick(round(lat), round(lng))} />
        {wedge.length > 2 && (
          <Polygon
            positions={wedge}
            pathOptions={{ color: '#58a6ff', weight: 1, fillOpacity: 0.2 }}
          />
        )}
        {here && <CircleMarker center={here} radius={6} pathOptions={{ color: '#f0883e' }} />}
      </MapContainer>
      <div className="hint">Click the map to place the camera, or type its coordinates.</div>
    </div>
  );
}
