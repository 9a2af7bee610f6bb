import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import type { Workload, WorkloadItem, WorkloadRow } from '../../shared/api/cases';
import { caseOverdue } from '../../shared/domain/cases';
import { ASSIGNABLE_ROLES } from './caseChanges';
import { analystsOf, assignableUsers, listCurrentCases, type CaseRecord } from './caseRepository';
import { openPullsPerAnalyst } from '../pulls/pullRepository';

const itemOf = (c: CaseRecord, now: number, timeZone: string): WorkloadItem => ({
  kind: 'case',
  number: c.number,
  title: c.title,
  status: c.status,
  priority: c.priority,
  dueDate: c.dueDate,
  overdue: caseOverdue(c, now, timeZone),
});

/**
 * The lieutenants' workload view: for everyone a case can be assigned to, their cases not closed
 * (most urgent first) and how many are overdue in the agency's calendar; and the cases nobody
 * has, with the camera pulls each has open.
 */
export async function caseWorkload(db: Queryable, now: number): Promise<Workload> {
  const [agency, people, cases, pulls] = await Promise.all([
    getAgency(db),
    assignableUsers(db, ASSIGNABLE_ROLES),
    listCurrentCases(db),
    openPullsPerAnalyst(db),
  ]);
  const pullsOf = new Map(pulls.map((p) => [p.userId, p]));
  const analysts = await analystsOf(
    db,
    cases.map((c) => c.id),
  );
  const items = new Map<string, WorkloadItem[]>(people.map((p) => [p.id, []]));
  const unassigned: WorkloadItem[] = [];
  for (const c of cases) {
    const item = itemOf(c, now, agency.timeZone);
    const on = analysts.get(c.id) ?? [];
    if (on.length === 0) unassigned.push(item);
    for (const a of on) items.get(a.id)?.push(item);
  }
  const rows: WorkloadRow[] = people.map((p) => {
    const mine = items.get(p.id) ?? [];
    return {
      user: { id: p.id, name: p.name, role: p.role },
      openCases: mine.length,
      overdueCases: mine.filter((i) => i.overdue).length,
      openPulls: (pullsOf.get(p.id)?.open ?? 0) + (pullsOf.get(p.id)?.inProgress ?? 0),
      urgentPulls: pullsOf.get(p.id)?.urgent ?? 0,
      items: mine,
    };
  });
  return { rows, unassigned };
}
