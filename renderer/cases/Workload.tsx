import { useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { WorkloadItem } from '../../shared/api/cases';
import { caseStatusText, dueText } from './caseLabels';
import { useCaseStore } from './caseStore';
import { NO_CURSOR, workloadKey, type WorkloadCursor, type WorkloadLane } from './workloadKeys';

const DRAG_TYPE = 'application/x-watchfloor-case';

interface Dragged {
  readonly number: string;
  readonly from: string | null;
}

function Item({
  item,
  from,
  selected,
  onSelect,
}: {
  item: WorkloadItem;
  from: string | null;
  selected: boolean;
  onSelect: () => void;
}) {
  const onDragStart = (e: DragEvent<HTMLLIElement>) => {
    e.dataTransfer.setData(
      DRAG_TYPE,
      JSON.stringify({ number: item.number, from } satisfies Dragged),
    );
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <li
      className={`workload-item${item.overdue ? ' overdue' : ''}${selected ? ' selected' : ''}`}
      draggable
      onDragStart={onDragStart}
      onClick={onSelect}
      aria-selected={selected}
      role="option"
      data-testid="workload-item"
      data-number={item.number}
    >
      <strong>{item.number}</strong> {item.title}
      <span className="muted">
        {' '}
        · {caseStatusText(item.status)} ·{' '}
        <span className={item.overdue ? 'overdue-text' : undefined}>
          {dueText(item.dueDate, item.overdue)}
        </span>
      </span>
    </li>
  );
}

/**
 * Per analyst, their open cases and how many are overdue; cases move by dragging them onto
 * another analyst, or from the keyboard: arrows to select, M to move, arrows and Enter (or the
 * analyst's number) to choose, Esc to cancel.
 */
export function WorkloadView() {
  const workload = useCaseStore((s) => s.workload);
  const error = useCaseStore((s) => s.workloadError);
  const actionError = useCaseStore((s) => s.actionError);
  const move = useCaseStore((s) => s.move);
  const [cursor, setCursor] = useState<WorkloadCursor>(NO_CURSOR);
  const lanes: WorkloadLane[] = useMemo(
    () =>
      workload
        ? [
            { userId: null, items: workload.unassigned },
            ...workload.rows.map((r) => ({ userId: r.user.id, items: r.items })),
          ]
        : [],
    [workload],
  );
  if (error) return <p className="error-text">{error}</p>;
  if (!workload) return <p className="case-none">Loading the workload…</p>;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const out = workloadKey(e.key, cursor, lanes);
    if (!out.handled) return;
    // The console's own shortcuts (panel keys, the wall's digits) must not see it.
    e.preventDefault();
    e.stopPropagation();
    setCursor(out.cursor);
    if (out.move) void move(out.move);
  };
  const onDrop = (to: string) => (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    if (!raw) return;
    const dragged = JSON.parse(raw) as Dragged;
    if (dragged.from !== to) void move({ number: dragged.number, from: dragged.from, to });
  };
  const allowDrop = (e: DragEvent<HTMLElement>) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
  };
  const isSelected = (lane: number, item: number) =>
    cursor.at?.lane === lane && cursor.at.item === item;
  const choosing = cursor.target !== null;
  let analystNumber = 0;

  return (
    <div
      className={`workload${choosing ? ' choosing' : ''}`}
      tabIndex={0}
      role="listbox"
      aria-label="Workload: arrows select a case, M moves it"
      onKeyDown={onKeyDown}
      data-testid="workload"
    >
      <p className="muted workload-help">
        {choosing
          ? 'Move to which analyst? ↑ ↓ then Enter, or the analyst’s number; Esc cancels.'
          : 'Drag a case onto an analyst, or select it with ↑ ↓ and press M to move it.'}
      </p>
      {actionError && (
        <p className="error-text" role="alert">
          {actionError}
        </p>
      )}
      {lanes.map((lane, l) => {
        const row = lane.userId === null ? null : workload.rows[l - 1]!;
        const n = row ? ++analystNumber : null;
        if (!row && lane.items.length === 0) return null;
        return (
          <section
            key={lane.userId ?? 'unassigned'}
            className={`workload-row${cursor.target === l ? ' target' : ''}${
              row && row.overdueCases > 0 ? ' has-overdue' : ''
            }`}
            onDragOver={row ? allowDrop : undefined}
            onDrop={row ? onDrop(row.user.id) : undefined}
            data-testid="workload-row"
            data-user-id={lane.userId ?? ''}
          >
            <h4>
              {row ? (
                <>
                  <kbd>{n}</kbd> {row.user.name}{' '}
                  <span className="muted">
                    {row.openCases} open
                    {row.overdueCases > 0 && (
                      <span className="overdue-text"> · ⚠ {row.overdueCases} overdue</span>
                    )}
                    <span data-testid="workload-pulls">
                      {' · '}
                      {row.openPulls} pull{row.openPulls === 1 ? '' : 's'} open
                      {row.urgentPulls > 0 ? ` (${row.urgentPulls} urgent)` : ''}
                    </span>
                  </span>
                </>
              ) : (
                <>Nobody assigned ({lane.items.length})</>
              )}
            </h4>
            {lane.items.length === 0 ? (
              <p className="muted">No open cases.</p>
            ) : (
              <ul>
                {lane.items.map((item, i) => (
                  <Item
                    key={item.number}
                    item={item as WorkloadItem}
                    from={lane.userId}
                    selected={isSelected(l, i)}
                    onSelect={() => setCursor({ at: { lane: l, item: i }, target: null })}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
