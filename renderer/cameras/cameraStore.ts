import { create } from 'zustand';
import { CAMERA_KINDS, type CameraKind } from '../../shared/domain/cameras';
import type { CameraListItem } from '../../shared/api/cameras';
import { call } from '../app/watchfloor';
import { CameraIndex } from './cameraIndex';
import { CameraClusters } from './cameraClusters';

export type Camera = CameraListItem;

export type CameraCounts = Readonly<Record<CameraKind, number>>;

export interface CameraStoreState {
  readonly byId: ReadonlyMap<string, Camera>;
  /** Increases on every change, so derived indexes know when to rebuild. */
  readonly version: number;
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: string | null;
  /** How many active cameras of each kind (the layer counts). */
  readonly counts: CameraCounts;
  /** Which layers the map shows. */
  readonly layers: Readonly<Record<CameraKind, boolean>>;
}

export interface CameraStoreActions {
  load(): Promise<void>;
  setLayer(kind: CameraKind, shown: boolean): void;
  /** Replace or add cameras (active ones stay, retired ones leave). */
  upsert(cameras: readonly Camera[]): void;
  remove(ids: readonly string[]): void;
}

const EMPTY_COUNTS: CameraCounts = { registered: 0, integrated: 0, agency: 0 };

export function countByKind(cameras: Iterable<Camera>): CameraCounts {
  const counts = { ...EMPTY_COUNTS };
  for (const c of cameras) counts[c.kind] += 1;
  return counts;
}

/** Apply an upsert to a camera map: retired cameras leave the map, as the server lists only active ones. */
export function withUpserts(
  byId: ReadonlyMap<string, Camera>,
  cameras: readonly Camera[],
): ReadonlyMap<string, Camera> {
  const next = new Map(byId);
  for (const c of cameras) {
    if (c.status === 'active') next.set(c.id, c);
    else next.delete(c.id);
  }
  return next;
}

/** A page of this many cameras per call keeps each reply a few megabytes. */
const PAGE = 10_000;
/** Bounds the paging loop whatever the server answers. */
const MAX_PAGES = 20;

export const useCameraStore = create<CameraStoreState & CameraStoreActions>()((set, get) => ({
  byId: new Map(),
  version: 0,
  status: 'idle',
  error: null,
  counts: EMPTY_COUNTS,
  layers: { registered: true, integrated: true, agency: true },

  async load() {
    set({ status: 'loading', error: null });
    const all: Camera[] = [];
    let cursor: string | undefined;
    let published = 0;
    const publish = (status: CameraStoreState['status']) => {
      const byId = new Map(all.map((c) => [c.id, c]));
      published = all.length;
      set({ byId, counts: countByKind(byId.values()), status, version: get().version + 1 });
    };
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await call('cameras.list', {
        status: 'active',
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      if (!r.ok) {
        set({ status: 'error', error: r.error.message });
        return;
      }
      all.push(...r.value.items);
      if (!r.value.nextCursor) break;
      cursor = r.value.nextCursor;
      // The map fills in while a large registry loads; each showing costs an index rebuild,
      // so it shows again only when the count has doubled.
      if (all.length >= 2 * Math.max(published, PAGE / 2)) publish('loading');
    }
    publish('ready');
  },

  setLayer(kind, shown) {
    set({ layers: { ...get().layers, [kind]: shown } });
  },

  upsert(cameras) {
    const byId = withUpserts(get().byId, cameras);
    set({ byId, counts: countByKind(byId.values()), version: get().version + 1 });
  },

  remove(ids) {
    const byId = new Map(get().byId);
    for (const id of ids) byId.delete(id);
    set({ byId, counts: countByKind(byId.values()), version: get().version + 1 });
  },
}));

export const shownKinds = (layers: CameraStoreState['layers']): ReadonlySet<CameraKind> =>
  new Set(CAMERA_KINDS.filter((k) => layers[k]));

interface Derived {
  readonly version: number;
  readonly list: readonly Camera[];
  readonly index: CameraIndex<Camera>;
  clusters: CameraClusters<Camera> | null;
}
let derived: Derived | null = null;

function derive(state: CameraStoreState): Derived {
  if (!derived || derived.version !== state.version) {
    const list = [...state.byId.values()];
    derived = { version: state.version, list, index: new CameraIndex(list), clusters: null };
  }
  return derived;
}

/** The radius index for the current camera set; rebuilt only when the set changed. */
export function cameraIndexOf(state: CameraStoreState): CameraIndex<Camera> {
  return derive(state).index;
}

/** The map's cluster indexes; built on first use after a change. */
export function cameraClustersOf(state: CameraStoreState): CameraClusters<Camera> {
  const d = derive(state);
  d.clusters ??= new CameraClusters(d.list);
  return d.clusters;
}
