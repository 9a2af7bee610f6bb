import {
  CASE_TYPE_LABELS,
  type Case,
  type CasePriority,
  type CaseStatus,
} from '../../shared/domain/cases';

/**
 * How a case's status, priority and due date read: a symbol and a word together, so that neither
 * colour nor shape alone carries the meaning.
 */

export const CASE_STATUS_LABEL: Readonly<Record<CaseStatus, string>> = {
  open: 'Open',
  active: 'Active',
  suspended: 'Suspended',
  closed: 'Closed',
};

/** Open waits for work, active is being worked, suspended is on hold, closed is done. */
export const CASE_STATUS_SYMBOL: Readonly<Record<CaseStatus, string>> = {
  open: '○',
  active: '●',
  suspended: '‖',
  closed: '✓',
};

export const caseStatusText = (s: CaseStatus) => `${CASE_STATUS_SYMBOL[s]} ${CASE_STATUS_LABEL[s]}`;

const PRIORITY: Readonly<Record<CasePriority, { symbol: string; word: string }>> = {
  high: { symbol: '▲', word: 'High priority' },
  normal: { symbol: '■', word: 'Normal priority' },
  low: { symbol: '▽', word: 'Low priority' },
};

export const casePriorityText = (p: CasePriority) => `${PRIORITY[p].symbol} ${PRIORITY[p].word}`;

export const caseTypeText = (c: Pick<Case, 'type'>) => CASE_TYPE_LABELS[c.type];

/** "due 15 Dec 2026", "⚠ overdue: was due 9 Dec 2026", or "no due date". */
export function dueText(dueDate: string | null, overdue: boolean): string {
  if (dueDate === null) return 'no due date';
  const [y, m, d] = dueDate.split('-').map(Number);
  const shown = new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return overdue ? `⚠ overdue: was due ${shown}` : `due ${shown}`;
}

/** The analysts assigned, by name, or a plain word when there are none. */
export const analystsText = (c: Pick<Case, 'analysts'>) =>
  c.analysts.length === 0 ? 'nobody assigned' : c.analysts.map((a) => a.name).join(', ');
