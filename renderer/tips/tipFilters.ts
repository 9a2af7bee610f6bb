import type { CallArgs } from '../../shared/api/watchfloorApi';
import type { Tip, TipState } from '../../shared/domain/tips';

/** How far back the list looks; a shift is twelve hours. */
export const TIP_RANGES = {
  all: { label: 'Any time', ms: null },
  '1h': { label: 'Last hour', ms: 3_600_000 },
  shift: { label: 'Last 12 hours', ms: 12 * 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
} as const;
export type TipRange = keyof typeof TIP_RANGES;

export interface TipFilters {
  /** A state, "open" (new and reviewing: the work still to do) or "all". */
  readonly state: TipState | 'open' | 'all';
  readonly range: TipRange;
  readonly hasMedia: 'any' | 'yes' | 'no';
  readonly mine: boolean;
  /** Words to find in the text, as typed (trimmed when sent). */
  readonly q: string;
}

export const DEFAULT_TIP_FILTERS: TipFilters = {
  state: 'open',
  range: 'all',
  hasMedia: 'any',
  mine: false,
  q: '',
};

export const PAGE_SIZE = 50;

/** The `tips.list` arguments for the filters at a moment (the range counts back from `now`). */
export function listArgs(f: TipFilters, now: number, before?: string): CallArgs<'tips.list'> {
  const ms = TIP_RANGES[f.range].ms;
  const q = f.q.trim().slice(0, 200);
  return {
    ...(f.state !== 'all' ? { state: f.state } : {}),
    ...(ms !== null ? { since: new Date(now - ms).toISOString() } : {}),
    ...(f.hasMedia !== 'any' ? { hasMedia: f.hasMedia === 'yes' } : {}),
    ...(f.mine ? { assignedTo: 'me' as const } : {}),
    ...(q ? { q } : {}),
    ...(before ? { before } : {}),
    limit: PAGE_SIZE,
  };
}

/**
 * Whether a tip belongs in the list the filters describe, for tips that arrive or change while
 * the list shows: the server applied the same filters to what it sent. The text search is an
 * approximation of the server's (every word, ignoring case).
 */
export function tipMatches(tip: Tip, f: TipFilters, me: string | null, now: number): boolean {
  if (f.state === 'open' && tip.state !== 'new' && tip.state !== 'reviewing') return false;
  if (f.state !== 'open' && f.state !== 'all' && tip.state !== f.state) return false;
  const ms = TIP_RANGES[f.range].ms;
  if (ms !== null && Date.parse(tip.receivedAt) < now - ms) return false;
  if (f.hasMedia === 'yes' && tip.attachments.length === 0) return false;
  if (f.hasMedia === 'no' && tip.attachments.length > 0) return false;
  if (f.mine && (me === null || tip.assignedTo?.id !== me)) return false;
  const words = f.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const body = tip.body.toLowerCase();
  return words.every((w) => body.includes(w));
}

/** Newest first; ties (the same second) by id so the order is stable. */
export function newestFirst(a: Tip, b: Tip): number {
  const d = Date.parse(b.receivedAt) - Date.parse(a.receivedAt);
  return d !== 0 ? d : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The list with one tip put in (or replaced), newest first, each tip once. */
export function upsertTip(list: readonly Tip[], tip: Tip): Tip[] {
  return [...list.filter((t) => t.id !== tip.id), tip].sort(newestFirst);
}

/** A page appended to the list: each tip once, newest first. */
export function mergePage(list: readonly Tip[], page: readonly Tip[]): Tip[] {
  const seen = new Set(list.map((t) => t.id));
  return [...list, ...page.filter((t) => !seen.has(t.id))].sort(newestFirst);
}
