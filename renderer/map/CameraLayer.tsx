import { useEffect, useMemo, useRef } from 'react';
import { useMap } from 'react-leaflet';
import L from 'leaflet';
import { CAMERA_KINDS } from '../../shared/domain/cameras';
import { cameraClustersOf, shownKinds, useCameraStore } from '../cameras/cameraStore';
import { useWallStore } from '../wall/wallStore';
import { tileAt, useDragStore } from '../wall/dragStore';
import { putCameraOnTile } from '../wall/wallActions';
import { CameraCanvasLayer } from './cameraCanvasLayer';
import { describeCluster } from './cameraSymbols';
import { LAYOUTS } from '../wall/wallGeometry';
import { useMapStore } from './mapStore';
import { useViewableStore, viewableClustersOf } from '../cameras/viewableNow';

/** Past this many pixels a press on a camera is a drag to the wall, not a click. */
const DRAG_THRESHOLD_PX = 6;

/** The clusters the map draws now: every camera, or only those viewable now (the filter). */
function clustersShown() {
  return useViewableStore.getState().onlyViewable
    ? viewableClustersOf()
    : cameraClustersOf(useCameraStore.getState());
}
const shownKindsNow = () => shownKinds(useCameraStore.getState().layers);

/** The camera canvas inside the react-leaflet map, with clicks, hover and drag to a tile. */
export function CameraLayer() {
  const map = useMap();
  const layerRef = useRef<CameraCanvasLayer | null>(null);
  const version = useCameraStore((s) => s.version);
  const layers = useCameraStore((s) => s.layers);
  const tiles = useWallStore((s) => s.tiles);
  const grid = useWallStore((s) => s.grid);
  const popup = useMapStore((s) => s.popupCameraId);
  const blocked = useViewableStore((s) => s.blocked);
  const onlyViewable = useViewableStore((s) => s.onlyViewable);

  const kinds = useMemo(() => new Set(CAMERA_KINDS.filter((k) => layers[k])), [layers]);
  // Camera id -> the number of the tile it is on (drawn beside its symbol).
  const onWall = useMemo(() => {
    const shown = tiles.slice(0, LAYOUTS[grid].tiles.length);
    return new Map(shown.flatMap((t, i) => (t ? [[t.cameraId, i + 1] as const] : [])));
  }, [tiles, grid]);

  useEffect(() => {
    const layer = new CameraCanvasLayer();
    layer.addTo(map);
    layerRef.current = layer;
    return () => {
      layer.remove();
      layerRef.current = null;
    };
  }, [map]);

  useEffect(() => {
    const state = useCameraStore.getState();
    const ready = state.status === 'ready' || state.byId.size > 0;
    const clusters = !ready ? null : clustersShown();
    layerRef.current?.setData({ clusters, kinds, onWall, selected: popup, blocked });
  }, [version, kinds, onWall, popup, blocked, onlyViewable]);

  useEffect(() => {
    const container = map.getContainer();
    // What the pointer is over, in words: a camera's name, or a cluster's breakdown by kind.
    const tip = document.createElement('div');
    tip.className = 'map-hover-tip';
    tip.setAttribute('data-testid', 'map-hover-tip');
    tip.hidden = true;
    container.appendChild(tip);
    let press: { id: string; name: string; x: number; y: number; dragging: boolean } | null = null;

    const onMove = (e: PointerEvent) => {
      if (press) {
        if (
          !press.dragging &&
          Math.hypot(e.clientX - press.x, e.clientY - press.y) > DRAG_THRESHOLD_PX
        )
          press.dragging = true;
        if (press.dragging)
          useDragStore.getState().set({
            cameraId: press.id,
            name: press.name,
            x: e.clientX,
            y: e.clientY,
            overTile: tileAt(e.clientX, e.clientY),
          });
        return;
      }
      if (
        e.target !== container &&
        !(e.target instanceof Element && e.target.closest('.leaflet-pane'))
      )
        return;
      const hit = layerRef.current?.hitTest(map.mouseEventToContainerPoint(e));
      container.style.cursor = hit ? 'pointer' : '';
      if (!hit) {
        tip.hidden = true;
        return;
      }
      tip.textContent =
        hit.type === 'cluster'
          ? `${hit.count.toLocaleString('en-US')} cameras: ${describeCluster(hit.counts)} (click to zoom in)`
          : hit.camera.name;
      tip.style.left = `${hit.x + hit.r + 6}px`;
      tip.style.top = `${hit.y - hit.r}px`;
      tip.hidden = false;
    };

    const onUp = (e: PointerEvent) => {
      const p = press;
      press = null;
      map.dragging.enable();
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerup', onUp, true);
      useDragStore.getState().set(null);
      if (!p) return;
      if (p.dragging) {
        const tile = tileAt(e.clientX, e.clientY);
        if (tile !== null) void putCameraOnTile(p.id, tile);
      } else {
        useMapStore.getState().openPopup(p.id);
      }
    };

    const onDown = (e: PointerEvent) => {
      if (e.button !== 0 || useMapStore.getState().picking) return;
      // A marker drawn over the cameras (an incident, an alert, a tip) takes its own click.
      if (e.target instanceof Element && e.target.closest('.leaflet-marker-icon')) return;
      const hit = layerRef.current?.hitTest(map.mouseEventToContainerPoint(e));
      if (!hit) return;
      if (hit.type === 'cluster') {
        const zoom = useCameraStore.getState().byId.size
          ? clustersShown().expansionZoom(shownKindsNow(), hit.clusterId)
          : map.getZoom() + 2;
        map.setView([hit.lat, hit.lng], Math.min(zoom, map.getMaxZoom()));
        e.stopPropagation();
        return;
      }
      // A camera: hold the map still, and decide on release whether this was a click or a drag.
      map.dragging.disable();
      press = {
        id: hit.camera.id,
        name: hit.camera.name,
        x: e.clientX,
        y: e.clientY,
        dragging: false,
      };
      window.addEventListener('pointermove', onMove, true);
      window.addEventListener('pointerup', onUp, true);
      e.stopPropagation();
    };

    container.addEventListener('pointerdown', onDown, true);
    container.addEventListener('pointermove', onMove);
    const hideTip = () => {
      tip.hidden = true;
    };
    container.addEventListener('pointerleave', hideTip);
    return () => {
      tip.remove();
      container.removeEventListener('pointerleave', hideTip);
      container.removeEventListener('pointerdown', onDown, true);
      container.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointermove', onMove, true);
      window.removeEventListener('pointerup', onUp, true);
    };
  }, [map]);

  return null;
}

/** Leaflet's own scale bar in metres and feet. */
export function ScaleBar() {
  const map = useMap();
  useEffect(() => {
    const control = L.control.scale({ metric: true, imperial: true, position: 'bottomright' });
    control.addTo(map);
    return () => {
      control.remove();
    };
  }, [map]);
  return null;
}
