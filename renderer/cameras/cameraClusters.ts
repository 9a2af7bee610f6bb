import Supercluster, { type PointFeature } from 'supercluster';
import { CAMERA_KINDS, type CameraKind } from '../../shared/domain/cameras';
import type { IndexedCamera } from './cameraIndex';

/** A point's properties: its place in the camera array, and one camera of its kind. */
interface PointProps {
  readonly i: number;
  readonly registered: number;
  readonly integrated: number;
  readonly agency: number;
}
type KindCounts = Record<CameraKind, number>;

export type MapItem<C> =
  | {
      readonly type: 'cluster';
      readonly clusterId: number;
      readonly count: number;
      /** How many of each kind the cluster holds: drawn as a breakdown around its count. */
      readonly counts: Readonly<KindCounts>;
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

const kindsKey = (kinds: ReadonlySet<CameraKind>) =>
  CAMERA_KINDS.filter((k) => kinds.has(k)).join(',');

/**
 * Cameras clustered across kinds, so clusters never sit on one another: each cluster counts its
 * cameras of every kind and the map draws that breakdown. One index per set of shown kinds, built
 * when that set is first shown (hiding a layer rebuilds once, then costs nothing). Clusters come
 * apart at street zoom.
 */
export class CameraClusters<C extends IndexedCamera> {
  private readonly byKinds = new Map<string, Supercluster<PointProps, KindCounts>>();

  constructor(
    private readonly cameras: readonly C[],
    /** Past this zoom every camera is drawn on its own. */
    readonly maxClusterZoom = 16,
  ) {}

  private indexFor(kinds: ReadonlySet<CameraKind>): Supercluster<PointProps, KindCounts> {
    const key = kindsKey(kinds);
    let index = this.byKinds.get(key);
    if (index) return index;
    const features: PointFeature<PointProps>[] = [];
    this.cameras.forEach((c, i) => {
      if (!kinds.has(c.kind)) return;
      features.push({
        type: 'Feature',
        properties: {
          i,
          registered: c.kind === 'registered' ? 1 : 0,
          integrated: c.kind === 'integrated' ? 1 : 0,
          agency: c.kind === 'agency' ? 1 : 0,
        },
        geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
      });
    });
    index = new Supercluster<PointProps, KindCounts>({
      radius: 80,
      maxZoom: this.maxClusterZoom,
      minPoints: 3,
      map: (p) => ({ registered: p.registered, integrated: p.integrated, agency: p.agency }),
      reduce: (acc, p) => {
        acc.registered += p.registered;
        acc.integrated += p.integrated;
        acc.agency += p.agency;
      },
    });
    index.load(features);
    this.byKinds.set(key, index);
    return index;
  }

  /** What to draw in a view at a zoom, for the kinds that are shown. */
  itemsIn(box: ViewBox, zoom: number, kinds: ReadonlySet<CameraKind>): MapItem<C>[] {
    if (kinds.size === 0) return [];
    const items: MapItem<C>[] = [];
    const z = Math.max(0, Math.floor(zoom));
    for (const f of this.indexFor(kinds).getClusters(
      [box.west, box.south, box.east, box.north],
      z,
    )) {
      const [lng, lat] = f.geometry.coordinates as [number, number];
      const p = f.properties;
      if ('cluster' in p && p.cluster) {
        items.push({
          type: 'cluster',
          clusterId: p.cluster_id,
          count: p.point_count,
          counts: { registered: p.registered, integrated: p.integrated, agency: p.agency },
          lat,
          lng,
        });
      } else {
        const camera = this.cameras[(p as PointProps).i];
        if (camera) items.push({ type: 'camera', kind: camera.kind, camera });
      }
    }
    return items;
  }

  /** The zoom at which a cluster (of the shown kinds) splits, to zoom in on a click. */
  expansionZoom(kinds: ReadonlySet<CameraKind>, clusterId: number): number {
    try {
      return this.indexFor(kinds).getClusterExpansionZoom(clusterId);
    } catch {
      // A cluster of an index built for other kinds (a layer toggled between draw and click).
      return this.maxClusterZoom + 1;
    }
  }
}
