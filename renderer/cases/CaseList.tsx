import type { KeyboardEvent } from 'react';
import { CASE_STATUSES, caseOverdue, type Case } from '../../shared/domain/cases';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { useNow } from '../incidents/useNow';
import { isMine, type CaseFilter } from './caseList';
import {
  CASE_STATUS_LABEL,
  analystsText,
  casePriorityText,
  caseStatusText,
  caseTypeText,
  dueText,
} from './caseLabels';
import { useCaseStore } from './caseStore';

/** Mine or all, and which statuses. */
export function CaseFiltersBar() {
  const filter = useCaseStore((s) => s.filter);
  const setFilter = useCaseStore((s) => s.setFilter);
  const canWork = useSessionStore((s) => permissionsOf(s).includes('cases.work'));
  return (
    <div className="case-filters" data-testid="case-filters">
      {canWork && (
        <select
          aria-label="Whose cases"
          value={filter.scope}
          onChange={(e) => void setFilter({ scope: e.target.value as CaseFilter['scope'] })}
          data-testid="case-filter-scope"
        >
          <option value="mine">Assigned to me</option>
          <option value="all">All cases (mine first)</option>
        </select>
      )}
      <select
        aria-label="Status"
        value={filter.status}
        onChange={(e) => void setFilter({ status: e.target.value as CaseFilter['status'] })}
        data-testid="case-filter-status"
      >
        <option value="current">Not closed</option>
        {CASE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {CASE_STATUS_LABEL[s]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Enter or Space opens the row's case; the arrows move between rows. */
function rowKeys(e: KeyboardEvent<HTMLLIElement>, open: () => void): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const rows = [
      ...(e.currentTarget.closest('.case-list')?.querySelectorAll<HTMLElement>('.case-row') ?? []),
    ];
    rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
  }
}

function CaseRow({
  c,
  selected,
  mine,
  overdue,
}: {
  c: Case;
  selected: boolean;
  mine: boolean;
  overdue: boolean;
}) {
  const select = useCaseStore((s) => s.select);
  const open = () => void select(c.number);
  return (
    <li
      className={`case-row status-${c.status}${overdue ? ' overdue' : ''}`}
      data-testid="case-row"
      data-number={c.number}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`Case ${c.number}, ${c.title}, ${caseStatusText(c.status)}, ${dueText(c.dueDate, overdue)}`}
      onClick={open}
      onKeyDown={(e) => rowKeys(e, open)}
    >
      <span className="case-status">{caseStatusText(c.status)}</span>
      <span className="case-title">
        <strong>{c.number}</strong> {c.title}
      </span>
      <span className={`case-priority ${c.priority}`}>{casePriorityText(c.priority)}</span>
      <span className="case-meta">
        {caseTypeText(c)} · {mine ? 'yours' : analystsText(c)} ·{' '}
        <span className={overdue ? 'overdue-text' : undefined}>{dueText(c.dueDate, overdue)}</span>
      </span>
    </li>
  );
}

/** The cases the filter asks for, the signed-in analyst's own first. */
export function CaseList() {
  const cases = useCaseStore((s) => s.cases);
  const error = useCaseStore((s) => s.error);
  const selected = useCaseStore((s) => s.selected);
  const filter = useCaseStore((s) => s.filter);
  const userId = useSessionStore((s) =>
    s.session && s.session.status !== 'signed_out' ? s.session.user.id : null,
  );
  const timeZone = useSessionStore((s) => s.agency?.timeZone ?? 'UTC');
  const now = useNow(60_000);
  return (
    <div className="case-list-wrap">
      <p className="summary" data-testid="case-summary">
        {cases.length} {cases.length === 1 ? 'case' : 'cases'}
        {filter.scope === 'mine' ? ' assigned to you' : ''}
      </p>
      {error && <p className="error-text">{error}</p>}
      {cases.length === 0 && !error ? (
        <p className="case-empty">
          {filter.scope === 'mine'
            ? 'No case assigned to you with this status.'
            : 'No case with this status.'}
        </p>
      ) : (
        <ul className="case-list" data-testid="case-list">
          {cases.map((c) => (
            <CaseRow
              key={c.id}
              c={c}
              selected={c.number === selected}
              mine={isMine(c, userId)}
              overdue={caseOverdue(c, now, timeZone)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
