import { useEffect, useMemo, useState } from 'react';
import type { LatLngBoundsExpression } from 'leaflet';
import type { AgencyConfig, Jurisdiction } from '../../shared/domain/agency';
import { MapContainer, TileLayer, useMap } from 'react-leaflet';
import type { MapTiles } from '../../shared/api/console';
import { CameraLayer, ScaleBar } from './CameraLayer';
import { CameraPopup } from './CameraPopup';
import { LayerControl } from './LayerControl';
import { OfflineBasemap } from './OfflineBasemap';
import { RadiusCircle, RadiusPanel } from './RadiusTool';
import { IncidentLayer } from '../incidents/IncidentLayer';
import { TipLayer } from '../tips/TipLayer';
import { AlertLayer } from '../alerts/AlertLayer';
import { PullLayer } from '../pulls/PullLayer';
import { usePullStore } from '../pulls/pullStore';
import { useMapStore } from './mapStore';
import { usePlaceStore } from './placeStore';
import { StreetLayer } from './StreetLayer';
import { MapRequests, PlacePin } from './PlacePin';

function jurisdictionBounds(j: Jurisdiction): LatLngBoundsExpression | null {
  const polygons = j.type === 'Polygon' ? [j.coordinates] : j.coordinates;
  const points = polygons.flatMap((rings) => rings[0] ?? []);
  if (points.length === 0) return null;
  const lats = points.map((p) => p[1]);
  const lngs = points.map((p) => p[0]);
  return [
    [Math.min(...lats), Math.min(...lngs)],
    [Math.max(...lats), Math.max(...lngs)],
  ];
}

/** Takes the keyboard focus when asked (the M shortcut). */
function FocusOnRequest() {
  const map = useMap();
  const request = useMapStore((s) => s.focusRequest);
  useEffect(() => {
    if (request > 0) map.getContainer().focus();
  }, [map, request]);
  return null;
}

/** Leaflet measures its container once; a panel that changes size must tell it. */
function FollowSize() {
  const map = useMap();
  useEffect(() => {
    const ro = new ResizeObserver(() => map.invalidateSize({ animate: false }));
    ro.observe(map.getContainer());
    return () => ro.disconnect();
  }, [map]);
  return null;
}

/**
 * Keeps the map's view in the store after each move, so a reload opens the map there; the
 * container says where Leaflet itself looks (`data-view`, for the end-to-end tests).
 */
function KeepView() {
  const map = useMap();
  useEffect(() => {
    const shown = () => {
      const c = map.getCenter();
      map.getContainer().dataset.view = `${c.lat.toFixed(6)},${c.lng.toFixed(6)},${map.getZoom()}`;
      return c;
    };
    shown();
    const moved = () => {
      const c = shown();
      useMapStore.getState().setView({ lat: c.lat, lng: c.lng, zoom: map.getZoom() });
    };
    map.on('moveend', moved);
    return () => {
      map.off('moveend', moved);
    };
  }, [map]);
  return null;
}

export function MapView({
  agency,
  tiles,
}: {
  readonly agency: AgencyConfig;
  /** The basemap's tile source, or null for the offline basemap. */
  readonly tiles: MapTiles | null;
}) {
  const picking = useMapStore((s) => s.picking);
  const pickingPull = usePullStore((s) => s.picking);
  const startPicking = useMapStore((s) => s.startPicking);
  const cancelRadius = useMapStore((s) => s.cancelRadius);
  const radiusOn = useMapStore((s) => s.picking || s.radiusCenter !== null);
  const [tilesFailing, setTilesFailing] = useState(false);
  const bounds = useMemo(() => jurisdictionBounds(agency.jurisdiction), [agency.jurisdiction]);
  // Where the map was before a reload, read once: later moves are the map's own.
  const [kept] = useState(() => useMapStore.getState().view);
  const streets = usePlaceStore((s) => s.streets);
  const wholeCity = usePlaceStore((s) => s.wholeCity);
  useEffect(() => {
    void usePlaceStore.getState().loadStreets();
  }, []);
  // Streets are the offline basemap's: tiles, when they load, have their own.
  const drawStreets = streets !== null && (!tiles || tilesFailing);

  const note = !tiles
    ? 'Offline basemap: no map tiles configured (WF_MAP_TILES).'
    : tilesFailing
      ? 'Map tiles unreachable: showing the offline basemap.'
      : null;

  return (
    <div
      className={`map-wrap${picking || pickingPull ? ' picking' : ''}`}
      data-testid="map"
      data-basemap={tiles && !tilesFailing ? 'tiles' : 'offline'}
      data-streets={drawStreets ? streets.streets.length : 0}
    >
      <MapContainer
        // The whole jurisdiction at first, whatever the panel's width; the agency's centre if it has none.
        {...(kept
          ? { center: [kept.lat, kept.lng] as [number, number], zoom: kept.zoom }
          : bounds
            ? { bounds, boundsOptions: { padding: [16, 16] } }
            : { center: agency.map.center, zoom: agency.map.zoom })}
        minZoom={3}
        zoomSnap={0.25}
        zoomDelta={0.5}
        maxZoom={tiles?.maxZoom ?? 19}
        zoomControl
        keyboard
        attributionControl={!!tiles}
        preferCanvas
        worldCopyJump={false}
        aria-label="Camera map"
      >
        <OfflineBasemap
          jurisdiction={agency.jurisdiction}
          approximate={agency.jurisdictionApproximate}
        />
        {tiles && (
          <TileLayer
            url={tiles.urlTemplate}
            attribution={tiles.attribution}
            maxZoom={tiles.maxZoom}
            opacity={0.85}
            eventHandlers={{
              tileerror: () => setTilesFailing(true),
              tileload: () => setTilesFailing(false),
            }}
          />
        )}
        {drawStreets && <StreetLayer layer={streets} />}
        <CameraLayer />
        <RadiusCircle />
        {/* Tips whose tipster shared a location (empty without tips.read: nothing is loaded). */}
        <TipLayer />
        {/* Incidents in progress, by priority (empty without incidents.read: nothing is loaded). */}
        <IncidentLayer />
        {/* Alerts by kind, track lines and drones (empty without alerts.read). */}
        <AlertLayer />
        {/* The open camera pull's candidates, and the pick of a new pull's location. */}
        <PullLayer />
        <PlacePin />
        <CameraPopup />
        <ScaleBar />
        <FocusOnRequest />
        <MapRequests city={bounds} />
        <FollowSize />
        <KeepView />
      </MapContainer>
      <div className="map-tools" data-covers-map>
        <button
          type="button"
          className="btn"
          aria-pressed={radiusOn}
          onClick={() => (radiusOn ? cancelRadius() : startPicking())}
          data-testid="radius-tool"
          title="Cameras within a distance of a point (C)"
        >
          ◎ Radius
        </button>
        <button
          type="button"
          className="btn"
          onClick={wholeCity}
          data-testid="whole-city"
          title="Fit the whole jurisdiction in the map"
        >
          ⌂ Whole city
        </button>
      </div>
      {pickingPull && (
        <div className="pull-pick-note" role="status" data-testid="pull-pick-note" data-covers-map>
          Click the place of the camera pull (Enter: the map&apos;s centre; Esc: cancel)
        </div>
      )}
      <LayerControl />
      <RadiusPanel />
      <div className="basemap-note" data-testid="basemap-note" data-covers-map>
        {agency.name}
        {agency.jurisdictionApproximate ? ' · boundary approximate' : ''}
        {note ? ` · ${note}` : ''}
        {drawStreets ? ` · ${streets.attribution}` : ''}
      </div>
    </div>
  );
}
