import { useEffect } from 'react';
import L, { type LatLngBoundsExpression } from 'leaflet';
import { Marker, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { focusMap } from './focusMap';
import { usePlaceStore } from './placeStore';

/** The zoom an address is shown at: its block and the streets around, named. */
export const PLACE_ZOOM = 17;

/** Made on first use: Leaflet needs a window, which the module may be loaded without. */
let pinIcon: L.DivIcon | null = null;
const placePinIcon = (): L.DivIcon =>
  (pinIcon ??= L.divIcon({
    className: 'address-pin',
    html: '<span data-testid="address-pin" aria-hidden="true"></span>',
    iconSize: [18, 18],
    iconAnchor: [9, 18],
  }));

/** The pin of the place the analyst searched for, named. */
export function PlacePin() {
  const pin = usePlaceStore((s) => s.pin);
  if (!pin) return null;
  return (
    <Marker
      position={[pin.lat, pin.lng]}
      icon={placePinIcon()}
      keyboard={false}
      zIndexOffset={1000}
    >
      <Tooltip permanent direction="top" offset={[0, -18]} className="address-pin-label">
        {pin.label}
      </Tooltip>
    </Marker>
  );
}

/** Carries out the place store's requests: fly to a place, or fit the whole city. */
export function MapRequests({ city }: { readonly city: LatLngBoundsExpression | null }) {
  const map = useMap();
  const request = usePlaceStore((s) => s.request);
  // What the map shows, on its element: west,south,east,north and the zoom (for tests and tools).
  useMapEvents({
    moveend: () => {
      map.getContainer().dataset.bounds = `${map.getBounds().toBBoxString()},${map.getZoom()}`;
    },
  });
  useEffect(() => {
    if (!request) return;
    if (request.kind === 'fly')
      focusMap(map, { lat: request.lat, lon: request.lng }, PLACE_ZOOM, { exact: true });
    else if (city) {
      map.invalidateSize({ animate: false });
      map.fitBounds(city, { padding: [16, 16], animate: false });
    }
  }, [map, request, city]);
  return null;
}
