import { z } from 'zod';
import {
  AlertPositionSchema,
  AlertSchema,
  GUNSHOT_TYPES,
  TrackPointSchema,
  TrackSchema,
  type Alert,
  type GunshotType,
} from '../domain/alerts';
import { IncidentNumberSchema } from '../domain/incidents';
import { ViewReasonSchema } from '../domain/reasons';
import { defineEvent, endpoint, holders, serverCall, type EventPriority } from './contract';

/**
 * Sensor alerts and tracks: what LPR systems, gunshot sensors, CAP senders and trackers post
 * (docs/integrations.md, "Alerts and tracks"), and the console's alert tray and track lines.
 */

// ----------------------------------------------------------------------------------------------
// Ingest

const Timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with its offset' });

/** The sender's own id for a record: the key a repeat or a revision names it by. */
export const SenderIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/#@-]*$/, 'an id is letters, digits and . _ : / # @ -');

export const LprHitSchema = z.object({
  id: SenderIdSchema,
  plate: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z0-9 -]+$/, 'a plate is letters, digits, spaces and dashes'),
  state: z.string().trim().min(1).max(32).optional(),
  /** 0 to 1 (a reader that reports percent divides by 100). */
  confidence: z.number().min(0).max(1).optional(),
  reader: z.object({
    id: z.string().trim().min(1).max(128),
    position: AlertPositionSchema,
  }),
  time: Timestamp,
  hotList: z.object({
    name: z.string().trim().min(1).max(100),
    entry: z.string().trim().min(1).max(128).optional(),
    reason: z.string().trim().min(1).max(500),
  }),
  /** The plate image on the vendor's server: fetched after the hit is acknowledged. */
  imageUrl: z
    .url({ protocol: /^https?$/, message: 'an http(s) URL' })
    .max(2048)
    .optional(),
});
export type LprHit = z.infer<typeof LprHitSchema>;

/** ShotSpotter-style labels are taken too, in any case. */
const GUNSHOT_TYPE_NAMES: Readonly<Record<string, GunshotType>> = {
  single: 'single',
  single_gunshot: 'single',
  multiple: 'multiple',
  multiple_gunshots: 'multiple',
  possible_firecracker: 'possible_firecracker',
  gunshot_or_firecracker: 'possible_firecracker',
  gunshot_or_firework: 'possible_firecracker',
};

export const GunshotTypeInputSchema = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const type = GUNSHOT_TYPE_NAMES[v.trim().toLowerCase()];
    if (type) return type;
    ctx.addIssue({
      code: 'custom',
      message: `one of ${GUNSHOT_TYPES.join(', ')} (not "${v.slice(0, 40)}")`,
    });
    return z.NEVER;
  });

export const GunshotDetectionSchema = z
  .object({
    id: SenderIdSchema,
    time: Timestamp,
    position: AlertPositionSchema,
    rounds: z.number().int().min(1).max(500).optional(),
    type: GunshotTypeInputSchema.optional(),
    /** The sender's time of this revision: an older revision arriving late is not applied. */
    updatedAt: Timestamp.optional(),
  })
  .refine((d) => d.rounds !== undefined || d.type !== undefined, {
    message: 'a detection has rounds, a type, or both',
    path: ['type'],
  });
export type GunshotDetection = z.output<typeof GunshotDetectionSchema>;

/** A batch of detections (a sensor catching up): all taken, or none. */
export const GunshotBatchSchema = z.object({
  detections: z.array(GunshotDetectionSchema).min(1).max(1000),
});

export const CapBodySchema = z
  .string()
  .max(512 * 1024)
  .describe('An OASIS CAP 1.2 alert, as XML (application/cap+xml, application/xml or text/xml)');

const TrackFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({
    type: z.literal('Point'),
    coordinates: z
      .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .rest(z.number()),
  }),
  properties: z.object({
    /** Who or what is tracked, as the sender names it; a camera's id for a drone. */
    subject: z.string().trim().min(1).max(128),
    time: Timestamp,
    /** Degrees clockwise from true north. */
    heading: z.number().min(0).max(360).optional(),
  }),
});

/** Positions as a GeoJSON FeatureCollection of Points, each with its subject and time. */
export const TrackBatchSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(TrackFeatureSchema).min(1).max(5000),
});
export type TrackBatch = z.infer<typeof TrackBatchSchema>;

export const AlertAckSchema = z.object({
  alerts: z.array(
    z.object({
      id: z.string(),
      senderId: z.string(),
      created: z.boolean(),
      /** False when the post said nothing new: no event either. */
      changed: z.boolean(),
      /** Older than the revision applied: not applied. */
      stale: z.boolean(),
      outsideJurisdiction: z.boolean(),
    }),
  ),
});

export const TrackAckSchema = z.object({
  /** Points kept now (a point sent again is not kept twice). */
  added: z.number().int(),
  duplicates: z.number().int(),
  /** Zone alerts raised by this batch. */
  alerts: z.array(z.object({ id: z.string(), subject: z.string(), zoneId: z.string() })),
  /** Cameras (drones) whose position this batch moved. */
  camerasMoved: z.array(z.string()),
});

const INGEST_ERRORS = [413] as const;

export const ALERT_INGEST_ENDPOINTS = {
  lprHit: endpoint({
    method: 'POST',
    path: '/v1/ingest/lpr/hits',
    access: 'ingest:lpr',
    summary: 'A license plate reader hit on a hot list (the image is fetched afterwards)',
    tags: ['ingest'],
    body: LprHitSchema,
    response: AlertAckSchema,
    errors: [...INGEST_ERRORS],
  }),
  gunshot: endpoint({
    method: 'POST',
    path: '/v1/ingest/gunshots',
    access: 'ingest:gunshot',
    summary: 'A gunshot detection; a revision of the same id updates it',
    tags: ['ingest'],
    body: GunshotDetectionSchema,
    response: AlertAckSchema,
    errors: [...INGEST_ERRORS],
  }),
  gunshotBatch: endpoint({
    method: 'POST',
    path: '/v1/ingest/gunshots/batch',
    access: 'ingest:gunshot',
    summary: 'Up to 1000 gunshot detections: all taken, or none (each refusal named)',
    tags: ['ingest'],
    body: GunshotBatchSchema,
    response: AlertAckSchema,
    errors: [...INGEST_ERRORS],
    bodyLimit: 1024 * 1024,
  }),
  cap: endpoint({
    method: 'POST',
    path: '/v1/ingest/cap',
    access: 'ingest:cap',
    summary: 'An OASIS CAP 1.2 alert from any other sensor (XML)',
    tags: ['ingest'],
    body: CapBodySchema,
    response: AlertAckSchema,
    errors: [...INGEST_ERRORS, 415],
    bodyLimit: 512 * 1024,
  }),
  tracks: endpoint({
    method: 'POST',
    path: '/v1/ingest/tracks',
    access: 'ingest:tracks',
    summary: 'Positions of tracked subjects (GeoJSON Points with times); drones move their camera',
    tags: ['ingest'],
    body: TrackBatchSchema,
    response: TrackAckSchema,
    errors: [...INGEST_ERRORS],
    bodyLimit: 2 * 1024 * 1024,
  }),
};

// ----------------------------------------------------------------------------------------------
// The console

export const AlertListQuerySchema = z.object({
  /** Alerts received in the last hours (default 24). */
  withinHours: z.coerce.number().int().min(1).max(168).default(24),
});
export const AlertListSchema = z.object({ alerts: z.array(AlertSchema) });
const IdParams = z.object({ id: z.uuid('an alert id') });

export const AcknowledgeSchema = z.object({ note: z.string().trim().max(2000).default('') });
export const LinkIncidentSchema = z.object({ number: IncidentNumberSchema.nullable() });

export const TrackListQuerySchema = z.object({
  /** Positions of the last hours (default 2). */
  withinHours: z.coerce.number().int().min(1).max(48).default(2),
});
export const TrackListSchema = z.object({ tracks: z.array(TrackSchema) });

/**
 * An alert's evidence opened for a reason (audited like a camera view): the audited opening is
 * the grant, good for its user until `expiresAt` (docs/integrations.md, "Evidence in the console").
 */
export const AlertEvidenceGrantSchema = z.object({ alertId: z.string(), expiresAt: z.string() });
const EvidenceParams = z.object({
  id: z.uuid('an alert id'),
  /** Evidence is numbered from 1. */
  n: z.coerce.number().int().min(1).max(99),
});

export const ALERT_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/alerts',
    access: 'alerts.read',
    summary: 'Alerts received in the last hours, newest first',
    tags: ['alerts'],
    query: AlertListQuerySchema,
    response: AlertListSchema,
  }),
  acknowledge: endpoint({
    method: 'POST',
    path: '/v1/alerts/:id/acknowledgement',
    access: 'alerts.work',
    summary: 'Acknowledge an alert, with a note',
    tags: ['alerts'],
    params: IdParams,
    body: AcknowledgeSchema,
    response: AlertSchema,
    errors: [404, 409],
  }),
  linkIncident: endpoint({
    method: 'PUT',
    path: '/v1/alerts/:id/incident',
    access: 'alerts.work',
    summary: 'Link an alert to a CAD incident number (null unlinks it)',
    tags: ['alerts'],
    params: IdParams,
    body: LinkIncidentSchema,
    response: AlertSchema,
    errors: [404],
  }),
  openEvidence: endpoint({
    method: 'POST',
    path: '/v1/alerts/:id/evidence-grants',
    access: 'alerts.read',
    summary: "Open an alert's evidence (an LPR hit's plate image) for a stated reason (audited)",
    tags: ['alerts'],
    params: IdParams,
    body: z.object({ reason: ViewReasonSchema }).strict(),
    response: AlertEvidenceGrantSchema,
    status: 201,
    errors: [404],
  }),
  evidence: endpoint({
    method: 'GET',
    path: '/v1/alerts/:id/evidence/:n',
    access: 'alerts.read',
    summary: "One image of an alert's evidence, for a user who opened it within the grant's time",
    tags: ['alerts'],
    params: EvidenceParams,
    response: z.unknown(),
    errors: [404],
  }),
  tracks: endpoint({
    method: 'GET',
    path: '/v1/tracks',
    access: 'alerts.read',
    summary: 'Tracked subjects with their positions of the last hours, oldest first',
    tags: ['alerts'],
    query: TrackListQuerySchema,
    response: TrackListSchema,
  }),
};

export const ALERT_CALLS = {
  'alerts.list': serverCall(
    ALERT_ENDPOINTS.list,
    z.object({ withinHours: z.number().int().min(1).max(168).optional() }).strict(),
  ),
  'alerts.acknowledge': serverCall(
    ALERT_ENDPOINTS.acknowledge,
    z.object({ id: z.uuid(), note: z.string().trim().max(2000) }).strict(),
  ),
  'alerts.linkIncident': serverCall(
    ALERT_ENDPOINTS.linkIncident,
    z.object({ id: z.uuid(), number: IncidentNumberSchema.nullable() }).strict(),
  ),
  'alerts.openEvidence': serverCall(
    ALERT_ENDPOINTS.openEvidence,
    z.object({ id: z.uuid(), reason: ViewReasonSchema }).strict(),
  ),
  'alerts.tracks': serverCall(
    ALERT_ENDPOINTS.tracks,
    z.object({ withinHours: z.number().int().min(1).max(48).optional() }).strict(),
  ),
};

// ----------------------------------------------------------------------------------------------
// Events

const AlertRaisedSchema = z.object({ alert: AlertSchema });
const AlertUpdatedSchema = z.object({
  alert: AlertSchema,
  /** What changed: `revision`, `severity`, `acknowledged`, `incident`, `evidence`. */
  changed: z.array(z.string()),
  /** A revision made it one of the urgent kinds (a single shot revised to several). */
  escalated: z.boolean(),
});

const announced = (a: Alert) => !a.outsideJurisdiction && !a.late;

/** Urgent for the kinds the agency marks urgent; quiet outside the city or long after the fact. */
function raisedPriority(p: z.output<typeof AlertRaisedSchema>): EventPriority {
  if (!announced(p.alert)) return 'routine';
  return p.alert.urgent ? 'urgent' : 'notable';
}

function updatedPriority(p: z.output<typeof AlertUpdatedSchema>): EventPriority {
  return p.escalated && p.alert.urgent && announced(p.alert) ? 'urgent' : 'routine';
}

const KIND_LABELS: Readonly<Record<Alert['kind'], string>> = {
  lpr: 'LPR hit',
  gunshot: 'Gunshot',
  cap: 'Sensor alert',
  zone: 'Zone entry',
};

const describeAlert = ({ alert: a }: { readonly alert: Alert }) => ({
  title: `${KIND_LABELS[a.kind]}: ${a.title}`,
  body: `${a.severity} · ${a.source.name}`,
});

export const TrackExtendedSchema = z.object({
  subject: z.string(),
  cameraId: z.string().nullable(),
  source: z.object({ integrationId: z.string(), name: z.string() }),
  /** The points this batch added, oldest first. */
  points: z.array(TrackPointSchema),
});

export const CameraMovedSchema = z.object({
  cameraId: z.string(),
  lat: z.number(),
  lon: z.number(),
  heading: z.number().nullable(),
  at: z.string(),
});

export const ALERT_EVENTS = {
  'alert.raised': defineEvent(AlertRaisedSchema, {
    priority: 'urgent',
    priorityFor: raisedPriority,
    audience: [holders('alerts.read')],
    describe: describeAlert,
  }),
  'alert.updated': defineEvent(AlertUpdatedSchema, {
    priority: 'urgent',
    priorityFor: updatedPriority,
    audience: [holders('alerts.read')],
    describe: describeAlert,
  }),
  'track.extended': defineEvent(TrackExtendedSchema, {
    priority: 'routine',
    audience: [holders('alerts.read')],
  }),
  /** A camera that moves (a drone) reported where it is: its map symbol follows. */
  'camera.moved': defineEvent(CameraMovedSchema, {
    priority: 'routine',
    audience: [holders('cameras.read')],
  }),
};
