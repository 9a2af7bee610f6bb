import { useMemo, useState } from 'react';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  type Alert,
  type AlertKind,
  type AlertSeverity,
} from '../../shared/domain/alerts';
import { KIND_GLYPH, KIND_LABEL, trayAlerts, unacknowledgedCount } from './alertTray';
import { useAlertStore } from './alertStore';
import { DockNearestButton } from '../docking/DockNearestButton';
import { alertEvidenceUrl, openAlertEvidence, shownEvidence } from './alertEvidence';

/**
 * An alert's stored images (an LPR hit's plate): closed until the analyst opens them for a
 * reason (audited), then shown.
 */
function AlertEvidence({ alert }: { alert: Alert }) {
  const [opened, setOpened] = useState(false);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const images = shownEvidence(alert);
  if (images.length === 0) return null;
  const open = async () => {
    setOpening(true);
    const r = await openAlertEvidence(alert).finally(() => setOpening(false));
    setOpened(r.opened);
    setError(r.error);
  };
  return (
    <div className="alert-evidence">
      {!opened && (
        <button
          type="button"
          className="btn"
          onClick={() => void open()}
          disabled={opening}
          data-testid="alert-open-evidence"
        >
          {alert.kind === 'lpr' ? 'Open plate image…' : 'Open images…'}
        </button>
      )}
      {error && <p className="error-text">{error}</p>}
      {opened &&
        images.map((n) => (
          <img
            key={n}
            src={alertEvidenceUrl(alert.id, n)}
            alt={`${alert.title}, image ${n}`}
            data-testid="alert-evidence-image"
          />
        ))}
    </div>
  );
}

function AlertActions({ alert }: { alert: Alert }) {
  const acknowledge = useAlertStore((s) => s.acknowledge);
  const linkIncident = useAlertStore((s) => s.linkIncident);
  const [note, setNote] = useState('');
  const [number, setNumber] = useState(alert.incidentNumber ?? '');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="alert-actions">
      {alert.acknowledged ? (
        <p className="muted">
          Acknowledged by {alert.acknowledged.by} at {alert.acknowledged.at}
          {alert.acknowledged.note ? `: ${alert.acknowledged.note}` : ''}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void acknowledge(alert.id, note).then(setError);
          }}
        >
          <input
            aria-label="Acknowledgement note"
            placeholder="Note (what was done)"
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit">Acknowledge</button>
        </form>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void linkIncident(alert.id, number.trim() === '' ? null : number.trim()).then(setError);
        }}
      >
        <input
          aria-label="Incident number"
          placeholder="CAD incident number"
          value={number}
          maxLength={64}
          onChange={(e) => setNumber(e.target.value)}
        />
        <button type="submit">Link</button>
      </form>
      {error && <p className="error-text">{error}</p>}
    </div>
  );
}

function evidenceText(a: Alert): string | null {
  if (a.evidence.length === 0) return null;
  return a.evidence
    .map((e) =>
      e.state === 'stored'
        ? 'image stored'
        : e.state === 'pending'
          ? `image being fetched${e.failure ? ` (${e.failure})` : ''}`
          : `image not fetched: ${e.failure ?? 'unknown reason'}`,
    )
    .join('; ');
}

function AlertRow({ alert: a }: { alert: Alert }) {
  const [open, setOpen] = useState(false);
  const evidence = evidenceText(a);
  return (
    <li className={`alert-row severity-${a.severity}`} data-testid="alert-row">
      <button type="button" className="alert-summary" onClick={() => setOpen(!open)}>
        <span className="alert-kind" title={KIND_LABEL[a.kind]}>
          {KIND_GLYPH[a.kind]} {KIND_LABEL[a.kind]}
        </span>
        <span className="alert-title">{a.title}</span>
        <span className="alert-severity">{a.severity}</span>
        <span className="alert-time muted">{a.occurredAt}</span>
      </button>
      <span className="muted">
        {a.source.name}
        {a.outsideJurisdiction ? ' · outside jurisdiction' : ''}
        {a.late ? ' · received late' : ''}
        {a.revision > 0 ? ` · revised ${a.revision}×` : ''}
        {a.incidentNumber ? ` · CAD ${a.incidentNumber}` : ''}
        {a.acknowledged ? ' · acknowledged' : ''}
      </span>
      {evidence && <span className="muted"> · {evidence}</span>}
      <AlertEvidence alert={a} />
      <DockNearestButton
        kind="alert"
        id={a.id}
        dockable={a.position !== null && !a.outsideJurisdiction}
      />
      {open && <AlertActions alert={a} />}
    </li>
  );
}

/** The alert tray: newest first, by kind and severity; acknowledge with a note, link a call. */
export function AlertTray() {
  const byId = useAlertStore((s) => s.byId);
  const filter = useAlertStore((s) => s.filter);
  const setFilter = useAlertStore((s) => s.setFilter);
  const error = useAlertStore((s) => s.error);
  const shown = useMemo(() => trayAlerts(byId.values(), filter), [byId, filter]);
  const waiting = useMemo(() => unacknowledgedCount(byId.values()), [byId]);
  return (
    <div className="alert-tray" data-testid="alert-tray">
      <h2>Alerts {waiting > 0 && <span className="state-badge">{waiting} to acknowledge</span>}</h2>
      <div className="alert-filters">
        <label>
          Kind{' '}
          <select
            value={filter.kind}
            onChange={(e) => setFilter({ ...filter, kind: e.target.value as AlertKind | 'all' })}
          >
            <option value="all">all</option>
            {ALERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          At least{' '}
          <select
            value={filter.minSeverity}
            onChange={(e) => setFilter({ ...filter, minSeverity: e.target.value as AlertSeverity })}
          >
            {ALERT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {/* The lowest severity as a floor lets every alert through. */}
                {s === 'unknown' ? 'any severity' : s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error-text">{error}</p>}
      {shown.length === 0 && !error ? (
        <p>No alerts.</p>
      ) : (
        <ul>
          {shown.map((a) => (
            <AlertRow key={a.id} alert={a} />
          ))}
        </ul>
      )}
    </div>
  );
}
