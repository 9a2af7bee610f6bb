import { create } from 'zustand';
import type { OnlineReport } from '../../shared/api/onlineReports';
import { call } from '../app/watchfloor';

type Decision =
  | { readonly kind: 'approve'; readonly caseNumber?: string }
  | { readonly kind: 'requestInfo'; readonly message: string }
  | { readonly kind: 'forward'; readonly userId: string }
  | { readonly kind: 'reject'; readonly reason: string };

interface OnlineReportsStore {
  /** The queue: reports not yet decided, the earliest due first. */
  readonly reports: readonly OnlineReport[];
  readonly investigators: readonly { readonly id: string; readonly name: string }[];
  readonly error: string | null;
  /** The report a decision is being sent for. */
  readonly deciding: string | null;
  /** The time the clocks are shown at (the panel moves it each minute). */
  readonly now: number;
  load(): Promise<void>;
  tick(now: number): void;
  /** A report as an event brought it: kept in the queue while open, dropped once decided. */
  apply(report: OnlineReport): void;
  decide(id: string, decision: Decision): Promise<boolean>;
}

const byDue = (a: OnlineReport, b: OnlineReport) => a.dueAt.localeCompare(b.dueAt);

/**
 * The online reports' review queue (docs/online-reports.md): read when the console starts, kept
 * live by `onlineReport.submitted` and `onlineReport.updated`.
 */
export const useOnlineReportsStore = create<OnlineReportsStore>()((set, get) => ({
  reports: [],
  investigators: [],
  error: null,
  deciding: null,
  now: Date.now(),
  async load() {
    const r = await call('onlineReports.list', { state: 'open' });
    if (r.ok) {
      set({
        reports: r.value.reports,
        investigators: r.value.investigators,
        error: null,
        now: Date.now(),
      });
    } else set({ error: r.error.message });
  },
  tick(now) {
    set({ now });
  },
  apply(report) {
    const rest = get().reports.filter((r) => r.id !== report.id);
    set({ reports: report.outcome === null ? [...rest, report].sort(byDue) : rest });
  },
  async decide(id, d) {
    set({ deciding: id, error: null });
    const r =
      d.kind === 'approve'
        ? await call('onlineReports.approve', {
            id,
            ...(d.caseNumber ? { caseNumber: d.caseNumber } : {}),
          })
        : d.kind === 'requestInfo'
          ? await call('onlineReports.requestInfo', { id, message: d.message })
          : d.kind === 'forward'
            ? await call('onlineReports.forward', { id, userId: d.userId })
            : await call('onlineReports.reject', { id, reason: d.reason });
    set({ deciding: null });
    if (r.ok) {
      get().apply(r.value);
      return true;
    }
    set({ error: r.error.message });
    return false;
  },
}));
