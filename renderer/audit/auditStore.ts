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
  readonly busy: boolean;
  setForm(patch: Partial<FilterForm>): void;
  /** Runs the search with the form: the first page, the counts and the flags of its range. */
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
    set({ busy: true, error: null });
    const [page, counts, flags] = await Promise.all([
      call('audit.entries', filters),
      call('audit.counts', filters),
      call('audit.flags', {
        ...(filters.from ? { from: filters.from } : {}),
        ...(filters.to ? { to: filters.to } : {}),
      }),
    ]);
    if (mine !== seq) return;
    const failed = [page, counts, flags].find((r) => !r.ok);
    if (failed && !failed.ok) {
      set({ busy: false, error: failed.error.message });
      return;
    }
    set({
      busy: false,
      entries: page.ok ? page.value.entries : [],
      next: page.ok ? page.value.next : null,
      scope: page.ok ? page.value.scope : null,
      counts: counts.ok ? counts.value : null,
      flags: flags.ok ? flags.value.flags : [],
    });
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
