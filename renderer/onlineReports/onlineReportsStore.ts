import { create } from 'zustand';
import type { OnlineReport } from '../../shared/api/onlineReports';
import { call } from '../app/watchfloor';
import { saveFile } from '../app/saveFile';
import { reportFileUrl } from './reportFiles';

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
  /** The reports whose files this reviewer opened (audited), with when each opening ends. */
  readonly openedFiles: Readonly<Record<string, string>>;
  /** The report whose files are being opened. */
  readonly openingFiles: string | null;
  /** Why a report's files could not be opened or saved, by report id. */
  readonly fileErrors: Readonly<Record<string, string>>;
  /** The photo shown large over the console. */
  readonly viewing: { readonly reportId: string; readonly n: number } | null;
  load(): Promise<void>;
  tick(now: number): void;
  /** A report as an event brought it: kept in the queue while open, dropped once decided. */
  apply(report: OnlineReport): void;
  decide(id: string, decision: Decision): Promise<boolean>;
  /** Opens a report's files: the server audits the opening, the host may then fetch them. */
  openFiles(id: string): Promise<void>;
  view(reportId: string, n: number): void;
  closeViewer(): void;
  /** Saves one of a report's files (a PDF) through the browser's download. */
  saveReportFile(
    reportId: string,
    file: { readonly n: number; readonly fileName: string },
  ): Promise<void>;
}

const withoutKey = (record: Readonly<Record<string, string>>, key: string) =>
  Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

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
  openedFiles: {},
  openingFiles: null,
  fileErrors: {},
  viewing: null,
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
  async openFiles(id) {
    set({ openingFiles: id, fileErrors: withoutKey(get().fileErrors, id) });
    const r = await call('onlineReports.openFiles', { id });
    set({ openingFiles: null });
    if (r.ok) {
      set({ openedFiles: { ...get().openedFiles, [id]: r.value.expiresAt }, now: Date.now() });
    } else set({ fileErrors: { ...get().fileErrors, [id]: r.error.message } });
  },
  view(reportId, n) {
    set({ viewing: { reportId, n } });
  },
  closeViewer() {
    set({ viewing: null });
  },
  async saveReportFile(reportId, file) {
    set({ fileErrors: withoutKey(get().fileErrors, reportId) });
    let problem: string;
    try {
      const res = await fetch(reportFileUrl(reportId, file.n));
      if (res.ok) {
        saveFile(file.fileName, await res.blob());
        return;
      }
      await res.body?.cancel();
      problem =
        res.status === 404
          ? `${file.fileName} is not open any more: open the files again.`
          : `${file.fileName} could not be fetched (${res.status}).`;
    } catch {
      problem = `${file.fileName} could not be fetched: the console host did not answer.`;
    }
    set({ fileErrors: { ...get().fileErrors, [reportId]: problem } });
  },
}));
