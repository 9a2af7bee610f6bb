import type { Map as LeafletMap } from 'leaflet';

/**
 * Brings the map to a place, at least at `minZoom` (or exactly at it, with `exact`: a searched
 * place is shown at the zoom that names its streets). The map's panel may have been hidden until
 * now: Leaflet then still has its size as 0 by 0, and a flight computed from that size goes
 * nowhere (NaN). Measure first; jump when there is no room to fly.
 */
export function focusMap(
  map: LeafletMap,
  at: { readonly lat: number; readonly lon: number },
  minZoom: number,
  options: { readonly exact?: boolean } = {},
): void {
  map.invalidateSize({ animate: false });
  const size = map.getSize();
  const zoom = options.exact ? minZoom : Math.max(map.getZoom(), minZoom);
  if (size.x > 0 && size.y > 0) map.flyTo([at.lat, at.lon], zoom, { duration: 0.6 });
  else map.setView([at.lat, at.lon], zoom, { animate: false });
}
