import { useEffect, useMemo } from 'react';
import { MapContainer, Polygon, TileLayer, Tooltip, useMap } from 'react-leaflet';
import type { LatLngBoundsExpression, LatLngExpression } from 'leaflet';
import type { Jurisdiction } from '../../shared/domain/agency';
import { useSessionStore } from '../session/sessionStore';
import { boundsOf } from './boundaryFile';

/** A shape on the preview: the saved boundary, the one about to be saved, a zone. */
export interface PreviewShape {
  readonly key: string;
  readonly geometry: Jurisdiction;
  readonly label: string;
  readonly tone: 'saved' | 'draft' | 'zone';
}

const STYLE = {
  saved: { color: '#8b949e', dashArray: '6 6', fillOpacity: 0.04, weight: 2 },
  draft: { color: '#58a6ff', fillOpacity: 0.12, weight: 3 },
  zone: { color: '#f85149', fillOpacity: 0.2, weight: 2 },
} as const;

function positionsOf(g: Jurisdiction): LatLngExpression[][][] {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.map((rings) => rings.map((ring) => ring.map(([lng, lat]) => [lat, lng])));
}

/** Frames the shapes whenever they change (an upload moves the view to what was uploaded). */
function FitTo({ bounds }: { bounds: LatLngBoundsExpression | null }) {
  const map = useMap();
  useEffect(() => {
    if (bounds) map.fitBounds(bounds, { padding: [12, 12], animate: false });
  }, [map, bounds]);
  return null;
}

/**
 * Shapes on a small map before they are saved: the administrator sees the boundary or zone
 * where it falls, over the configured tiles when there are any.
 */
export function GeometryPreview({ shapes }: { readonly shapes: readonly PreviewShape[] }) {
  const tiles = useSessionStore((s) => s.info?.mapTiles ?? null);
  // The shapes' content, not their identity, decides the framing: a keystroke elsewhere in the
  // form must not move the map the administrator is looking at.
  const content = JSON.stringify(shapes.map((s) => s.geometry));
  const bounds = useMemo((): LatLngBoundsExpression | null => {
    const all = shapes.flatMap((s) => {
      const b = boundsOf(s.geometry);
      return b ? [b] : [];
    });
    if (all.length === 0) return null;
    return [
      [Math.min(...all.map((b) => b[0][0])), Math.min(...all.map((b) => b[0][1]))],
      [Math.max(...all.map((b) => b[1][0])), Math.max(...all.map((b) => b[1][1]))],
    ];
  }, [content]);
  if (!bounds) return null;
  return (
    <div className="agency-preview-map" data-testid="agency-geometry-preview">
      <MapContainer bounds={bounds} zoomControl attributionControl={!!tiles} preferCanvas>
        {tiles && (
          <TileLayer
            url={tiles.urlTemplate}
            attribution={tiles.attribution}
            maxZoom={tiles.maxZoom}
          />
        )}
        {shapes.map((s) => (
          <Polygon key={s.key} positions={positionsOf(s.geometry)} pathOptions={STYLE[s.tone]}>
            <Tooltip sticky>{s.label}</Tooltip>
          </Polygon>
        ))}
        <FitTo bounds={bounds} />
      </MapContainer>
      <div className="hint">
        {shapes.some((s) => s.tone === 'saved') && 'Dashed grey: as saved. '}
        {shapes.some((s) => s.tone === 'draft') && 'Blue: as it will be saved. '}
        {shapes.some((s) => s.tone === 'zone') && 'Red: exclusion zones.'}
      </div>
    </div>
  );
}
