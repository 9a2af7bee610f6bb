import { create } from 'zustand';
import type { SavedLayout, WallLayout } from '../../shared/domain/layouts';
import { call } from '../app/watchfloor';

interface LayoutStore {
  readonly layouts: readonly SavedLayout[];
  readonly error: string | null;
  refresh(): Promise<void>;
  /** Returns an error message, or null when saved. */
  save(name: string, layout: WallLayout): Promise<string | null>;
  remove(name: string): Promise<string | null>;
}

export const useLayoutStore = create<LayoutStore>()((set, get) => ({
  layouts: [],
  error: null,
  async refresh() {
    const r = await call('layouts.list', {});
    if (r.ok) set({ layouts: r.value.layouts, error: null });
    else set({ error: r.error.message });
  },
  async save(name, layout) {
    const r = await call('layouts.save', { name, layout });
    if (!r.ok) return r.error.issues?.[0]?.message ?? r.error.message;
    set({
      layouts: [...get().layouts.filter((l) => l.name !== r.value.name), r.value].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    });
    return null;
  },
  async remove(name) {
    const r = await call('layouts.delete', { name });
    if (!r.ok) return r.error.message;
    set({ layouts: get().layouts.filter((l) => l.name !== name) });
    return null;
  },
}));
