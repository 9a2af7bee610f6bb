import { useMemo, type KeyboardEvent } from 'react';
import { ageText, closedForBoard, openForBoard } from './incidentBoard';
import { priorityStyle, statusText } from './incidentLabels';
import { useIncidentStore } from './incidentStore';
import { useNow } from './useNow';
import type { Incident } from '../../shared/domain/incidents';
import { DockNearestButton } from '../docking/DockNearestButton';

/** Enter or Space opens the row's incident; the arrows move between rows. */
function rowKeys(e: KeyboardEvent<HTMLLIElement>, open: () => void): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const rows = [
      ...(e.currentTarget
        .closest('.incident-board')
        ?.querySelectorAll<HTMLElement>('[data-testid="incident-row"]') ?? []),
    ];
    const at = rows.indexOf(e.currentTarget);
    rows[at + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
  }
}

function IncidentRow({
  incident: i,
  now,
  selected,
}: {
  incident: Incident;
  now: number;
  selected: boolean;
}) {
  const select = useIncidentStore((s) => s.select);
  const p = priorityStyle(i.priority);
  const open = () => void select(i.id);
  return (
    <li
      className={`incident-row${selected ? ' selected' : ''}`}
      data-testid="incident-row"
      data-incident-id={i.id}
      data-number={i.number}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${p.word}, ${i.callType.text}, ${statusText(i.status)}, CAD ${i.number}`}
      onClick={open}
      onKeyDown={(e) => rowKeys(e, open)}
    >
      <span className={`incident-priority ${p.key}`} title={p.word}>
        {p.symbol} {p.short}
      </span>
      <span className="incident-type">{i.callType.text}</span>
      <span className="incident-status">{statusText(i.status)}</span>
      <span className="incident-age" title={`received ${i.receivedAt}`}>
        {ageText(i.receivedAt, now)}
      </span>
      <span className="incident-where muted">
        {i.needsPlacement && (
          <span className="needs-placement" data-testid="needs-placement">
            ⚑ needs placement{' '}
          </span>
        )}
        {i.address ?? (i.needsPlacement ? '' : 'position only')}
        {i.outsideJurisdiction ? ' · outside jurisdiction' : ''}
      </span>
      <span className="incident-units muted">
        {i.units.length > 0 ? i.units.map((u) => `${u.id} ${u.status}`).join(', ') : 'no units'}
        {' · CAD '}
        {i.number}
      </span>
      <DockNearestButton
        kind="incident"
        id={i.id}
        dockable={i.position !== null && i.status !== 'closed'}
      />
    </li>
  );
}

/** Open incidents by priority with their age, status and units; closed ones fold away. */
export function IncidentBoard() {
  const byId = useIncidentStore((s) => s.byId);
  const error = useIncidentStore((s) => s.error);
  const selectedId = useIncidentStore((s) => s.selectedId);
  const now = useNow(15_000);
  const open = useMemo(() => openForBoard(byId.values()), [byId]);
  const closed = useMemo(() => closedForBoard(byId.values()), [byId]);
  const toPlace = open.filter((i) => i.needsPlacement).length;
  return (
    <div className="incident-board" data-testid="incident-board">
      <h2>
        Incidents{' '}
        <span className="muted">
          {open.length} open{toPlace > 0 ? ` · ${toPlace} to place` : ''}
        </span>
      </h2>
      {error && <p className="error-text">{error}</p>}
      {open.length === 0 && !error ? (
        <p>No open incidents.</p>
      ) : (
        <ul>
          {open.map((i) => (
            <IncidentRow key={i.id} incident={i} now={now} selected={i.id === selectedId} />
          ))}
        </ul>
      )}
      {closed.length > 0 && (
        <details>
          <summary>Closed ({closed.length})</summary>
          <ul>
            {closed.map((i) => (
              <IncidentRow key={i.id} incident={i} now={now} selected={i.id === selectedId} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
