import { useEffect, useState } from 'react';
import { useSessionStore } from '../session/sessionStore';
import type { OnlineReport } from '../../shared/api/onlineReports';
import { reportClock } from '../../shared/domain/onlineReports';
import { useOnlineReportsStore } from './onlineReportsStore';
import { ReportFiles } from './ReportFiles';

function when(iso: string, timeZone: string | undefined): string {
  return new Date(iso).toLocaleString('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** Hours and minutes, e.g. "5 h 20 min". */
function span(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

/** The 72-hour clock in words: the time left, overdue, or waiting on the reporter. */
export function ClockLine({ report, now }: { report: OnlineReport; now: number }) {
  const c = reportClock(report, now);
  if (c.waitingOnReporter) {
    return (
      <span className="report-clock waiting" data-testid="report-clock">
        ⏸ Waiting on the reporter
      </span>
    );
  }
  if (c.remainingMs === null) return null;
  return c.overdue ? (
    <span className="report-clock overdue" data-testid="report-clock">
      ⚠ Overdue by {span(c.remainingMs)}
    </span>
  ) : (
    <span className="report-clock" data-testid="report-clock">
      {span(c.remainingMs)} left
    </span>
  );
}

type Open = null | 'approve' | 'requestInfo' | 'forward' | 'reject';

function Decide({ report }: { report: OnlineReport }) {
  const decide = useOnlineReportsStore((s) => s.decide);
  const investigators = useOnlineReportsStore((s) => s.investigators);
  const busy = useOnlineReportsStore((s) => s.deciding) === report.id;
  const [open, setOpen] = useState<Open>(null);
  const [text, setText] = useState('');
  const send = async () => {
    const ok =
      open === 'approve'
        ? await decide(report.id, {
            kind: 'approve',
            ...(text.trim() ? { caseNumber: text.trim() } : {}),
          })
        : open === 'requestInfo'
          ? await decide(report.id, { kind: 'requestInfo', message: text })
          : open === 'forward'
            ? await decide(report.id, { kind: 'forward', userId: text })
            : open === 'reject'
              ? await decide(report.id, { kind: 'reject', reason: text })
              : false;
    if (ok) {
      setOpen(null);
      setText('');
    }
  };
  const labels: Readonly<Record<Exclude<Open, null>, string>> = {
    approve: 'Existing case number to join (empty: open a new case)',
    requestInfo: 'What the reporter should add',
    forward: 'Investigator',
    reject: 'Why it cannot be taken online',
  };
  const field = `report-${report.id}-input`;
  return (
    <div className="report-decide">
      <div className="report-actions">
        {(['approve', 'requestInfo', 'forward', 'reject'] as const).map((k) => (
          <button
            key={k}
            type="button"
            className="btn"
            disabled={busy || (k === 'requestInfo' && report.state === 'needs_info')}
            aria-pressed={open === k}
            onClick={() => {
              setOpen(open === k ? null : k);
              setText('');
            }}
          >
            {k === 'approve'
              ? 'Approve'
              : k === 'requestInfo'
                ? 'Ask for more'
                : k === 'forward'
                  ? 'Forward'
                  : 'Reject as ineligible'}
          </button>
        ))}
      </div>
      {open && (
        <div className="report-decision">
          <label htmlFor={field}>{labels[open]}</label>
          {open === 'forward' ? (
            <select id={field} value={text} onChange={(e) => setText(e.target.value)}>
              <option value="">Choose…</option>
              {investigators.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          ) : open === 'approve' ? (
            <input id={field} value={text} onChange={(e) => setText(e.target.value)} />
          ) : (
            <textarea id={field} value={text} onChange={(e) => setText(e.target.value)} rows={3} />
          )}
          <button
            type="button"
            className="btn primary"
            disabled={busy || (open !== 'approve' && text.trim() === '')}
            onClick={() => void send()}
          >
            Send
          </button>
        </div>
      )}
    </div>
  );
}

/** Where it happened, and how the place was checked against the city limits. */
function whereOf(report: OnlineReport): string {
  const at = report.lat !== null && report.lng !== null ? `${report.lat}, ${report.lng}` : null;
  const said = [report.address, at].filter(Boolean).join(' · ');
  switch (report.locationCheck) {
    case 'coordinates':
      return `${said} (the reporter's position, inside the city limits)`;
    case 'address_point':
      return `${said} (placed by the agency's address points, inside the city limits)`;
    case 'unverified':
      return `${said} (not verified)`;
  }
}

function ReportItem({
  report,
  now,
  timeZone,
}: {
  report: OnlineReport;
  now: number;
  timeZone: string | undefined;
}) {
  const c = reportClock(report, now);
  return (
    <li
      className={c.overdue ? 'online-report overdue' : 'online-report'}
      data-testid="online-report"
    >
      <div>
        <strong>{report.tempNumber}</strong> · {report.categoryLabel} ·{' '}
        <ClockLine report={report} now={now} />
      </div>
      <div className="muted">
        Received {when(report.submittedAt, timeZone)} · happened {when(report.occurredAt, timeZone)}
        {report.address ? ` · ${report.address}` : ''}
        {report.assignedTo ? ` · with ${report.assignedTo.name}` : ''}
        {report.supplementsCase ? ` · adds to case ${report.supplementsCase}` : ''}
      </div>
      {report.locationCheck === 'unverified' && (
        <p className="report-unverified" data-testid="report-unverified">
          ⚠ Location not verified: the reporter gave an address alone, and there are no address
          points to place it by. Check that it is within the city limits before approving.
        </p>
      )}
      <details>
        <summary>The report</summary>
        <p>Where: {whereOf(report)}</p>
        <p className="report-narrative">{report.narrative}</p>
        {report.suspect && <p>Suspect: {report.suspect}</p>}
        {report.property && <p>Property: {report.property}</p>}
        {report.vehicle && <p>Vehicle: {report.vehicle}</p>}
        <ReportFiles report={report} />
        {report.additions.map((a) => (
          <p key={a.n}>
            Added {when(a.addedAt, timeZone)}: {a.text}
          </p>
        ))}
        <p>
          Reporter: {report.reporter.name} · {report.reporter.email}
          {report.reporter.phone ? ` · ${report.reporter.phone}` : ''}
        </p>
      </details>
      {report.infoRequest && <p className="muted">Asked: {report.infoRequest}</p>}
      <Decide report={report} />
    </li>
  );
}

/** The review queue: every open report with its clock, the overdue ones marked. */
export function OnlineReportsSection() {
  const reports = useOnlineReportsStore((s) => s.reports);
  const error = useOnlineReportsStore((s) => s.error);
  const now = useOnlineReportsStore((s) => s.now);
  const load = useOnlineReportsStore((s) => s.load);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  useEffect(() => {
    const timer = setInterval(() => useOnlineReportsStore.getState().tick(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const overdue = reports.filter((r) => reportClock(r, now).overdue).length;
  return (
    <section
      className="online-reports"
      data-testid="online-reports"
      aria-labelledby="online-reports-title"
    >
      <div className="on-shift-head">
        <h2 id="online-reports-title">Online reports</h2>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <p className="muted" data-testid="online-reports-count">
        {reports.length} open{overdue > 0 ? ` · ${overdue} overdue` : ''}
      </p>
      {error && <p className="error-text">{error}</p>}
      {reports.length === 0 && !error ? (
        <p>No report waiting for review.</p>
      ) : (
        <ul>
          {reports.map((r) => (
            <ReportItem key={r.id} report={r} now={now} timeZone={timeZone} />
          ))}
        </ul>
      )}
    </section>
  );
}
