import { create } from 'zustand';
import type { IncidentCameraView } from '../../shared/api/incidents';
import type { CallError } from '../../shared/api/watchfloorApi';
import type { Incident, IncidentDetail } from '../../shared/domain/incidents';
import { call } from '../app/watchfloor';
import { useTipStore } from '../tips/tipStore';
import { useUiStore } from '../ui/uiStore';

/** A place on the map to show; `n` changes on every request so the map moves again. */
export interface IncidentMapFocus {
  readonly incidentId: string;
  readonly lat: number;
  readonly lon: number;
  readonly n: number;
}

export interface IncidentStore {
  readonly byId: ReadonlyMap<string, Incident>;
  readonly error: string | null;
  /** The incident open in the detail view, its timeline, and the camera views granted for it. */
  readonly selectedId: string | null;
  readonly detail: IncidentDetail | null;
  readonly views: readonly IncidentCameraView[];
  readonly detailError: string | null;
  /** The action in flight on the open incident (one at a time), and the last one's failure. */
  readonly busy: 'note' | 'link' | null;
  readonly actionError: string | null;
  readonly mapFocus: IncidentMapFocus | null;
  load(): Promise<void>;
  /** An incident as an event carries it: newer than what the store holds, or ignored. */
  apply(incident: Incident): void;
  select(id: string | null): Promise<void>;
  reloadDetail(): Promise<void>;
  addNote(text: string): Promise<CallError | null>;
  link(kind: 'tip' | 'case', ref: string): Promise<CallError | null>;
  showOnMap(incident: Incident): void;
  reset(): void;
}

let detailSeq = 0;
let focusN = 0;

const INITIAL = {
  byId: new Map<string, Incident>() as ReadonlyMap<string, Incident>,
  error: null as string | null,
  selectedId: null as string | null,
  detail: null as IncidentDetail | null,
  views: [] as readonly IncidentCameraView[],
  detailError: null as string | null,
  busy: null as 'note' | 'link' | null,
  actionError: null as string | null,
  mapFocus: null as IncidentMapFocus | null,
};

/**
 * The incidents on the board and the map, loaded at sign-in and kept current by the incident
 * events, and the one open in the detail view: its timeline is read again when an event says it
 * grew (narrative, notes, links, status), since events carry the incident and not its timeline.
 */
export const useIncidentStore = create<IncidentStore>()((set, get) => ({
  ...INITIAL,

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
    if (get().selectedId === incident.id) void get().reloadDetail();
  },

  async select(id) {
    const seq = ++detailSeq;
    set({
      selectedId: id,
      detailError: null,
      actionError: null,
      ...(id === null || get().detail?.id !== id ? { detail: null, views: [] } : {}),
    });
    if (id !== null) await fetchDetail(id, seq);
  },

  async reloadDetail() {
    const id = get().selectedId;
    if (id) await fetchDetail(id, ++detailSeq);
  },

  async addNote(text) {
    const id = get().selectedId;
    if (!id) return null;
    set({ busy: 'note', actionError: null });
    const r = await call('incidents.addNote', { id, text });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    const d = get().detail;
    if (d && d.id === id && !d.notes.some((n) => n.id === r.value.id)) {
      set({ detail: { ...d, notes: [...d.notes, r.value] } });
    }
    return null;
  },

  async link(kind, ref) {
    const id = get().selectedId;
    if (!id) return null;
    set({ busy: 'link', actionError: null });
    const r = await call('incidents.link', { id, kind, ref });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    const d = get().detail;
    const known = d?.links.some((l) => l.kind === r.value.kind && l.ref === r.value.ref);
    if (d && d.id === id && !known) set({ detail: { ...d, links: [...d.links, r.value] } });
    return null;
  },

  showOnMap(incident) {
    if (!incident.position) return;
    const { lat, lon } = incident.position;
    set({ mapFocus: { incidentId: incident.id, lat, lon, n: ++focusN } });
  },

  reset() {
    detailSeq++;
    set(INITIAL);
  },
}));

/** A linked tip, opened where tips are read: the Tips panel, with the tip selected. */
export function openLinkedTip(tipId: string): Promise<void> {
  useUiStore.getState().setTab('tips');
  return useTipStore.getState().select(tipId);
}

/** Reads the incident and its camera views; an answer that a newer request overtook is dropped. */
async function fetchDetail(id: string, seq: number): Promise<void> {
  const [detail, views] = await Promise.all([
    call('incidents.get', { id }),
    call('incidents.views', { id }),
  ]);
  if (seq !== detailSeq || useIncidentStore.getState().selectedId !== id) return;
  if (!detail.ok) {
    useIncidentStore.setState({ detailError: detail.error.message });
    return;
  }
  useIncidentStore.setState({
    detail: detail.value,
    detailError: null,
    views: views.ok ? views.value.views : [],
  });
}
