import Supercluster, { type PointFeature } from 'supercluster';
import { CAMERA_KINDS, type CameraKind } from '../../shared/domain/cameras';
import type { IndexedCamera } from './cameraIndex';

/** A point's properties: its position in the camera array, so 100,000 points carry no copies. */
interface PointProps {
  readonly i: number;
}

export type MapItem<C> =
  | {
      readonly type: 'cluster';
      readonly kind: CameraKind;
      readonly clusterId: number;
      readonly count: number;
      readonly lat: number;
      readonly lng: number;
    }
  | { readonly type: 'camera'; readonly kind: CameraKind; readonly camera: C };

export interface ViewBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/**
 * One supercluster index per camera kind, so each kind is its own map layer with its own
 * symbol and count, and hiding a layer costs nothing. Clusters come apart at street zoom.
 */
export class CameraClusters<C extends IndexedCamera> {
  private readonly byKind = new Map<CameraKind, Supercluster<PointProps>>();

  constructor(
    private readonly cameras: readonly C[],
    /** Past this zoom every camera is drawn on its own. */
    readonly maxClusterZoom = 16,
  ) {
    for (const kind of CAMERA_KINDS) {
      const features: PointFeature<PointProps>[] = [];
      cameras.forEach((c, i) => {
        if (c.kind === kind)
          features.push({
            type: 'Feature',
            properties: { i },
            geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
          });
      });
      const index = new Supercluster<PointProps>({
        radius: 80,
        maxZoom: maxClusterZoom,
        minPoints: 3,
      });
      index.load(features);
      this.byKind.set(kind, index);
    }
  }

  /** What to draw in a view at a zoom, for the kinds that are shown. */
  itemsIn(box: ViewBox, zoom: number, kinds: ReadonlySet<CameraKind>): MapItem<C>[] {
    const items: MapItem<C>[] = [];
    const z = Math.max(0, Math.floor(zoom));
    for (const kind of CAMERA_KINDS) {
      if (!kinds.has(kind)) continue;
      const index = this.byKind.get(kind);
      if (!index) continue;
      for (const f of index.getClusters([box.west, box.south, box.east, box.north], z)) {
        const [lng, lat] = f.geometry.coordinates as [number, number];
        const p = f.properties;
        if ('cluster' in p && p.cluster) {
          items.push({
            type: 'cluster',
            kind,
            clusterId: p.cluster_id,
            count: p.point_count,
            lat,
            lng,
          });
        } else {
          const camera = this.cameras[(p as PointProps).i];
          if (camera) items.push({ type: 'camera', kind, camera });
        }
      }
    }
    return items;
  }

  /** The zoom at which a cluster splits, to zoom in on a click. */
  expansionZoom(kind: CameraKind, clusterId: number): number {
    return this.byKind.get(kind)?.getClusterExpansionZoom(clusterId) ?? this.maxClusterZoom + 1;
  }
}
