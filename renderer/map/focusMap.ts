import type { Map as LeafletMap } from 'leaflet';

/** A box in the map's own pixels, top-left at 0,0. */
export interface Box {
  readonly top: number;
  readonly bottom: number;
}

/** The map's overlays (tools, the radius list, notes) carry this attribute (docs/console.md). */
export const COVERS_MAP = 'data-covers-map';

/** Below this height a clear band is not worth aiming at: the map's middle is used instead. */
const MIN_CLEAR_PX = 80;

/**
 * The height at which a place brought into view should land: the middle of the band that no
 * overlay covers. An overlay in the upper half pushes the band's top down to its bottom edge;
 * one in the lower half pulls the band's bottom up to its top edge.
 */
export function clearMiddle(height: number, overlays: readonly Box[]): number {
  let top = 0;
  let bottom = height;
  for (const o of overlays) {
    if (o.bottom <= 0 || o.top >= height) continue;
    if ((o.top + o.bottom) / 2 < height / 2) top = Math.max(top, o.bottom);
    else bottom = Math.min(bottom, o.top);
  }
  return bottom - top >= MIN_CLEAR_PX ? (top + bottom) / 2 : height / 2;
}

/** The overlays drawn over this map's panel, in the map's pixels. */
function overlaysOver(map: LeafletMap): Box[] {
  const container = map.getContainer?.();
  const wrap = container?.parentElement;
  if (!container || !wrap) return [];
  const origin = container.getBoundingClientRect().top;
  return Array.from(wrap.querySelectorAll(`[${COVERS_MAP}]`), (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top - origin, bottom: r.bottom - origin };
  }).filter((b) => b.bottom > b.top);
}

/**
 * Brings the map to a place, at least at `minZoom` (or exactly at it, with `exact`: a searched
 * place is shown at the zoom that names its streets), landing it in the part of the map that the
 * tools and the radius list leave clear, so that its symbol can be seen and clicked. The map's
 * panel may have been hidden until now: Leaflet then still has its size as 0 by 0, and a flight
 * computed from that size goes nowhere (NaN). Measure first; jump when there is no room to fly.
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
  if (!(size.x > 0 && size.y > 0)) {
    map.setView([at.lat, at.lon], zoom, { animate: false });
    return;
  }
  const shift = clearMiddle(size.y, overlaysOver(map)) - size.y / 2;
  const target = map.project([at.lat, at.lon], zoom);
  const centre = map.unproject([target.x, target.y - shift], zoom);
  map.flyTo([centre.lat, centre.lng], zoom, { duration: 0.6 });
}
