import type { Incident } from '../../shared/domain/incidents';

/** What the incident board shows, and in which order: pure, so it is tested without a screen. */

export { STATUS_LABEL } from './incidentLabels';

/** Open incidents: most urgent first (no priority last), then the longest waiting. */
export function openForBoard(incidents: Iterable<Incident>): Incident[] {
  return [...incidents]
    .filter((i) => i.closedAt === null)
    .sort(
      (a, b) =>
        (a.priority ?? 99) - (b.priority ?? 99) ||
        a.receivedAt.localeCompare(b.receivedAt) ||
        a.number.localeCompare(b.number),
    );
}

/** Closed incidents, most recently closed first: folded away under the open ones. */
export function closedForBoard(incidents: Iterable<Incident>): Incident[] {
  return [...incidents]
    .filter((i) => i.closedAt !== null)
    .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
}

/** How long since the call came in: "45s", "12m", "1h 05m", "2d 3h". */
export function ageText(receivedAt: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(receivedAt)) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
