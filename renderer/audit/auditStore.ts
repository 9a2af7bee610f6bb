import { create } from 'zustand';
import type {
  AuditCounts,
  AuditEntry,
  AuditScope,
  ChainHealth,
  ReviewedFlag,
} from '../../shared/api/auditReview';
import { call } from '../app/watchfloor';
import { saveFile } from '../app/saveFile';
import { EMPTY_FILTERS, exportFiles, filtersOf, type FilterForm } from './auditView';

interface AuditStore {
  /** The form as typed; `search` applies it. */
  readonly form: FilterForm;
  readonly entries: readonly AuditEntry[];
  /** The id to continue below, or null at the end. */
  readonly next: number | null;
  readonly scope: AuditScope | null;
  readonly counts: AuditCounts | null;
  readonly flags: readonly ReviewedFlag[];
  readonly health: ChainHealth | null;
  readonly error: string | null;
  /** The first page is being read. */
  readonly busy: boolean;
  /** The counts, and the flags, of the last search are still being worked out on the server. */
  readonly counting: boolean;
  readonly flagging: boolean;
  setForm(patch: Partial<FilterForm>): void;
  /**
   * Runs the search with the form: the first page, the counts and the flags of its range. Each
   * shows as it comes: over millions of entries the page takes milliseconds, the counts read
   * every entry of the range and the flags their 30-day baseline (docs/audit-review.md).
   */
  search(): Promise<void>;
  more(): Promise<void>;
  review(key: string, note: string): Promise<boolean>;
  exportRange(): Promise<void>;
  loadHealth(): Promise<void>;
  /** A flag was reviewed (here or at another console): its list is read again. */
  flagReviewed(): void;
  reset(): void;
}

const INITIAL = {
  form: EMPTY_FILTERS,
  entries: [],
  next: null,
  scope: null,
  counts: null,
  flags: [],
  health: null,
  error: null,
  busy: false,
  counting: false,
  flagging: false,
};

/** Each search is numbered: an answer that a newer search overtook is dropped. */
let seq = 0;

/** The audit review panel's state (docs/audit-review.md). */
export const useAuditStore = create<AuditStore>()((set, get) => ({
  ...INITIAL,
  setForm: (patch) => set({ form: { ...get().form, ...patch } }),
  async search() {
    const mine = ++seq;
    const filters = filtersOf(get().form);
    // What the last search found is not this range's: cleared rather than shown as if it were.
    set({ busy: true, counting: true, flagging: true, error: null, counts: null, flags: [] });
    const current = () => mine === seq;
    const counts = call('audit.counts', filters).then((r) => {
      if (!current()) return;
      set(
        r.ok ? { counting: false, counts: r.value } : { counting: false, error: r.error.message },
      );
    });
    const flags = call('audit.flags', {
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
    }).then((r) => {
      if (!current()) return;
      set(
        r.ok
          ? { flagging: false, flags: r.value.flags }
          : { flagging: false, error: r.error.message },
      );
    });
    const page = await call('audit.entries', filters);
    if (current()) {
      set(
        page.ok
          ? {
              busy: false,
              entries: page.value.entries,
              next: page.value.next,
              scope: page.value.scope,
            }
          : { busy: false, error: page.error.message },
      );
    }
    await Promise.all([counts, flags]);
  },
  async more() {
    const before = get().next;
    if (before === null) return;
    const mine = seq;
    const r = await call('audit.entries', { ...filtersOf(get().form), before });
    if (mine !== seq) return;
    if (!r.ok) set({ error: r.error.message });
    else set({ entries: [...get().entries, ...r.value.entries], next: r.value.next });
  },
  async review(key, note) {
    const r = await call('audit.reviewFlag', { key, note });
    if (!r.ok) {
      set({ error: r.error.message });
      return false;
    }
    get().flagReviewed();
    return true;
  },
  async exportRange() {
    set({ busy: true, error: null });
    const r = await call('audit.export', filtersOf(get().form));
    set({ busy: false });
    if (!r.ok) {
      set({ error: r.error.message });
      return;
    }
    for (const f of exportFiles(r.value)) saveFile(f.name, new Blob([f.text], { type: f.type }));
  },
  async loadHealth() {
    const r = await call('audit.health', {});
    if (r.ok) set({ health: r.value });
  },
  flagReviewed() {
    const filters = filtersOf(get().form);
    void call('audit.flags', {
      ...(filters.from ? { from: filters.from } : {}),
      ...(filters.to ? { to: filters.to } : {}),
    }).then((r) => {
      if (r.ok) set({ flags: r.value.flags });
    });
  },
  reset() {
    seq += 1;
    set(INITIAL);
  },
}));
