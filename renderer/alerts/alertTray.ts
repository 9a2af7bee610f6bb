import {
  severityRank,
  type Alert,
  type AlertKind,
  type AlertSeverity,
  type Track,
  type TrackPoint,
} from '../../shared/domain/alerts';

/** What the tray shows: the kind asked for, at or above a severity. */
export interface TrayFilter {
  readonly kind: AlertKind | 'all';
  readonly minSeverity: AlertSeverity;
}

export const ALL_ALERTS: TrayFilter = { kind: 'all', minSeverity: 'unknown' };

export const KIND_LABEL: Readonly<Record<AlertKind, string>> = {
  lpr: 'LPR hit',
  gunshot: 'Gunshot',
  cap: 'Sensor',
  zone: 'Zone entry',
};

/** One glyph per kind, for the tray and the map (never colour alone). */
export const KIND_GLYPH: Readonly<Record<AlertKind, string>> = {
  lpr: '▣',
  gunshot: '✸',
  cap: '◆',
  zone: '⬟',
};

export const KIND_COLOUR: Readonly<Record<AlertKind, string>> = {
  lpr: '#56b4e9',
  gunshot: '#d55e00',
  cap: '#cc79a7',
  zone: '#e69f00',
};

/** The tray's alerts: newest first (by when it happened), filtered. */
export function trayAlerts(all: Iterable<Alert>, filter: TrayFilter): Alert[] {
  const min = severityRank(filter.minSeverity);
  return [...all]
    .filter((a) => filter.kind === 'all' || a.kind === filter.kind)
    .filter((a) => severityRank(a.severity) >= min)
    .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id));
}

/** Alerts not yet acknowledged that are announced (inside the city, not late). */
export function unacknowledgedCount(all: Iterable<Alert>): number {
  let n = 0;
  for (const a of all) if (!a.acknowledged && !a.outsideJurisdiction && !a.late) n += 1;
  return n;
}

/** An alert as the event carries it, unless the store holds a newer state. */
export function newer(held: Alert | undefined, incoming: Alert): boolean {
  return !held || held.updatedAt <= incoming.updatedAt;
}

/** Points added to a track: merged in time order, each time once, the last `keep` kept. */
export function extendTrack(
  track: Track | undefined,
  added: Omit<Track, 'points'> & { readonly points: readonly TrackPoint[] },
  keep = 500,
): Track {
  const byTime = new Map((track?.points ?? []).map((p) => [p.at, p]));
  for (const p of added.points) byTime.set(p.at, p);
  const points = [...byTime.values()].sort((a, b) => a.at.localeCompare(b.at)).slice(-keep);
  return { ...added, points };
}

export const trackKey = (t: Pick<Track, 'source' | 'subject'>) =>
  `${t.source.integrationId}\n${t.subject}`;
