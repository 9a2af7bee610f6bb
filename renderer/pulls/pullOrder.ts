import { OPEN_PULL_STATUSES, type Pull, type PullUrgency } from '../../shared/domain/pulls';

const URGENCY_ORDER: Readonly<Record<PullUrgency, number>> = { urgent: 0, priority: 1, routine: 2 };

const isOpen = (p: Pull) => OPEN_PULL_STATUSES.includes(p.status);

/**
 * The order of the Pulls list: open pulls before closed ones; among them the viewer's own (assigned
 * to them) first, then the most urgent, then the one waiting longest. Closed pulls: newest first.
 */
export function sortPulls(pulls: Iterable<Pull>, viewerId: string | null): Pull[] {
  return [...pulls].sort((a, b) => {
    const open = Number(isOpen(b)) - Number(isOpen(a));
    if (open !== 0) return open;
    if (!isOpen(a)) return b.requestedAt.localeCompare(a.requestedAt) || a.id.localeCompare(b.id);
    const mine = Number(b.assignedTo.id === viewerId) - Number(a.assignedTo.id === viewerId);
    return (
      mine ||
      URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] ||
      a.requestedAt.localeCompare(b.requestedAt) ||
      a.id.localeCompare(b.id)
    );
  });
}

/** Who asked, as one line: "Ofc. Reyes #4471 (2B12)". */
export function requesterLine(p: Pull): string {
  const r = p.requester;
  const who = r.name ?? r.userName ?? (r.badge ? `Badge ${r.badge}` : 'Officer');
  const badge = r.badge && r.name ? ` #${r.badge}` : '';
  return `${who}${badge}${r.unit ? ` (${r.unit})` : ''}`;
}
