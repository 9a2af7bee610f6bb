import { create } from 'zustand';
import type { CaseDetail, CasePatch, Workload } from '../../shared/api/cases';
import type { CallArgs, CallError } from '../../shared/api/watchfloorApi';
import type { Case, CaseLinkKind, CaseStatus } from '../../shared/domain/cases';
import { call } from '../app/watchfloor';
import { useUiStore } from '../ui/uiStore';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { caseMatches, defaultScope, sortCases, type CaseFilter } from './caseList';
import type { Reassignment } from './workloadKeys';

export type CaseView = 'list' | 'workload' | 'new';
type Busy = 'note' | 'link' | 'status' | 'update' | 'assign' | 'create' | 'move' | null;

export interface CaseStore {
  /** The cases the filter lists, in the server's order. */
  readonly cases: readonly Case[];
  readonly filter: CaseFilter;
  readonly error: string | null;
  readonly view: CaseView;
  /** The case open in the detail view, with its sections. */
  readonly selected: string | null;
  readonly detail: CaseDetail | null;
  readonly detailError: string | null;
  /** The lieutenants' workload view (also the list of people a case can be assigned to). */
  readonly workload: Workload | null;
  readonly workloadError: string | null;
  /** The action in flight (one at a time), and the last one's failure. */
  readonly busy: Busy;
  readonly actionError: string | null;
  load(): Promise<void>;
  setFilter(change: Partial<CaseFilter>): Promise<void>;
  setView(view: CaseView): void;
  /** A case as an event carries it: newer than what the store holds, or ignored. */
  apply(c: Case): void;
  select(number: string | null): Promise<void>;
  reloadDetail(): Promise<void>;
  loadWorkload(): Promise<void>;
  create(input: CallArgs<'cases.create'>): Promise<CallError | null>;
  update(patch: CasePatch): Promise<CallError | null>;
  setStatus(status: CaseStatus): Promise<CallError | null>;
  assign(analystIds: readonly string[]): Promise<CallError | null>;
  addNote(text: string): Promise<CallError | null>;
  link(kind: CaseLinkKind, ref: string): Promise<CallError | null>;
  /** The workload view's drag or keyboard move. */
  move(m: Reassignment): Promise<CallError | null>;
  reset(): void;
}

const userId = () => {
  const s = useSessionStore.getState().session;
  return s && s.status !== 'signed_out' ? s.user.id : null;
};

let listSeq = 0;
let detailSeq = 0;

const INITIAL = {
  cases: [] as readonly Case[],
  filter: { scope: 'mine', status: 'current' } as CaseFilter,
  error: null as string | null,
  view: 'list' as CaseView,
  selected: null as string | null,
  detail: null as CaseDetail | null,
  detailError: null as string | null,
  workload: null as Workload | null,
  workloadError: null as string | null,
  busy: null as Busy,
  actionError: null as string | null,
};

/**
 * The Cases panel's state: the list the filter asks for (loaded at sign-in, kept current by the
 * case events), the open case and its sections (read again when an event says it changed, since
 * events carry the case and not its timeline), and the lieutenants' workload view.
 */
export const useCaseStore = create<CaseStore>()((set, get) => {
  /** Runs one action on the open case; its failure is shown and answered. */
  async function act<T>(
    busy: Busy,
    run: () => Promise<{ ok: true; value: T } | { ok: false; error: CallError }>,
    done?: (value: T) => void,
  ): Promise<CallError | null> {
    set({ busy, actionError: null });
    const r = await run();
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    if (!r.ok) return r.error;
    done?.(r.value);
    return null;
  }

  return {
    ...INITIAL,

    async load() {
      const seq = ++listSeq;
      const r = await call('cases.list', { ...get().filter });
      if (seq !== listSeq) return;
      if (r.ok) set({ cases: r.value.cases, error: null });
      else set({ error: r.error.message });
    },

    async setFilter(change) {
      set({ filter: { ...get().filter, ...change } });
      await get().load();
    },

    setView(view) {
      set({ view, actionError: null });
      if (view !== 'list' && get().workload === null) void get().loadWorkload();
    },

    apply(c) {
      const held = get().cases.find((x) => x.id === c.id);
      // Events arrive in commit order, but a load may have answered with a newer state meanwhile.
      if (held && held.updatedAt > c.updatedAt) return;
      const others = get().cases.filter((x) => x.id !== c.id);
      const listed = caseMatches(c, get().filter, userId()) ? [...others, c] : others;
      set({ cases: sortCases(listed, userId()) });
      if (get().selected === c.number) void get().reloadDetail();
      if (get().workload !== null) void get().loadWorkload();
    },

    async select(number) {
      const seq = ++detailSeq;
      set({
        selected: number,
        detailError: null,
        actionError: null,
        ...(number === null || get().detail?.number !== number ? { detail: null } : {}),
      });
      if (number !== null) await fetchDetail(number, seq);
    },

    async reloadDetail() {
      const number = get().selected;
      if (number) await fetchDetail(number, ++detailSeq);
    },

    async loadWorkload() {
      const r = await call('cases.workload', {});
      if (r.ok) set({ workload: r.value, workloadError: null });
      else set({ workloadError: r.error.message });
    },

    create(input) {
      return act(
        'create',
        () => call('cases.create', input),
        (c) => {
          get().apply(c);
          set({ view: 'list' });
          void get().select(c.number);
        },
      );
    },

    update(patch) {
      const number = get().selected;
      if (!number) return Promise.resolve(null);
      return act('update', () => call('cases.update', { number, patch }), get().apply);
    },

    setStatus(status) {
      const number = get().selected;
      if (!number) return Promise.resolve(null);
      return act('status', () => call('cases.setStatus', { number, status }), get().apply);
    },

    assign(analystIds) {
      const number = get().selected;
      if (!number) return Promise.resolve(null);
      return act(
        'assign',
        () => call('cases.assign', { number, analystIds: [...analystIds] }),
        get().apply,
      );
    },

    addNote(text) {
      const number = get().selected;
      if (!number) return Promise.resolve(null);
      return act(
        'note',
        () => call('cases.addNote', { number, text }),
        (note) => {
          const d = get().detail;
          if (d && d.number === number && !d.notes.some((n) => n.id === note.id)) {
            set({ detail: { ...d, notes: [...d.notes, note] } });
          }
        },
      );
    },

    link(kind, ref) {
      const number = get().selected;
      if (!number) return Promise.resolve(null);
      return act(
        'link',
        () => call('cases.link', { number, kind, ref }),
        (link) => {
          const d = get().detail;
          const known = d?.links.some((l) => l.kind === link.kind && l.ref === link.ref);
          if (d && d.number === number && !known)
            set({ detail: { ...d, links: [...d.links, link] } });
        },
      );
    },

    move(m) {
      const run =
        m.from === null
          ? () => call('cases.assign', { number: m.number, analystIds: [m.to] })
          : () => call('cases.reassign', { number: m.number, from: m.from!, to: m.to });
      return act('move', run, (c) => {
        get().apply(c);
        void get().loadWorkload();
      });
    },

    reset() {
      listSeq++;
      detailSeq++;
      const scope = defaultScope(permissionsOf(useSessionStore.getState()));
      set({ ...INITIAL, filter: { ...INITIAL.filter, scope } });
    },
  };
});

/** Reads the case with its sections; an answer that a newer request overtook is dropped. */
async function fetchDetail(number: string, seq: number): Promise<void> {
  const r = await call('cases.get', { number });
  if (seq !== detailSeq || useCaseStore.getState().selected !== number) return;
  if (!r.ok) useCaseStore.setState({ detailError: r.error.message });
  else useCaseStore.setState({ detail: r.value, detailError: null });
}

/** A case opened from elsewhere (an incident's link): the Cases panel, with the case open. */
export function openCase(number: string): Promise<void> {
  useUiStore.getState().setTab('cases');
  useCaseStore.getState().setView('list');
  return useCaseStore.getState().select(number);
}
