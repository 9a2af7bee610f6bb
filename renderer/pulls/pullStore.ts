import { create } from 'zustand';
import type { NewPull } from '../../shared/api/pulls';
import type { CallError } from '../../shared/api/watchfloorApi';
import type { OwnerContact } from '../../shared/domain/cameras';
import type {
  CandidateOutcome,
  Pull,
  PullCandidate,
  PullDetail,
  PullPosition,
} from '../../shared/domain/pulls';
import type { Permission } from '../../shared/domain/roles';
import { call } from '../app/watchfloor';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { notify } from '../ui/noticeStore';

/** A place on the map to show; `n` changes on every request so the map moves again. */
export interface PullMapFocus {
  readonly lat: number;
  readonly lon: number;
  readonly n: number;
}

/** A registry owner's contact, shown for the candidate it was revealed for until closed. */
export interface RevealedOwner {
  readonly cameraId: string;
  readonly owner: OwnerContact;
}

export type PullAction =
  'create' | 'outcome' | 'fulfil' | 'close' | 'reveal' | 'update' | 'fetch' | 'export';

export interface PullStore {
  readonly byId: ReadonlyMap<string, Pull>;
  readonly error: string | null;
  readonly selectedId: string | null;
  readonly detail: PullDetail | null;
  readonly detailError: string | null;
  /** The candidate the keyboard acts on, by camera id. */
  readonly cursor: string | null;
  readonly busy: PullAction | null;
  readonly actionError: string | null;
  /** The "log radio pull" form is open. */
  readonly logging: boolean;
  /** Waiting for a click on the map for the form's location. */
  readonly picking: boolean;
  /** The location picked on the map for the form. */
  readonly picked: PullPosition | null;
  readonly revealed: RevealedOwner | null;
  readonly mapFocus: PullMapFocus | null;
  load(): Promise<void>;
  apply(pull: Pull): void;
  applyCandidate(change: { readonly pull: Pull; readonly candidate: PullCandidate }): void;
  select(id: string | null): Promise<void>;
  moveCursor(step: 1 | -1): void;
  setCursor(cameraId: string | null): void;
  startLogging(): void;
  stopLogging(): void;
  startPicking(): void;
  pick(position: PullPosition): void;
  create(pull: NewPull): Promise<CallError | null>;
  setOutcome(cameraId: string, outcome: CandidateOutcome): Promise<CallError | null>;
  fulfil(note?: string): Promise<CallError | null>;
  close(note: string): Promise<CallError | null>;
  setRadius(radiusM: number): Promise<CallError | null>;
  revealOwner(cameraId: string): Promise<CallError | null>;
  /**
   * Fetches a candidate's recordings for the pull's window through the server (the owner's policy
   * for recordings decides); kept with the pull's case, and the candidate marked footage obtained.
   */
  fetchFootage(cameraId: string): Promise<CallError | null>;
  /** Exports the pull's footage as a signed evidence package. */
  exportEvidence(): Promise<CallError | null>;
  hideOwner(): void;
  showOnMap(at: PullPosition): void;
  reset(): void;
}

let detailSeq = 0;
let focusN = 0;

const INITIAL = {
  byId: new Map<string, Pull>() as ReadonlyMap<string, Pull>,
  error: null as string | null,
  selectedId: null as string | null,
  detail: null as PullDetail | null,
  detailError: null as string | null,
  cursor: null as string | null,
  busy: null as PullAction | null,
  actionError: null as string | null,
  logging: false,
  picking: false,
  picked: null as PullPosition | null,
  revealed: null as RevealedOwner | null,
  mapFocus: null as PullMapFocus | null,
};

const held = (): readonly Permission[] => permissionsOf(useSessionStore.getState());

/** Whether the signed-in user works pulls (else they read them, or only their own). */
export const canWorkPulls = () => held().includes('pulls.work');
export const canExportEvidence = () => held().includes('evidence.export');
/** Officers read only the pulls they asked for, through their own calls. */
const readsAll = () => held().includes('pulls.read');

function withPull(detail: PullDetail | null, pull: Pull): PullDetail | null {
  return detail && detail.pull.id === pull.id ? { ...detail, pull } : detail;
}

/**
 * The camera pulls: the list, loaded at sign-in and kept current by the pull events; the one
 * open in the detail view with its candidates; and the "log radio pull" form's map pick.
 */
export const usePullStore = create<PullStore>()((set, get) => ({
  ...INITIAL,

  async load() {
    const r = readsAll() ? await call('pulls.list', {}) : await call('pulls.mine', {});
    if (r.ok) set({ byId: new Map(r.value.pulls.map((p) => [p.id, p])), error: null });
    else set({ error: r.error.message });
  },

  apply(pull) {
    const kept = get().byId.get(pull.id);
    if (kept && kept.updatedAt > pull.updatedAt) return;
    const byId = new Map(get().byId);
    byId.set(pull.id, pull);
    set({ byId, detail: withPull(get().detail, pull) });
    // A moved location or window selected the candidates again: read them.
    if (get().selectedId === pull.id && kept && kept.updatedAt !== pull.updatedAt) {
      void fetchDetail(pull.id, ++detailSeq);
    }
  },

  applyCandidate({ pull, candidate }) {
    const byId = new Map(get().byId);
    byId.set(pull.id, pull);
    const d = get().detail;
    if (!d || d.pull.id !== pull.id) return set({ byId });
    const candidates = d.candidates.map((c) => (c.cameraId === candidate.cameraId ? candidate : c));
    set({ byId, detail: { pull, candidates } });
  },

  async select(id) {
    const seq = ++detailSeq;
    set({
      selectedId: id,
      detailError: null,
      actionError: null,
      revealed: null,
      ...(id === null || get().detail?.pull.id !== id ? { detail: null, cursor: null } : {}),
    });
    if (id !== null) await fetchDetail(id, seq);
  },

  moveCursor(step) {
    const list = get().detail?.candidates ?? [];
    if (list.length === 0) return;
    const at = list.findIndex((c) => c.cameraId === get().cursor);
    const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + step));
    set({ cursor: list[next]!.cameraId });
  },

  setCursor(cursor) {
    set({ cursor });
  },

  startLogging: () => set({ logging: true, picked: null, actionError: null }),
  stopLogging: () => set({ logging: false, picking: false, picked: null }),
  startPicking: () => set({ picking: true }),
  pick: (picked) => set({ picked, picking: false }),

  async create(pull) {
    set({ busy: 'create', actionError: null });
    const r = await call('pulls.create', { pull });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    get().apply(r.value.pull);
    detailSeq++;
    set({
      logging: false,
      picked: null,
      selectedId: r.value.pull.id,
      detail: r.value,
      cursor: r.value.candidates[0]?.cameraId ?? null,
    });
    return null;
  },

  async setOutcome(cameraId, outcome) {
    const id = get().selectedId;
    if (!id) return null;
    set({ busy: 'outcome', actionError: null });
    const r = await call('pulls.setOutcome', { id, cameraId, outcome });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    const d = get().detail;
    if (d && d.pull.id === id) {
      const candidates = d.candidates.map((c) => (c.cameraId === cameraId ? r.value : c));
      set({ detail: { ...d, candidates } });
    }
    return null;
  },

  async fulfil(note) {
    return finish('fulfil', (id) => call('pulls.fulfil', { id, ...(note ? { note } : {}) }));
  },

  async close(note) {
    return finish('close', (id) => call('pulls.close', { id, note }));
  },

  async setRadius(radiusM) {
    const id = get().selectedId;
    if (!id) return null;
    set({ busy: 'update', actionError: null });
    const r = await call('pulls.update', { id, patch: { radiusM } });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    get().apply(r.value.pull);
    if (get().selectedId === id) set({ detail: r.value });
    return null;
  },

  async revealOwner(cameraId) {
    const id = get().selectedId;
    if (!id) return null;
    set({ busy: 'reveal', actionError: null, revealed: null });
    const r = await call('pulls.ownerContact', { id, cameraId });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    if (get().selectedId === id) set({ revealed: { cameraId, owner: r.value.owner } });
    return null;
  },

  async fetchFootage(cameraId) {
    const pull = get().detail?.pull;
    if (!pull?.caseNumber) return null;
    set({ busy: 'fetch', actionError: null });
    const r = await call('evidence.fetchRecording', {
      caseNumber: pull.caseNumber,
      pullId: pull.id,
      cameraId,
      start: pull.windowStart,
      end: pull.windowEnd,
      reason: 'camera_pull',
    });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    notify(
      'info',
      `Footage of ${r.value.cameraName} kept with case ${r.value.caseNumber} (SHA-256 ${r.value.sha256.slice(0, 12)}…).`,
    );
    return null;
  },

  async exportEvidence() {
    const pull = get().detail?.pull;
    if (!pull?.caseNumber) return null;
    set({ busy: 'export', actionError: null });
    const r = await call('evidence.export', { caseNumber: pull.caseNumber, pullId: pull.id });
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    notify('info', `Signed package of ${pull.number}: ${r.value.dir} (${r.value.files} files).`);
    return null;
  },

  hideOwner: () => set({ revealed: null }),

  showOnMap(at) {
    set({ mapFocus: { lat: at.lat, lon: at.lon, n: ++focusN } });
  },

  reset() {
    detailSeq++;
    set(INITIAL);
  },
}));

async function finish(
  action: 'fulfil' | 'close',
  send: (id: string) => Promise<{ ok: true; value: Pull } | { ok: false; error: CallError }>,
): Promise<CallError | null> {
  const { selectedId: id } = usePullStore.getState();
  if (!id) return null;
  usePullStore.setState({ busy: action, actionError: null });
  const r = await send(id);
  usePullStore.setState({ busy: null, actionError: r.ok ? null : r.error.message });
  if (!r.ok) return r.error;
  usePullStore.getState().apply(r.value);
  return null;
}

/** Reads the pull and its candidates; an answer that a newer request overtook is dropped. */
async function fetchDetail(id: string, seq: number): Promise<void> {
  const r = readsAll() ? await call('pulls.get', { id }) : await call('pulls.getMine', { id });
  if (seq !== detailSeq || usePullStore.getState().selectedId !== id) return;
  if (!r.ok) {
    usePullStore.setState({ detailError: r.error.message });
    return;
  }
  const cursor = usePullStore.getState().cursor;
  const keep = r.value.candidates.some((c) => c.cameraId === cursor);
  usePullStore.setState({
    detail: r.value,
    detailError: null,
    cursor: keep ? cursor : (r.value.candidates[0]?.cameraId ?? null),
  });
}
