import { useEffect } from 'react';
import { create } from 'zustand';
import { decideAccess } from '../../shared/policy/decideAccess';
import { useSessionStore } from '../session/sessionStore';
import { useCameraStore, type Camera } from './cameraStore';
import { CameraClusters } from './cameraClusters';

/** Registered cameras are a location only: never viewable. */
export const LOCATION_ONLY = 'Registered camera: location only, no feed.';

export interface ViewableState {
  /** Owners' cameras that cannot be viewed at this minute, with the plain-language reason. */
  readonly blocked: ReadonlyMap<string, string>;
  /** Increases whenever `blocked` changes, so derived indexes know when to rebuild. */
  readonly epoch: number;
  /** When the next camera may change state (a window opens or closes), or null. */
  readonly nextChangeAt: number | null;
  /** The analyst's filter: only cameras that can be viewed now, on the map and in the lists. */
  readonly onlyViewable: boolean;
  setOnlyViewable(only: boolean): void;
}

export const useViewableStore = create<ViewableState>((set) => ({
  blocked: new Map(),
  epoch: 0,
  nextChangeAt: null,
  onlyViewable: false,
  setOnlyViewable: (only) => set({ onlyViewable: only }),
}));

/**
 * Which cameras cannot be viewed at `at`, and when that may next change: decided by the same
 * function as the server's stream grants (shared/policy/decideAccess.ts).
 */
export function blockedCameras(
  cameras: Iterable<Camera>,
  at: number,
  timeZone: string,
): { blocked: Map<string, string>; nextChangeAt: number | null } {
  const blocked = new Map<string, string>();
  let nextChangeAt: number | null = null;
  const changesAt = (t: number | null) => {
    if (t !== null && t > at && (nextChangeAt === null || t < nextChangeAt)) nextChangeAt = t;
  };
  for (const camera of cameras) {
    if (camera.kind !== 'integrated') continue;
    const decision = decideAccess(camera, 'live', at, timeZone);
    if (decision.allowed) changesAt(decision.until);
    else {
      blocked.set(camera.id, decision.reason);
      changesAt(decision.nextOpen);
    }
  }
  return { blocked, nextChangeAt };
}

const sameBlocked = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([id, reason]) => b.get(id) === reason);

/** Recomputes which cameras can be viewed now; returns when to look again. */
export function refreshViewable(at = Date.now()): number | null {
  const timeZone = useSessionStore.getState().agency?.timeZone ?? 'UTC';
  const { blocked, nextChangeAt } = blockedCameras(
    useCameraStore.getState().byId.values(),
    at,
    timeZone,
  );
  const state = useViewableStore.getState();
  if (sameBlocked(state.blocked, blocked)) useViewableStore.setState({ nextChangeAt });
  else useViewableStore.setState({ blocked, nextChangeAt, epoch: state.epoch + 1 });
  return nextChangeAt;
}

/** A window's edge can be up to this far away before the console looks again anyway. */
const MAX_WAIT_MS = 60_000;

/**
 * Keeps `useViewableStore` current: on every change to the cameras or the agency's time zone,
 * and when an owner's window opens or closes. Mounted once by the console.
 */
export function useViewableUpdates(): void {
  const version = useCameraStore((s) => s.version);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const now = Date.now();
      const next = refreshViewable(now);
      const wait = next === null ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, next - now + 50);
      timer = setTimeout(tick, Math.max(1000, wait));
    };
    tick();
    return () => clearTimeout(timer);
  }, [version, timeZone]);
}

/** Whether a camera can be shown now, and if not, why. */
export function viewability(
  camera: Camera,
  blocked: ReadonlyMap<string, string>,
): { readonly viewable: boolean; readonly reason: string | null } {
  if (camera.kind === 'registered') return { viewable: false, reason: LOCATION_ONLY };
  const reason = blocked.get(camera.id);
  return reason === undefined ? { viewable: true, reason: null } : { viewable: false, reason };
}

export const isViewableNow = (camera: Camera): boolean =>
  viewability(camera, useViewableStore.getState().blocked).viewable;

let viewableClusters: {
  readonly version: number;
  readonly epoch: number;
  readonly clusters: CameraClusters<Camera>;
} | null = null;

/** The map's cluster indexes over the cameras that can be viewed now (the filter). */
export function viewableClustersOf(): CameraClusters<Camera> {
  const { version, byId } = useCameraStore.getState();
  const { epoch, blocked } = useViewableStore.getState();
  if (viewableClusters?.version !== version || viewableClusters.epoch !== epoch) {
    const list = [...byId.values()].filter((c) => viewability(c, blocked).viewable);
    viewableClusters = { version, epoch, clusters: new CameraClusters(list) };
  }
  return viewableClusters.clusters;
}
