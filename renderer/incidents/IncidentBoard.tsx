import { useEffect, useMemo, useState } from 'react';
import { ageText, closedForBoard, openForBoard, STATUS_LABEL } from './incidentBoard';
import { useIncidentStore } from './incidentStore';
import type { Incident } from '../../shared/domain/incidents';
import { dockNearest } from '../docking/dockActions';
import { useDockingStore } from '../docking/dockingStore';

/** The time, ticking: the ages on the board move without anything else changing. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function IncidentRow({ incident: i, now }: { incident: Incident; now: number }) {
  const busy = useDockingStore((s) => s.busy.has(`incident:${i.id}`));
  return (
    <li className="incident-row" data-testid="incident-row">
      <span className={`incident-priority p${i.priority ?? 'x'}`}>P{i.priority ?? '?'}</span>
      <span className="incident-type">{i.callType.text}</span>
      <span className="incident-status">{STATUS_LABEL[i.status]}</span>
      <span className="incident-age" title={`received ${i.receivedAt}`}>
        {ageText(i.receivedAt, now)}
      </span>
      <span className="incident-where muted">
        {i.address ?? (i.needsPlacement ? 'to be placed on the map' : 'position only')}
        {i.outsideJurisdiction ? ' · outside jurisdiction' : ''}
      </span>
      <span className="incident-units muted">
        {i.units.length > 0 ? i.units.map((u) => `${u.id} ${u.status}`).join(', ') : 'no units'}
        {' · CAD '}
        {i.number}
      </span>
      {i.position && i.status !== 'closed' && (
        <button
          type="button"
          className="btn small"
          data-testid="dock-nearest"
          disabled={busy}
          title="Put the nearest cameras on the wall (pinned tiles stay)"
          onClick={() => void dockNearest('incident', i.id)}
        >
          {busy ? 'Docking…' : 'Dock nearest cameras'}
        </button>
      )}
    </li>
  );
}

/** Open incidents by priority with their age, status and units; closed ones fold away. */
export function IncidentBoard() {
  const byId = useIncidentStore((s) => s.byId);
  const error = useIncidentStore((s) => s.error);
  const now = useNow(15_000);
  const open = useMemo(() => openForBoard(byId.values()), [byId]);
  const closed = useMemo(() => closedForBoard(byId.values()), [byId]);
  return (
    <div className="incident-board" data-testid="incident-board">
      <h2>Incidents</h2>
      {error && <p className="error-text">{error}</p>}
      {open.length === 0 && !error ? (
        <p>No open incidents.</p>
      ) : (
        <ul>
          {open.map((i) => (
            <IncidentRow key={i.id} incident={i} now={now} />
          ))}
        </ul>
      )}
      {closed.length > 0 && (
        <details>
          <summary>Closed ({closed.length})</summary>
          <ul>
            {closed.map((i) => (
              <IncidentRow key={i.id} incident={i} now={now} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
