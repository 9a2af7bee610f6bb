import { create } from 'zustand';
import type { SavedLayout, WallLayout } from '../../shared/domain/layouts';
import { call } from '../app/watchfloor';

interface LayoutStore {
  /** The user's own layouts, by name. */
  readonly layouts: readonly SavedLayout[];
  /** The center's layouts, set by a supervisor, offered to everyone. */
  readonly center: readonly SavedLayout[];
  readonly error: string | null;
  refresh(): Promise<void>;
  /** Returns an error message, or null when saved. */
  save(name: string, layout: WallLayout, forCenter?: boolean): Promise<string | null>;
  remove(name: string, forCenter?: boolean): Promise<string | null>;
}

const byName = (list: readonly SavedLayout[]) =>
  [...list].sort((a, b) => a.name.localeCompare(b.name));

export const useLayoutStore = create<LayoutStore>()((set, get) => ({
  layouts: [],
  center: [],
  error: null,
  async refresh() {
    const [own, center] = await Promise.all([
      call('layouts.list', {}),
      call('layouts.centerList', {}),
    ]);
    if (own.ok && center.ok)
      set({ layouts: own.value.layouts, center: center.value.layouts, error: null });
    else set({ error: (!own.ok ? own : !center.ok ? center : null)?.error.message ?? null });
  },
  async save(name, layout, forCenter = false) {
    const r = await call(forCenter ? 'layouts.centerSave' : 'layouts.save', { name, layout });
    if (!r.ok) return r.error.issues?.[0]?.message ?? r.error.message;
    const key = forCenter ? 'center' : 'layouts';
    set({ [key]: byName([...get()[key].filter((l) => l.name !== r.value.name), r.value]) });
    return null;
  },
  async remove(name, forCenter = false) {
    const r = await call(forCenter ? 'layouts.centerDelete' : 'layouts.delete', { name });
    if (!r.ok) return r.error.message;
    const key = forCenter ? 'center' : 'layouts';
    set({ [key]: get()[key].filter((l) => l.name !== name) });
    return null;
  },
}));

/** The layouts in menu order, the center's first: the first nine have hotkeys (Alt+1 … Alt+9). */
export function layoutsInOrder(state: {
  readonly layouts: readonly SavedLayout[];
  readonly center: readonly SavedLayout[];
}): { readonly layout: SavedLayout; readonly center: boolean }[] {
  return [
    ...state.center.map((layout) => ({ layout, center: true })),
    ...state.layouts.map((layout) => ({ layout, center: false })),
  ];
}
