import { useEffect, useMemo, useState } from 'react';
import L from 'leaflet';
import { Marker, Pane, Polyline, useMap, useMapEvents } from 'react-leaflet';
import type { StreetLayer as Layer } from '../../shared/api/addresses';

/** Street names from this zoom on (a few blocks across the panel); place names from PLACE_ZOOM. */
export const STREET_LABEL_ZOOM = 16;
const PLACE_ZOOM = 13;
/** At most this many street names at once: one per street per stretch in view. */
const MAX_LABELS = 60;

const STYLE = {
  major: { color: '#4a5f75', weight: 4 },
  minor: { color: '#3b4d60', weight: 2.5 },
  local: { color: '#2a3848', weight: 1.5 },
} as const;

type LatLngPair = [number, number];

/** Where each named street's name goes: the middle of each of its segments. */
function labelPoints(layer: Layer): { name: string; at: LatLngPair; angle: number }[] {
  const out: { name: string; at: LatLngPair; angle: number }[] = [];
  for (const s of layer.streets) {
    if (!s.name) continue;
    for (let i = 0; i + 1 < s.line.length; i += 2) {
      const [lng1, lat1] = s.line[i]!;
      const [lng2, lat2] = s.line[i + 1]!;
      // Screen angle of the segment (north up, so latitude grows upward), kept readable.
      let angle = (-Math.atan2(lat2 - lat1, (lng2 - lng1) * 0.81) * 180) / Math.PI;
      if (angle > 90) angle -= 180;
      if (angle < -90) angle += 180;
      out.push({
        name: s.name,
        at: [(lat1 + lat2) / 2, (lng1 + lng2) / 2],
        angle: Math.round(angle),
      });
    }
  }
  return out;
}

const labelIcon = (name: string, angle: number, className: string) =>
  L.divIcon({
    className,
    html: `<span style="transform: translate(-50%, -50%) rotate(${angle}deg)">${name
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')}</span>`,
    iconSize: [0, 0],
  });

/**
 * The streets of the offline basemap, drawn as vectors on one canvas of their own below the
 * cameras (docs/console.md, "The map"). Names are labels at street zoom, only those in view.
 */
export function StreetLayer({ layer }: { readonly layer: Layer }) {
  const map = useMap();
  const [view, setView] = useState(() => ({ zoom: map.getZoom(), bounds: map.getBounds() }));
  useMapEvents({
    moveend: () => setView({ zoom: map.getZoom(), bounds: map.getBounds() }),
  });
  // Created once per pane: the canvas that holds every street.
  const renderer = useMemo(() => L.canvas({ pane: 'streets', padding: 0.2 }), []);
  useEffect(() => () => void renderer.remove(), [renderer]);
  const byClass = useMemo(
    () =>
      (['local', 'minor', 'major'] as const).map((c) => ({
        c,
        lines: layer.streets
          .filter((s) => s.class === c)
          .map((s) => s.line.map(([lng, lat]) => [lat, lng] as LatLngPair)),
      })),
    [layer],
  );
  const points = useMemo(() => labelPoints(layer), [layer]);
  const labels =
    view.zoom >= STREET_LABEL_ZOOM
      ? points.filter((p) => view.bounds.contains(p.at)).slice(0, MAX_LABELS)
      : [];
  const places =
    view.zoom >= PLACE_ZOOM ? layer.places.filter((p) => view.bounds.contains([p.lat, p.lng])) : [];

  return (
    <>
      <Pane name="streets" style={{ zIndex: 160 }}>
        {byClass.map(({ c, lines }) => (
          <Polyline
            key={c}
            positions={lines}
            pathOptions={{ ...STYLE[c], opacity: 1, renderer, lineCap: 'round' }}
            interactive={false}
          />
        ))}
      </Pane>
      <Pane name="street-labels" style={{ zIndex: 390, pointerEvents: 'none' }}>
        {labels.map((l) => (
          <Marker
            key={`${l.name}-${l.at.join()}`}
            position={l.at}
            icon={labelIcon(l.name, l.angle, 'street-label')}
            interactive={false}
            keyboard={false}
            pane="street-labels"
          />
        ))}
        {places.map((p) => (
          <Marker
            key={p.name}
            position={[p.lat, p.lng]}
            icon={labelIcon(p.name, 0, 'place-label')}
            interactive={false}
            keyboard={false}
            pane="street-labels"
          />
        ))}
      </Pane>
    </>
  );
}
