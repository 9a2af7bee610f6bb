import { useEffect, useRef } from 'react';
import type { OnlineReport } from '../../shared/api/onlineReports';
import { useOnlineReportsStore } from './onlineReportsStore';
import {
  fileButtonId,
  fileKind,
  filesOpen,
  fileSize,
  isPhoto,
  reportFileUrl,
  type ReportFile,
} from './reportFiles';

/**
 * A photo large over the console. Esc or a click outside closes it and gives the focus back to
 * the photo's button; the arrow keys go to the report's other photos; Tab stays inside.
 */
function FileViewer({ report, n }: { readonly report: OnlineReport; readonly n: number }) {
  const view = useOnlineReportsStore((s) => s.view);
  const closeViewer = useOnlineReportsStore((s) => s.closeViewer);
  const dialog = useRef<HTMLDivElement>(null);
  const photos = report.files.filter(isPhoto);
  const index = photos.findIndex((f) => f.n === n);
  const file = photos[index];
  const close = () => {
    closeViewer();
    document.getElementById(fileButtonId(report.id, n))?.focus();
  };
  const step = (by: number) => {
    const next = photos[(index + by + photos.length) % photos.length];
    if (next) view(report.id, next.n);
  };
  useEffect(() => {
    // Capture: these keys act on the viewer and do not also reach the wall's keys.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
      else if (e.key === 'ArrowLeft' && photos.length > 1) step(-1);
      else if (e.key === 'ArrowRight' && photos.length > 1) step(1);
      else if (e.key === 'Tab' && dialog.current) {
        const buttons = [...dialog.current.querySelectorAll<HTMLElement>('button')];
        const at = buttons.indexOf(document.activeElement as HTMLElement);
        const to = e.shiftKey
          ? buttons[at <= 0 ? buttons.length - 1 : at - 1]
          : buttons[at < 0 || at === buttons.length - 1 ? 0 : at + 1];
        to?.focus();
      } else return;
      e.stopPropagation();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });
  if (!file) return null;
  return (
    <div
      ref={dialog}
      className="backdrop media-overlay report-file-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={`${file.fileName}, photo ${index + 1} of ${photos.length} of ${report.tempNumber}`}
      data-testid="report-file-viewer"
      onMouseDown={(e) => e.target === e.currentTarget && close()}
    >
      <img
        src={reportFileUrl(report.id, file.n)}
        alt={file.fileName}
        data-testid="report-file-large"
      />
      <div className="viewer-bar">
        <span>
          {file.fileName} · {fileKind(file)} · {fileSize(file.size)}
        </span>
        {photos.length > 1 && (
          <>
            <button type="button" className="btn" onClick={() => step(-1)}>
              Previous <kbd>←</kbd>
            </button>
            <button type="button" className="btn" onClick={() => step(1)}>
              Next <kbd>→</kbd>
            </button>
          </>
        )}
        <button type="button" className="btn close" onClick={close} autoFocus>
          Close <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}

function FileItem({
  report,
  file,
  opened,
}: {
  readonly report: OnlineReport;
  readonly file: ReportFile;
  readonly opened: boolean;
}) {
  const view = useOnlineReportsStore((s) => s.view);
  const save = useOnlineReportsStore((s) => s.saveReportFile);
  const photo = isPhoto(file);
  const id = fileButtonId(report.id, file.n);
  return (
    <li className="report-file" data-testid="report-file">
      {opened && photo ? (
        <button
          id={id}
          type="button"
          className="thumb-button"
          onClick={() => view(report.id, file.n)}
          aria-label={`View ${file.fileName} large`}
        >
          <img src={reportFileUrl(report.id, file.n)} alt="" loading="lazy" />
        </button>
      ) : opened ? (
        <button
          id={id}
          type="button"
          className="thumb-placeholder file-save"
          onClick={() => void save(report.id, file)}
          aria-label={`Save ${file.fileName}`}
        >
          Save PDF
        </button>
      ) : (
        <span className="thumb-placeholder" aria-hidden="true">
          {photo ? 'Photo' : 'PDF'}
        </span>
      )}
      <span className="report-file-name">{file.fileName}</span>
      <span className="muted">
        {fileKind(file)} · {fileSize(file.size)}
      </span>
    </li>
  );
}

/**
 * The files a reporter attached: names, kinds and sizes at once; thumbnails, the large view of a
 * photo and the saving of a PDF once the reviewer opens them (the server audits the opening and
 * the host may then fetch them, for a quarter of an hour).
 */
export function ReportFiles({ report }: { readonly report: OnlineReport }) {
  const opened = useOnlineReportsStore((s) => filesOpen(s.openedFiles, report.id, s.now));
  const opening = useOnlineReportsStore((s) => s.openingFiles === report.id);
  const error = useOnlineReportsStore((s) => s.fileErrors[report.id] ?? null);
  const viewing = useOnlineReportsStore((s) =>
    s.viewing?.reportId === report.id ? s.viewing.n : null,
  );
  const openFiles = useOnlineReportsStore((s) => s.openFiles);
  if (report.files.length === 0) return null;
  const count = report.files.length;
  return (
    <section
      className="report-files"
      aria-label={`Files of ${report.tempNumber}`}
      data-testid="report-files"
    >
      <div className="report-files-head">
        <span>
          {count} file{count > 1 ? 's' : ''} from the reporter
        </span>
        {!opened && (
          <button
            type="button"
            className="btn"
            onClick={() => void openFiles(report.id)}
            disabled={opening}
            data-testid="report-open-files"
          >
            Open files…
          </button>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <ul className="report-files-list">
        {report.files.map((f) => (
          <FileItem key={f.n} report={report} file={f} opened={opened} />
        ))}
      </ul>
      {opened && viewing !== null && <FileViewer report={report} n={viewing} />}
    </section>
  );
}
