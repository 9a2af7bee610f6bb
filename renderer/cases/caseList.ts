import type { Case, CaseStatus } from '../../shared/domain/cases';

/** What the list shows: the asker's own cases or all, and which statuses. */
export interface CaseFilter {
  readonly scope: 'mine' | 'all';
  readonly status: CaseStatus | 'current';
}

const PRIORITY_RANK = { high: 0, normal: 1, low: 2 } as const;

export const isMine = (c: Case, userId: string | null) =>
  userId !== null && c.analysts.some((a) => a.id === userId);

/** Whether a case (as an event carries it) belongs in the list the filter asks for. */
export function caseMatches(c: Case, filter: CaseFilter, userId: string | null): boolean {
  if (filter.scope === 'mine' && !isMine(c, userId)) return false;
  return filter.status === 'current' ? c.status !== 'closed' : c.status === filter.status;
}

/** The server's order: the asker's own first, then priority, due date (none last) and age. */
export function sortCases(cases: Iterable<Case>, userId: string | null): Case[] {
  const key = (c: Case) => [
    isMine(c, userId) ? 0 : 1,
    PRIORITY_RANK[c.priority],
    c.dueDate ?? '9999-99-99',
    c.openedAt,
    c.number,
  ];
  return [...cases].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]! < kb[i]!) return -1;
      if (ka[i]! > kb[i]!) return 1;
    }
    return 0;
  });
}

/** Analysts see their own work first; those who assign or only read start with all. */
export function defaultScope(permissions: readonly string[]): CaseFilter['scope'] {
  return permissions.includes('cases.work') && !permissions.includes('cases.assign')
    ? 'mine'
    : 'all';
}
