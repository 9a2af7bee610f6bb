import L from 'leaflet';
import type { CameraKind } from '../../shared/domain/cameras';
import type { CameraClusters, MapItem } from '../cameras/cameraClusters';
import type { Camera } from '../cameras/cameraStore';
import { drawCamera, drawCluster, drawTileNumber } from './cameraSymbols';
import { conePolygon } from '../../shared/docking/cameraCone';

/** From this zoom a camera's view cone is drawn (street level: a cone is tens of metres). */
const CONE_MIN_ZOOM = 16;

/** What a pointer is over: a cluster or one camera, with where it was drawn. */
export type MapHit = MapItem<Camera> & {
  readonly x: number;
  readonly y: number;
  readonly r: number;
};

export interface CameraLayerData {
  readonly clusters: CameraClusters<Camera> | null;
  readonly kinds: ReadonlySet<CameraKind>;
  /** Cameras on the wall, with their tile's number: ringed in white, the number beside. */
  readonly onWall: ReadonlyMap<string, number>;
  /** The selected camera (pop-up open): ringed in amber. */
  readonly selected: string | null;
  /** Owners' cameras that cannot be viewed now: drawn faint and struck through. */
  readonly blocked: ReadonlyMap<string, string>;
}

/** The canvas reaches this far past the view on each side, so a pan shows cameras at once. */
const PAD = 0.3;
const CAMERA_R = 5.5;
const HIT_SLOP = 4;

/**
 * Every camera on one canvas, drawn from the per-kind cluster indexes. A marker per camera
 * stops a browser at a few thousand; this draws only what the view needs (clusters, and single
 * cameras at street zoom) once per move, while Leaflet slides the canvas during a pan.
 */
export class CameraCanvasLayer extends L.Layer {
  private canvas: HTMLCanvasElement | null = null;
  private data: CameraLayerData = {
    clusters: null,
    kinds: new Set(),
    onWall: new Map(),
    selected: null,
    blocked: new Map(),
  };
  private drawn: MapHit[] = [];
  private origin = L.point(0, 0);
  /** Items drawn in the last frame, for tests and benchmarks that read the DOM. */
  drawnCount = 0;
  lastDrawMs = 0;
  maxDrawMs = 0;

  override onAdd(map: L.Map): this {
    const canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide wf-camera-canvas');
    canvas.setAttribute('data-testid', 'map-camera-canvas');
    canvas.setAttribute('aria-hidden', 'true');
    canvas.style.pointerEvents = 'none';
    this.canvas = canvas;
    map.getPanes().overlayPane.appendChild(canvas);
    map.on('moveend zoomend resize viewreset', this.redraw, this);
    this.redraw();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize viewreset', this.redraw, this);
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  setData(data: CameraLayerData): void {
    this.data = data;
    this.redraw();
  }

  /** The nearest thing drawn under a point of the map's container, if any. */
  hitTest(containerPoint: L.Point): MapHit | null {
    const x = containerPoint.x - this.origin.x;
    const y = containerPoint.y - this.origin.y;
    let best: MapHit | null = null;
    let bestD = Infinity;
    for (const h of this.drawn) {
      const d = Math.hypot(h.x - x, h.y - y);
      if (d <= h.r + HIT_SLOP && d < bestD) {
        best = h;
        bestD = d;
      }
    }
    return best ? { ...best, x: best.x + this.origin.x, y: best.y + this.origin.y } : null;
  }

  private readonly redraw = (): void => {
    const map = this._map as L.Map | undefined;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const started = performance.now();
    const size = map.getSize();
    const pad = size.multiplyBy(PAD).round();
    const full = size.add(pad.multiplyBy(2));
    const topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1));
    L.DomUtil.setPosition(canvas, topLeft);
    // The container point of the canvas's top-left corner, to map hits back.
    this.origin = pad.multiplyBy(-1);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(full.x * dpr) || canvas.height !== Math.round(full.y * dpr)) {
      canvas.width = Math.round(full.x * dpr);
      canvas.height = Math.round(full.y * dpr);
      canvas.style.width = `${full.x}px`;
      canvas.style.height = `${full.y}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, full.x, full.y);
    this.drawn = [];
    const { clusters, kinds, onWall, selected, blocked } = this.data;
    if (!clusters) return;

    const nw = map.containerPointToLatLng(pad.multiplyBy(-1));
    const se = map.containerPointToLatLng(size.add(pad));
    const items = clusters.itemsIn(
      { west: nw.lng, north: nw.lat, east: se.lng, south: se.lat },
      map.getZoom(),
      kinds,
    );
    // Symbols follow the console's type size, so a 4K wall display draws them twice as large.
    const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize || '14') || 14;
    const fontPx = Math.round(rootPx * 0.8);
    const scale = Math.max(1, rootPx / 14);
    const cameraR = CAMERA_R * scale;
    // Clusters under single cameras; the selected camera on top of everything.
    items.sort((a, b) => (a.type === b.type ? 0 : a.type === 'cluster' ? -1 : 1));
    // Where each camera looks, under the symbols, once cameras are drawn one by one at street zoom.
    if (map.getZoom() >= CONE_MIN_ZOOM) {
      for (const item of items) {
        if (item.type !== 'camera') continue;
        const ring = conePolygon(item.camera);
        if (!ring) continue;
        ctx.beginPath();
        ring.forEach(([lng, lat], i) => {
          const q = map.latLngToContainerPoint([lat, lng]).subtract(this.origin);
          if (i === 0) ctx.moveTo(q.x, q.y);
          else ctx.lineTo(q.x, q.y);
        });
        ctx.closePath();
        ctx.fillStyle = 'rgba(255, 211, 77, 0.16)';
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = 'rgba(255, 211, 77, 0.5)';
        ctx.stroke();
      }
    }
    let selectedHit: MapHit | null = null;
    for (const item of items) {
      const lat = item.type === 'cluster' ? item.lat : item.camera.lat;
      const lng = item.type === 'cluster' ? item.lng : item.camera.lng;
      const p = map.latLngToContainerPoint([lat, lng]).subtract(this.origin);
      if (item.type === 'cluster') {
        const r = drawCluster(ctx, item.counts, p.x, p.y, item.count, fontPx, scale);
        this.drawn.push({ ...item, x: p.x, y: p.y, r });
      } else {
        const hit: MapHit = { ...item, x: p.x, y: p.y, r: cameraR + 2 };
        if (item.camera.id === selected) {
          selectedHit = hit;
          continue;
        }
        const tileNumber = onWall.get(item.camera.id);
        drawCamera(
          ctx,
          item.kind,
          p.x,
          p.y,
          cameraR,
          tileNumber !== undefined ? 'wall' : 'none',
          blocked.has(item.camera.id),
        );
        if (tileNumber !== undefined) drawTileNumber(ctx, tileNumber, p.x, p.y, cameraR, fontPx);
        this.drawn.push(hit);
      }
    }
    if (selectedHit && selectedHit.type === 'camera') {
      const tileNumber = onWall.get(selectedHit.camera.id);
      drawCamera(
        ctx,
        selectedHit.kind,
        selectedHit.x,
        selectedHit.y,
        cameraR + 1.5,
        'selected',
        blocked.has(selectedHit.camera.id),
      );
      if (tileNumber !== undefined)
        drawTileNumber(ctx, tileNumber, selectedHit.x, selectedHit.y, cameraR + 1.5, fontPx);
      this.drawn.push(selectedHit);
    }
    this.drawnCount = this.drawn.length;
    this.lastDrawMs = performance.now() - started;
    this.maxDrawMs = Math.max(this.maxDrawMs, this.lastDrawMs);
    const container = map.getContainer();
    container.dataset.drawnItems = String(this.drawnCount);
    container.dataset.drawMs = this.lastDrawMs.toFixed(1);
    container.dataset.drawMsMax = this.maxDrawMs.toFixed(1);
  };
}
