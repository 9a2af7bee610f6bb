import type { OnlineReport } from '../../shared/api/onlineReports';
import { useSessionStore } from '../session/sessionStore';

/** One of the files a reporter attached (docs/online-reports.md). */
export type ReportFile = OnlineReport['files'][number];

/** Photos show in the console; anything else (a PDF) is saved, never shown. */
export const isPhoto = (f: ReportFile) =>
  f.contentType === 'image/jpeg' || f.contentType === 'image/png';

/** The kind of a file in words. */
export function fileKind(f: ReportFile): string {
  if (f.contentType === 'image/jpeg') return 'JPEG photo';
  if (f.contentType === 'image/png') return 'PNG image';
  if (f.contentType === 'application/pdf') return 'PDF document';
  return 'File';
}

/** A size as people read it, in the portal's units (its limit is 4 MB): "850 bytes", "14.2 KB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Whether this reviewer's opening of the report's files still lasts at `now`. */
export function filesOpen(
  opened: Readonly<Record<string, string>>,
  reportId: string,
  now: number,
): boolean {
  const until = opened[reportId];
  return until !== undefined && Date.parse(until) > now;
}

/**
 * The host's URL of one of a report's files: the host streams it from the server, and only for
 * a report whose files this session opened (electron/host/console/tipMedia.ts).
 */
export function reportFileUrl(reportId: string, n: number): string {
  const root = useSessionStore.getState().info?.tipMediaRoot ?? '/tip-media/';
  return `${root}online-report/${encodeURIComponent(reportId)}/${n}/original`;
}

/** The id of a file's button in the list, to give the focus back to when the viewer closes. */
export const fileButtonId = (reportId: string, n: number) => `report-file-${reportId}-${n}`;
