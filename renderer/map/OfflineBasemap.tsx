import { useMemo } from 'react';
import { Pane, Polygon, Polyline } from 'react-leaflet';
import type { LatLngExpression } from 'leaflet';
import type { Jurisdiction } from '../../shared/domain/agency';

/** Graticule spacing in degrees: about 2 km at the latitude of most US cities. */
const STEP = 0.02;

function ringsOf(j: Jurisdiction): LatLngExpression[][] {
  const polygons = j.type === 'Polygon' ? [j.coordinates] : j.coordinates;
  return polygons.flatMap((rings) =>
    rings.map((ring) => ring.map(([lng, lat]) => [lat, lng] as [number, number])),
  );
}

function boundsOf(j: Jurisdiction) {
  const polygons = j.type === 'Polygon' ? [j.coordinates] : j.coordinates;
  let minLat = 90;
  let maxLat = -90;
  let minLng = 180;
  let maxLng = -180;
  for (const rings of polygons)
    for (const [lng, lat] of rings[0] ?? []) {
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
      minLng = Math.min(minLng, lng);
      maxLng = Math.max(maxLng, lng);
    }
  return { minLat, maxLat, minLng, maxLng };
}

/**
 * The map that is always there, without a network: the jurisdiction (from the agency config
 * that ships with the app), everything outside it dimmed, and a coordinate grid for scale.
 * Tiles from WF_MAP_TILES, when they load, are drawn over it.
 */
export function OfflineBasemap({
  jurisdiction,
  approximate,
}: {
  readonly jurisdiction: Jurisdiction;
  readonly approximate: boolean;
}) {
  const rings = useMemo(() => ringsOf(jurisdiction), [jurisdiction]);
  const grid = useMemo(() => {
    const b = boundsOf(jurisdiction);
    const margin = 0.3;
    const lines: [number, number][][] = [];
    const lat0 = Math.floor((b.minLat - margin) / STEP) * STEP;
    const lng0 = Math.floor((b.minLng - margin) / STEP) * STEP;
    for (let lat = lat0; lat <= b.maxLat + margin; lat += STEP)
      lines.push([
        [lat, b.minLng - margin],
        [lat, b.maxLng + margin],
      ]);
    for (let lng = lng0; lng <= b.maxLng + margin; lng += STEP)
      lines.push([
        [b.minLat - margin, lng],
        [b.maxLat + margin, lng],
      ]);
    return lines;
  }, [jurisdiction]);
  // The dimmed surround reaches well past the city, not round the world: a ring that size
  // loses precision at street zoom.
  const world = useMemo((): [number, number][] => {
    const b = boundsOf(jurisdiction);
    const m = 3;
    return [
      [b.minLat - m, b.minLng - m],
      [b.maxLat + m, b.minLng - m],
      [b.maxLat + m, b.maxLng + m],
      [b.minLat - m, b.maxLng + m],
    ];
  }, [jurisdiction]);

  return (
    <Pane name="offline-basemap" style={{ zIndex: 150 }}>
      <Polygon
        positions={[world, ...rings]}
        pathOptions={{ stroke: false, fillColor: '#05080c', fillOpacity: 0.85 }}
        interactive={false}
      />
      <Polyline
        positions={grid}
        pathOptions={{ color: '#1c2631', weight: 1, opacity: 1 }}
        interactive={false}
      />
      <Polygon
        positions={rings}
        pathOptions={{
          color: '#7fa6c9',
          weight: 2,
          dashArray: approximate ? '6 4' : undefined,
          fillColor: '#1a2836',
          fillOpacity: 0.35,
        }}
        interactive={false}
      />
    </Pane>
  );
}
