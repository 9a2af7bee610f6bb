import { z } from 'zod';
import {
  IncidentDetailSchema,
  IncidentLinkKindSchema,
  IncidentLinkSchema,
  IncidentNoteSchema,
  IncidentNumberSchema,
  IncidentPositionSchema,
  IncidentSchema,
  IncidentStatusSchema,
  IncidentUnitSchema,
} from '../domain/incidents';
import { defineEvent, endpoint, holders, serverCall, type EventPriority } from './contract';

/**
 * Incidents: what the center's CAD posts (native JSON, snapshots of the open list, NENA EIDO)
 * and what the console reads and adds (notes, links). docs/integrations.md has the ingest rules.
 */

// ----------------------------------------------------------------------------------------------
// Ingest (integration keys of scope "cad")

const Timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with its offset' });

export const CadIncidentSchema = z.object({
  number: IncidentNumberSchema,
  callType: z.object({
    code: z.string().trim().min(1).max(32),
    text: z.string().trim().min(1).max(200),
  }),
  priority: z.number().int().min(1).max(9),
  status: IncidentStatusSchema,
  location: z
    .object({
      address: z.string().trim().min(1).max(300).optional(),
      position: IncidentPositionSchema.optional(),
    })
    .refine((l) => l.address !== undefined || l.position !== undefined, {
      message: 'a location has an address, a position or both',
    }),
  receivedAt: Timestamp,
  /** The CAD's time of this state: a post older than the last one applied is not applied. */
  updatedAt: Timestamp.optional(),
  units: z.array(IncidentUnitSchema).max(100).default([]),
  /** Appended: a line already kept (same time, author and text) is not added twice. */
  narrative: z
    .array(
      z.object({
        at: Timestamp,
        author: z.string().trim().min(1).max(100),
        text: z.string().trim().min(1).max(4000),
      }),
    )
    .max(500)
    .default([]),
});
export type CadIncident = z.infer<typeof CadIncidentSchema>;

/** What an ingest answers, once the change has committed. */
export const IngestAckSchema = z.object({
  incidents: z.array(
    z.object({
      number: z.string(),
      id: z.string(),
      created: z.boolean(),
      /** False when the post said nothing new (the same body again): no event either. */
      changed: z.boolean(),
      /** True when the post was older than the state already applied: only narrative kept. */
      stale: z.boolean(),
      outsideJurisdiction: z.boolean(),
      needsPlacement: z.boolean(),
    }),
  ),
});

export const ActiveIncidentsSchema = z.object({
  open: z.array(IncidentNumberSchema).max(10_000),
});
export const ReconciledSchema = z.object({
  closed: z.array(z.string()),
  /** Numbers in the list that Watchfloor has never been sent. */
  unknown: z.array(z.string()),
});

const EidoText = z.string().max(4000);
const EidoTime = z.string().max(64);
const EidoRef = z.union([z.string().max(200), z.object({ $ref: z.string().max(200) })]);
const oneOrMany = <S extends z.ZodType>(s: S) => z.union([s, z.array(s).max(200)]);

const EidoComponentBase = {
  $id: z.string().max(200).optional(),
  componentIdentifier: z.string().max(200).optional(),
  lastUpdateTimeStamp: EidoTime.optional(),
  lastUpdateTimestamp: EidoTime.optional(),
};

export const EidoIncidentComponentSchema = z.object({
  ...EidoComponentBase,
  incidentTrackingIdentifier: z.string().max(64).optional(),
  incidentTypeCommonRegistryText: oneOrMany(EidoText).optional(),
  incidentTypeLocalRegistryText: oneOrMany(EidoText).optional(),
  incidentStatusCommonRegistryText: oneOrMany(EidoText).optional(),
  incidentPriority: z.union([z.number(), z.string().max(8)]).optional(),
  incidentCreationTimeStamp: EidoTime.optional(),
  locationReference: oneOrMany(EidoRef).optional(),
});

export const EidoLocationComponentSchema = z.object({
  ...EidoComponentBase,
  /** PIDF-LO, as XML text. */
  locationByValue: z
    .string()
    .max(64 * 1024)
    .optional(),
  locationAddressText: EidoText.optional(),
  civicAddressText: EidoText.optional(),
});

export const EidoNoteComponentSchema = z.object({
  ...EidoComponentBase,
  noteText: oneOrMany(EidoText).optional(),
  notesActionComments: oneOrMany(EidoText).optional(),
  noteDateTimeStamp: EidoTime.optional(),
  authorReference: EidoRef.optional(),
  incidentReference: EidoRef.optional(),
});

export const EidoDispatchComponentSchema = z.object({
  ...EidoComponentBase,
  unitIdentifier: z.string().max(32).optional(),
  unitStatusCommonRegistryText: z.string().max(40).optional(),
  incidentReference: EidoRef.optional(),
});

export const EidoCallComponentSchema = z.object({
  ...EidoComponentBase,
  callStartTimeStamp: EidoTime.optional(),
});

export const EidoAgencyComponentSchema = z.object({
  ...EidoComponentBase,
  agencyName: z.string().max(200).optional(),
});

/** NENA's Emergency Incident Data Object (NENA-STA-021), the parts Watchfloor reads. */
export const EidoMessageSchema = z.object({
  $id: z.string().max(200).optional(),
  eidoMessageIdentifier: z.string().max(200).optional(),
  lastUpdateTimeStamp: EidoTime.optional(),
  lastUpdateTimestamp: EidoTime.optional(),
  incidentComponent: oneOrMany(EidoIncidentComponentSchema),
  callComponent: oneOrMany(EidoCallComponentSchema).optional(),
  locationComponent: oneOrMany(EidoLocationComponentSchema).optional(),
  notesComponent: oneOrMany(EidoNoteComponentSchema).optional(),
  dispatchComponent: oneOrMany(EidoDispatchComponentSchema).optional(),
  agencyComponent: oneOrMany(EidoAgencyComponentSchema).optional(),
});
export type EidoMessage = z.infer<typeof EidoMessageSchema>;

/**
 * The EIDO endpoint's body as the route declares it: any JSON object, checked against
 * EidoMessageSchema by the handler. EIDO's own `$id` and `$ref` members cannot be described as
 * properties in an OpenAPI document (JSON Schema reserves both names).
 */
export const EidoBodySchema = z
  .looseObject({})
  .describe('A NENA EIDO (NENA-STA-021) as JSON; docs/integrations.md lists the fields read');

const INGEST_ERRORS = [413] as const;

export const INCIDENT_INGEST_ENDPOINTS = {
  cadIncident: endpoint({
    method: 'POST',
    path: '/v1/ingest/cad/incidents',
    access: 'ingest:cad',
    summary: 'Create or update one incident, keyed by its CAD number (native JSON)',
    tags: ['ingest'],
    body: CadIncidentSchema,
    response: IngestAckSchema,
    errors: [...INGEST_ERRORS],
  }),
  cadActive: endpoint({
    method: 'PUT',
    path: '/v1/ingest/cad/active',
    access: 'ingest:cad',
    summary: 'The CAD numbers open now: every other open incident is closed',
    tags: ['ingest'],
    body: ActiveIncidentsSchema,
    response: ReconciledSchema,
    errors: [...INGEST_ERRORS],
  }),
  cadEido: endpoint({
    method: 'POST',
    path: '/v1/ingest/cad/eido',
    access: 'ingest:cad',
    summary: 'Create or update incidents from a NENA EIDO (NENA-STA-021, JSON)',
    tags: ['ingest'],
    body: EidoBodySchema,
    response: IngestAckSchema,
    errors: [...INGEST_ERRORS],
    bodyLimit: 1024 * 1024,
  }),
};

// ----------------------------------------------------------------------------------------------
// The console

export const IncidentListQuerySchema = z.object({
  /** Closed incidents are listed this many hours after closing (default 12). */
  closedWithinHours: z.coerce.number().int().min(0).max(72).default(12),
});
export const IncidentListSchema = z.object({ incidents: z.array(IncidentSchema) });
const IdParams = z.object({ id: z.uuid('an incident id') });

export const NewNoteSchema = z.object({ text: z.string().trim().min(1).max(4000) });
export const NewLinkSchema = z.object({
  kind: IncidentLinkKindSchema,
  ref: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
      'a tip or case reference is letters, digits, . _ : / -',
    ),
});

/** One camera view granted for this incident: the analyst gave its number as the reason's reference. */
export const IncidentCameraViewSchema = z.object({
  at: z.string(),
  cameraId: z.string(),
  /** The camera's name now; null when the camera is no longer on file. */
  cameraName: z.string().nullable(),
  viewer: z.string().nullable(),
  reason: z.string(),
  access: z.string().nullable(),
});
export type IncidentCameraView = z.infer<typeof IncidentCameraViewSchema>;
export const IncidentCameraViewsSchema = z.object({ views: z.array(IncidentCameraViewSchema) });

export const INCIDENT_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/incidents',
    access: 'incidents.read',
    summary: 'Open incidents, and those closed in the last hours',
    tags: ['incidents'],
    query: IncidentListQuerySchema,
    response: IncidentListSchema,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/incidents/:id',
    access: 'incidents.read',
    summary: 'One incident with its timeline: status changes, narrative, units, notes, links',
    tags: ['incidents'],
    params: IdParams,
    response: IncidentDetailSchema,
    errors: [404],
  }),
  views: endpoint({
    method: 'GET',
    path: '/v1/incidents/:id/views',
    access: 'incidents.read',
    summary:
      "The camera views granted for this incident (the audit trail's views whose reason names its number)",
    tags: ['incidents'],
    params: IdParams,
    response: IncidentCameraViewsSchema,
    errors: [404],
  }),
  addNote: endpoint({
    method: 'POST',
    path: '/v1/incidents/:id/notes',
    access: 'incidents.work',
    summary: "Add an analyst's note to an incident",
    tags: ['incidents'],
    params: IdParams,
    body: NewNoteSchema,
    response: IncidentNoteSchema,
    status: 201,
    errors: [404],
  }),
  link: endpoint({
    method: 'POST',
    path: '/v1/incidents/:id/links',
    access: 'incidents.work',
    summary: 'Link a tip or a case to an incident (by its reference)',
    tags: ['incidents'],
    params: IdParams,
    body: NewLinkSchema,
    response: IncidentLinkSchema,
    errors: [404],
  }),
};

export const INCIDENT_CALLS = {
  'incidents.list': serverCall(
    INCIDENT_ENDPOINTS.list,
    z.object({ closedWithinHours: z.number().int().min(0).max(72).optional() }).strict(),
  ),
  'incidents.get': serverCall(INCIDENT_ENDPOINTS.get, z.object({ id: z.uuid() }).strict()),
  'incidents.views': serverCall(INCIDENT_ENDPOINTS.views, z.object({ id: z.uuid() }).strict()),
  'incidents.addNote': serverCall(
    INCIDENT_ENDPOINTS.addNote,
    z.object({ id: z.uuid(), text: NewNoteSchema.shape.text }).strict(),
  ),
  'incidents.link': serverCall(
    INCIDENT_ENDPOINTS.link,
    z.object({ id: z.uuid(), kind: IncidentLinkKindSchema, ref: NewLinkSchema.shape.ref }).strict(),
  ),
};

// ----------------------------------------------------------------------------------------------
// Events

const IncidentEventSchema = z.object({ incident: IncidentSchema });
const IncidentUpdatedSchema = z.object({
  incident: IncidentSchema,
  /** What changed: incident fields by name, and `narrative`, `notes`, `links`. */
  changed: z.array(z.string()),
});

/** A call the center works is announced; priority 1 urgently; the others arrive quietly. */
function openedPriority(p: z.output<typeof IncidentEventSchema>): EventPriority {
  if (!p.incident.worked) return 'routine';
  return p.incident.priority === 1 ? 'urgent' : 'notable';
}

const where = (i: { address: string | null; needsPlacement: boolean }) =>
  i.address ?? (i.needsPlacement ? 'location to be placed' : 'position only');

export const INCIDENT_EVENTS = {
  'incident.opened': defineEvent(IncidentEventSchema, {
    priority: 'urgent',
    priorityFor: openedPriority,
    audience: [holders('incidents.read')],
    describe: ({ incident: i }) => ({
      title: `P${i.priority ?? '?'} ${i.callType.text}`,
      body: `${where(i)} (CAD ${i.number})`,
    }),
  }),
  'incident.updated': defineEvent(IncidentUpdatedSchema, {
    priority: 'routine',
    audience: [holders('incidents.read')],
  }),
  'incident.closed': defineEvent(IncidentEventSchema, {
    priority: 'routine',
    audience: [holders('incidents.read')],
  }),
};
