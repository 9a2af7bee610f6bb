import { z } from 'zod';

/**
 * How long the center keeps each kind of data before the purge removes it (docs/retention.md).
 * Periods are whole days, counted from the moment named in `from` for each kind. Each kind has
 * a floor: no setting may go below it. The audit trail is not one of these kinds: it is kept at
 * least a year (CJIS 5.4.7) and nothing here ever deletes from it.
 */

export const RETENTION_KINDS = [
  'tipMedia',
  'tipThreads',
  'lprUnmatched',
  'alerts',
  'tracks',
  'incidents',
  'onlineReports',
  'evidence',
  'shiftLogs',
  'cameraViews',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionKindInfo {
  readonly label: string;
  /** The period a new agency starts with. */
  readonly defaultDays: number;
  /** No setting may go below this. */
  readonly floorDays: number;
  /** Where the floor comes from, shown beside the setting. */
  readonly floorReason: string;
  /** What the period is counted from, in words. */
  readonly from: string;
}

/** The longest period a setting may hold: a century, i.e. kept for good. */
export const MAX_RETENTION_DAYS = 36_500;

export const RETENTION_KIND_INFO: Readonly<Record<RetentionKind, RetentionKindInfo>> = {
  tipMedia: {
    label: 'Tip photos and videos',
    defaultDays: 180,
    floorDays: 30,
    floorReason: 'a tip is followed up within a month; state records schedules may ask for more',
    from: 'the tip was received',
  },
  tipThreads: {
    label: 'Tip threads (texts and replies)',
    defaultDays: 365,
    floorDays: 90,
    floorReason: 'a tipster may write again about the same matter within a season',
    from: 'the last message in the thread',
  },
  lprUnmatched: {
    label: 'LPR hits the center did not work',
    defaultDays: 30,
    floorDays: 1,
    floorReason: 'no minimum in law; many states cap how long unmatched plate reads are kept',
    from: 'the hit was received',
  },
  alerts: {
    label: 'Other alerts (gunshots, CAP, zone entries, worked LPR hits)',
    defaultDays: 365,
    floorDays: 30,
    floorReason: 'an alert is reviewed with its incident within a month',
    from: 'the alert was received',
  },
  tracks: {
    label: 'Tracked positions',
    defaultDays: 90,
    floorDays: 7,
    floorReason: 'a week lets a zone entry be reviewed against the track',
    from: 'the position was taken',
  },
  incidents: {
    label: 'Copies of CAD incidents (CAD keeps the original)',
    defaultDays: 365,
    floorDays: 30,
    floorReason: 'the shift and monthly reports read a month of incidents',
    from: 'the incident was closed',
  },
  onlineReports: {
    label: 'Online reports from the public',
    defaultDays: 365,
    floorDays: 90,
    floorReason: 'a report is reviewed and answered within a season',
    from: 'the report was received',
  },
  evidence: {
    label: 'Evidence files and exports of closed cases',
    defaultDays: 1095,
    floorDays: 365,
    floorReason: 'appeals and discovery follow a closed case; state law may ask for more',
    from: 'the case was closed',
  },
  shiftLogs: {
    label: 'Shift logs',
    defaultDays: 730,
    floorDays: 365,
    floorReason: 'the annual review reads a year of shift logs',
    from: 'the shift ended',
  },
  cameraViews: {
    label: 'Camera view grants (the audit record of each view is kept regardless)',
    defaultDays: 365,
    floorDays: 365,
    floorReason: 'CJIS 5.4.7: audit records are kept at least one year',
    from: 'the grant expired',
  },
};

const periodFor = (kind: RetentionKind) => {
  const info = RETENTION_KIND_INFO[kind];
  return z
    .number()
    .int('a period is a whole number of days')
    .min(info.floorDays, `${info.label}: at least ${info.floorDays} days (${info.floorReason})`)
    .max(MAX_RETENTION_DAYS, `at most ${MAX_RETENTION_DAYS} days`)
    .default(info.defaultDays);
};

export const RetentionSettingsSchema = z.object({
  tipMedia: periodFor('tipMedia'),
  tipThreads: periodFor('tipThreads'),
  lprUnmatched: periodFor('lprUnmatched'),
  alerts: periodFor('alerts'),
  tracks: periodFor('tracks'),
  incidents: periodFor('incidents'),
  onlineReports: periodFor('onlineReports'),
  evidence: periodFor('evidence'),
  shiftLogs: periodFor('shiftLogs'),
  cameraViews: periodFor('cameraViews'),
} satisfies Record<RetentionKind, z.ZodType>);
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

export const DEFAULT_RETENTION: RetentionSettings = RetentionSettingsSchema.parse({});

/** The moment before which a kind's records have expired. */
export function retentionCutoff(days: number, now: number): Date {
  return new Date(now - days * 86_400_000);
}
