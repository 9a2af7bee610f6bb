import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';

/**
 * Sensor alerts (docs/integrations.md, "Alerts"): license plate reader hits, gunshot detections,
 * CAP alerts from any other sensor, and exclusion-zone entries from tracked subjects. One model
 * for every kind; what differs is in `details`.
 */

export const ALERT_KINDS = ['lpr', 'gunshot', 'cap', 'zone'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** CAP 1.2's severity scale, used for every kind so that the tray sorts them on one scale. */
export const ALERT_SEVERITIES = ['unknown', 'minor', 'moderate', 'severe', 'extreme'] as const;
export const AlertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const GUNSHOT_TYPES = ['single', 'multiple', 'possible_firecracker'] as const;
export const GunshotTypeSchema = z.enum(GUNSHOT_TYPES);
export type GunshotType = z.infer<typeof GunshotTypeSchema>;

export const AlertPositionSchema = z.object({ lat: LatitudeSchema, lon: LongitudeSchema });
export type AlertPosition = z.infer<typeof AlertPositionSchema>;

export const LprDetailsSchema = z.object({
  plate: z.string(),
  /** The plate's issuing state or province, as the reader gave it. */
  plateState: z.string().nullable(),
  /** 0 to 1. */
  confidence: z.number().nullable(),
  readerId: z.string(),
  hotList: z.string(),
  hotListEntry: z.string().nullable(),
  reason: z.string(),
});

export const GunshotDetailsSchema = z.object({
  type: GunshotTypeSchema,
  rounds: z.number().int().nullable(),
});

export const CapDetailsSchema = z.object({
  identifier: z.string(),
  sender: z.string(),
  /** Alert, Update or Cancel: an update or a cancel revises the alert it references. */
  msgType: z.string(),
  event: z.string(),
  headline: z.string().nullable(),
  description: z.string().nullable(),
  urgency: z.string().nullable(),
  certainty: z.string().nullable(),
  areaDesc: z.string().nullable(),
  /** Metres around the position, when the area was a circle. */
  radiusM: z.number().nullable(),
});

export const ZoneDetailsSchema = z.object({
  subject: z.string(),
  zoneId: z.string(),
  zoneName: z.string(),
});

export const EVIDENCE_STATES = ['pending', 'stored', 'failed'] as const;

/** An image or file the sender pointed to, fetched into the media store after acknowledgement. */
export const EvidenceSchema = z.object({
  n: z.number().int(),
  kind: z.enum(['image']),
  state: z.enum(EVIDENCE_STATES),
  sha256: z.string().nullable(),
  contentType: z.string().nullable(),
  /** Why it is not stored yet or at all; null once stored. */
  failure: z.string().nullable(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const AcknowledgementSchema = z.object({
  at: z.string(),
  by: z.string(),
  byId: z.string().nullable(),
  note: z.string(),
});

const AlertBase = z.object({
  id: z.string(),
  /** The sender's own id: (integration, sender id) names one alert whatever is posted again. */
  senderId: z.string(),
  source: z.object({ integrationId: z.string(), name: z.string() }),
  /** When it happened, as the sender says. */
  occurredAt: z.string(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  position: AlertPositionSchema.nullable(),
  severity: AlertSeveritySchema,
  title: z.string(),
  /** Outside the jurisdiction and its buffer: kept, never announced. */
  outsideJurisdiction: z.boolean(),
  /** Received long after it happened (a backfill, a sender catching up): kept, not announced. */
  late: z.boolean(),
  /** One of the kinds the agency marks urgent (agency configuration): a desktop notification. */
  urgent: z.boolean(),
  evidence: z.array(EvidenceSchema),
  acknowledged: AcknowledgementSchema.nullable(),
  /** The CAD incident number an analyst linked it to. */
  incidentNumber: z.string().nullable(),
  /** How many times the sender revised it (0: as first sent). */
  revision: z.number().int(),
});

export const AlertSchema = z.discriminatedUnion('kind', [
  AlertBase.extend({ kind: z.literal('lpr'), details: LprDetailsSchema }),
  AlertBase.extend({ kind: z.literal('gunshot'), details: GunshotDetailsSchema }),
  AlertBase.extend({ kind: z.literal('cap'), details: CapDetailsSchema }),
  AlertBase.extend({ kind: z.literal('zone'), details: ZoneDetailsSchema }),
]);
export type Alert = z.infer<typeof AlertSchema>;
export type AlertDetails = Alert['details'];

/** Severity order, lowest first: the tray sorts and filters by it. */
export function severityRank(s: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(s);
}

export const TrackPointSchema = z.object({
  at: z.string(),
  lat: z.number(),
  lon: z.number(),
  /** Degrees clockwise from north, when the sender gave one. */
  heading: z.number().nullable(),
});
export type TrackPoint = z.infer<typeof TrackPointSchema>;

/** A tracked subject's recent positions, oldest first: drawn as a line on the map. */
export const TrackSchema = z.object({
  subject: z.string(),
  /** Set when the subject is a camera that moves (a drone): its symbol moves with it. */
  cameraId: z.string().nullable(),
  source: z.object({ integrationId: z.string(), name: z.string() }),
  points: z.array(TrackPointSchema),
});
export type Track = z.infer<typeof TrackSchema>;
