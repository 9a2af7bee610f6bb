import { create } from 'zustand';
import type { Incident } from '../../shared/domain/incidents';
import { call } from '../app/watchfloor';

interface IncidentStore {
  readonly byId: ReadonlyMap<string, Incident>;
  readonly error: string | null;
  load(): Promise<void>;
  /** An incident as an event carries it: newer than what the store holds, or ignored. */
  apply(incident: Incident): void;
}

/** The incidents on the board: loaded at sign-in, kept current by the incident events. */
export const useIncidentStore = create<IncidentStore>()((set, get) => ({
  byId: new Map(),
  error: null,
  async load() {
    const r = await call('incidents.list', {});
    if (r.ok) set({ byId: new Map(r.value.incidents.map((i) => [i.id, i])), error: null });
    else set({ error: r.error.message });
  },
  apply(incident) {
    const held = get().byId.get(incident.id);
    // Events arrive in commit order, but a load may have answered with a newer state meanwhile.
    if (held && held.updatedAt > incident.updatedAt) return;
    const byId = new Map(get().byId);
    byId.set(incident.id, incident);
    set({ byId });
  },
}));
