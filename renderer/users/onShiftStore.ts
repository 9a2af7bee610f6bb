import { create } from 'zustand';
import type { OnShiftUser } from '../../shared/api/users';
import { call } from '../app/watchfloor';

interface OnShiftStore {
  readonly users: readonly OnShiftUser[];
  readonly loadedAt: number | null;
  readonly error: string | null;
  load(): Promise<void>;
}

/** Who is signed in now: read when the panel opens and on demand. */
export const useOnShiftStore = create<OnShiftStore>()((set) => ({
  users: [],
  loadedAt: null,
  error: null,
  async load() {
    const r = await call('users.onShift', {});
    if (r.ok) set({ users: r.value.users, loadedAt: Date.now(), error: null });
    else set({ error: r.error.message });
  },
}));
