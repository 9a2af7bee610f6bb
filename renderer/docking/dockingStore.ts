import { create } from 'zustand';
import type { ViewRefusal } from '../../shared/api/views';
import type { NearestCameras } from '../../shared/domain/docking';

/** The last dock on this wall: what went up, what did not and why, and owners to contact. */
export interface LastDock {
  readonly nearest: NearestCameras;
  readonly refused: readonly ViewRefusal[];
  /** The automation rule that docked it, or null when the analyst asked. */
  readonly rule: string | null;
  readonly at: number;
}

interface DockingStore {
  readonly last: LastDock | null;
  /** Targets being docked right now (kind:id), so that one request runs at a time for each. */
  readonly busy: ReadonlySet<string>;
  /** Targets docked automatically on this page: a rule docks a record once. */
  readonly autoDocked: ReadonlySet<string>;
  setLast(last: LastDock): void;
  setBusy(key: string, busy: boolean): void;
  markAutoDocked(key: string): void;
}

export const useDockingStore = create<DockingStore>()((set, get) => ({
  last: null,
  busy: new Set(),
  autoDocked: new Set(),
  setLast: (last) => set({ last }),
  setBusy: (key, busy) => {
    const next = new Set(get().busy);
    if (busy) next.add(key);
    else next.delete(key);
    set({ busy: next });
  },
  markAutoDocked: (key) => set({ autoDocked: new Set(get().autoDocked).add(key) }),
}));
