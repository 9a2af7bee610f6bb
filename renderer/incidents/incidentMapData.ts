import type { Incident } from '../../shared/domain/incidents';
import { priorityStyle, STATUS_LABEL, type PriorityStyle } from './incidentLabels';

/** A closed incident stays on the map this long, fading, then leaves it. */
export const CLOSED_FADE_MS = 10 * 60_000;

/** One incident as the map draws it: pure, so what is drawn is tested without a map. */
export interface IncidentMarker {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly priority: PriorityStyle;
  /** 1 while open; from 1 down towards 0 over CLOSED_FADE_MS once closed. */
  readonly opacity: number;
  readonly closed: boolean;
  readonly label: string;
}

function fade(incident: Incident, now: number): number {
  if (incident.closedAt === null) return 1;
  const since = now - Date.parse(incident.closedAt);
  return Math.max(0, Math.min(1, 1 - since / CLOSED_FADE_MS));
}

/**
 * The incidents on the map: the open ones with a position, and those closed in the last minutes
 * fading out. Incidents still to be placed (a civic address only) are listed on the board, not
 * here. The most urgent come last, so they are drawn on top.
 */
export function incidentMarkers(incidents: Iterable<Incident>, now: number): IncidentMarker[] {
  const out: (IncidentMarker & { readonly rank: number })[] = [];
  for (const i of incidents) {
    if (!i.position || i.needsPlacement) continue;
    const opacity = fade(i, now);
    if (opacity <= 0) continue;
    const p = priorityStyle(i.priority);
    out.push({
      id: i.id,
      lat: i.position.lat,
      lon: i.position.lon,
      priority: p,
      opacity: Math.round(opacity * 100) / 100,
      closed: i.closedAt !== null,
      label: `${p.short} ${i.callType.text} · ${STATUS_LABEL[i.status]}${i.address ? ` · ${i.address}` : ''}`,
      rank: i.priority ?? 99,
    });
  }
  out.sort((a, b) => Number(b.closed) - Number(a.closed) || b.rank - a.rank);
  return out.map(({ rank: _rank, ...m }) => m);
}
