import { create } from 'zustand';
import type { EventPayload } from '../../shared/api/eventCatalog';
import type { TipMediaGrantSchema } from '../../shared/api/tips';
import type { CallError } from '../../shared/api/watchfloorApi';
import type { Tip, TipState } from '../../shared/domain/tips';
import { systemClock, type Clock } from '../../shared/time/clock';
import type { z } from 'zod';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import {
  DEFAULT_TIP_FILTERS,
  listArgs,
  mergePage,
  tipMatches,
  upsertTip,
  type TipFilters,
} from './tipFilters';
import { TIP_EVENT_REDUCERS, type TipData, type TipDetail, type TipEffects } from './tipEvents';

export type TipMediaGrant = z.infer<typeof TipMediaGrantSchema> & { readonly tipId: string };

/** A place to show on the map; `n` changes on every request so the map moves again. */
export interface TipMapFocus {
  readonly tipId: string;
  readonly lat: number;
  readonly lon: number;
  readonly n: number;
}

type TipEventType = keyof typeof TIP_EVENT_REDUCERS;

export interface TipStore extends TipData {
  readonly filters: TipFilters;
  /** Paging: pass as `before` for the next page; null when the list is complete. */
  readonly next: string | null;
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly error: string | null;
  readonly loadingMore: boolean;
  readonly selectedId: string | null;
  readonly detailError: string | null;
  /** The action in flight on the open tip (one at a time), and the last one's failure. */
  readonly busy: string | null;
  readonly actionError: string | null;
  /** The open grant to the selected tip's media, once the analyst opened it with a reason. */
  readonly media: TipMediaGrant | null;
  readonly mediaError: string | null;
  readonly mapFocus: TipMapFocus | null;
  /** Bumped to focus the text search (the panel's key, T). */
  readonly searchRequest: number;

  focusSearch(): void;
  load(): Promise<void>;
  setFilters(patch: Partial<TipFilters>): Promise<void>;
  loadMore(): Promise<void>;
  select(id: string | null): Promise<void>;
  reloadDetail(): Promise<void>;
  refetch(ids: readonly string[]): Promise<void>;
  setState(id: string, state: TipState, duplicateOf?: string): Promise<boolean>;
  assign(id: string, userId: string | null): Promise<boolean>;
  link(
    id: string,
    links: { incidentNumber?: string | null; caseNumber?: string | null },
  ): Promise<CallError | null>;
  reply(id: string, body: string): Promise<CallError | null>;
  grantMedia(grant: TipMediaGrant | null, error?: string | null): void;
  showOnMap(tip: Tip): void;
  applyEvent<T extends TipEventType>(type: T, payload: EventPayload<T>): void;
  reset(): void;
}

/** The store reads time through this, so tests can hold it still. */
export const tipClock: { current: Clock } = { current: systemClock };

const me = (): string | null => {
  const s = useSessionStore.getState().session;
  return s && s.status !== 'signed_out' ? s.user.id : null;
};

let listSeq = 0;
let detailSeq = 0;
let focusN = 0;

const INITIAL = {
  tips: [] as readonly Tip[],
  detail: null as TipDetail | null,
  filters: DEFAULT_TIP_FILTERS,
  next: null as string | null,
  status: 'idle' as const,
  error: null as string | null,
  loadingMore: false,
  selectedId: null as string | null,
  detailError: null as string | null,
  busy: null as string | null,
  actionError: null as string | null,
  media: null as TipMediaGrant | null,
  mediaError: null as string | null,
  mapFocus: null as TipMapFocus | null,
  searchRequest: 0,
};

/**
 * The Tips panel's state: the list as filtered (newest first, paged), the open tip with its
 * conversation, and the triage actions. Server events arrive through `applyEvent`, one pure
 * reducer per type (tipEvents.ts).
 */
export const useTipStore = create<TipStore>()((set, get) => {
  /** A tip the server sent back after a change: it replaces the copies shown. */
  const replaceTip = (tip: Tip) => {
    const s = get();
    const keep =
      tipMatches(tip, s.filters, me(), tipClock.current.now()) || s.selectedId === tip.id;
    const tips = keep ? upsertTip(s.tips, tip) : s.tips.filter((t) => t.id !== tip.id);
    const d = s.detail;
    const detail = d
      ? {
          ...d,
          tip: d.tip.id === tip.id ? tip : d.tip,
          entries: d.entries.map((e) =>
            e.kind === 'tip' && e.tip.id === tip.id ? { ...e, tip } : e,
          ),
        }
      : null;
    set({ tips, detail });
  };

  const act = async <T>(
    label: string,
    run: () => Promise<{ ok: true; value: T } | { ok: false; error: CallError }>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: CallError }> => {
    set({ busy: label, actionError: null });
    const r = await run();
    set({ busy: null, actionError: r.ok ? null : r.error.message });
    return r;
  };

  const runEffects = (effects: TipEffects) => {
    if (effects.refetch.length > 0) void get().refetch(effects.refetch);
    if (effects.reloadDetail) void get().reloadDetail();
  };

  return {
    ...INITIAL,

    focusSearch() {
      set({ searchRequest: get().searchRequest + 1 });
    },

    async load() {
      const seq = ++listSeq;
      set({ status: 'loading', error: null });
      const r = await call('tips.list', listArgs(get().filters, tipClock.current.now()));
      if (seq !== listSeq) return;
      if (r.ok) set({ tips: r.value.tips, next: r.value.next, status: 'ready' });
      else set({ status: 'failed', error: r.error.message });
    },

    async setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
      await get().load();
    },

    async loadMore() {
      const { next, loadingMore } = get();
      if (!next || loadingMore) return;
      const seq = listSeq;
      set({ loadingMore: true });
      const r = await call('tips.list', listArgs(get().filters, tipClock.current.now(), next));
      // A new search started meanwhile: this page belongs to the old one.
      if (seq !== listSeq) return set({ loadingMore: false });
      if (r.ok)
        set({ tips: mergePage(get().tips, r.value.tips), next: r.value.next, loadingMore: false });
      else set({ loadingMore: false, error: r.error.message });
    },

    async select(id) {
      const seq = ++detailSeq;
      const sameTip = get().media?.tipId === id;
      set({
        selectedId: id,
        detailError: null,
        actionError: null,
        ...(sameTip ? {} : { media: null, mediaError: null }),
        ...(id === null || get().detail?.tip.id !== id ? { detail: null } : {}),
      });
      if (id === null) return;
      const r = await call('tips.get', { id });
      if (seq !== detailSeq) return;
      if (r.ok) set({ detail: r.value });
      else set({ detailError: r.error.message });
    },

    async reloadDetail() {
      const id = get().selectedId;
      if (!id) return;
      const seq = ++detailSeq;
      const r = await call('tips.get', { id });
      if (seq === detailSeq && r.ok && get().selectedId === id) set({ detail: r.value });
    },

    async refetch(ids) {
      for (const id of new Set(ids)) {
        const r = await call('tips.get', { id });
        if (!r.ok) continue;
        replaceTip(r.value.tip);
        const d = get().detail;
        if (d && d.tip.id === id) set({ detail: r.value });
      }
    },

    async setState(id, state, duplicateOf) {
      const r = await act('state', () =>
        call('tips.setState', { id, state, ...(duplicateOf ? { duplicateOf } : {}) }),
      );
      if (r.ok) replaceTip(r.value);
      return r.ok;
    },

    async assign(id, userId) {
      const r = await act('assign', () => call('tips.assign', { id, userId }));
      if (r.ok) replaceTip(r.value);
      return r.ok;
    },

    async link(id, links) {
      const r = await act('link', () => call('tips.link', { id, ...links }));
      if (!r.ok) return r.error;
      replaceTip(r.value);
      return null;
    },

    async reply(id, body) {
      const r = await act('reply', () => call('tips.reply', { id, body }));
      if (!r.ok) return r.error;
      const d = get().detail;
      const reply = r.value;
      if (d && d.thread.id === reply.threadId) {
        const known = d.entries.some((e) => e.kind === 'reply' && e.reply.id === reply.id);
        if (!known) set({ detail: { ...d, entries: [...d.entries, { kind: 'reply', reply }] } });
      }
      return null;
    },

    grantMedia(grant, error = null) {
      set({ media: grant, mediaError: error });
    },

    showOnMap(tip) {
      if (!tip.sharedLocation) return;
      const { lat, lon } = tip.sharedLocation;
      set({ mapFocus: { tipId: tip.id, lat, lon, n: ++focusN } });
    },

    applyEvent(type, payload) {
      const reduce = TIP_EVENT_REDUCERS[type] as (
        d: TipData,
        p: EventPayload<typeof type>,
      ) => ReturnType<(typeof TIP_EVENT_REDUCERS)[TipEventType]>;
      const { tips, detail } = get();
      const { data, effects } = reduce({ tips, detail }, payload);
      if (data.tips !== tips || data.detail !== detail)
        set({ tips: data.tips, detail: data.detail });
      runEffects(effects);
    },

    reset() {
      listSeq++;
      detailSeq++;
      set(INITIAL);
    },
  };
});
