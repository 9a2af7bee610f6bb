import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';

/**
 * Incidents in progress, as the center's CAD reports them (docs/integrations.md). The CAD is
 * the source of truth for everything but the center's own notes and links.
 */

export const INCIDENT_STATUSES = [
  'pending',
  'dispatched',
  'en_route',
  'on_scene',
  'cleared',
  'closed',
] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** The CAD's own number for an incident: the key every update and snapshot names it by. */
export const IncidentNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'an incident number is letters, digits and . _ : / -');

export const IncidentPositionSchema = z.object({ lat: LatitudeSchema, lon: LongitudeSchema });
export type IncidentPosition = z.infer<typeof IncidentPositionSchema>;

export const IncidentUnitSchema = z.object({
  id: z.string().trim().min(1).max(32),
  status: z.string().trim().min(1).max(40),
});
export type IncidentUnit = z.infer<typeof IncidentUnitSchema>;

/** An incident as the board and the map show it. */
export const IncidentSchema = z.object({
  id: z.string(),
  number: z.string(),
  callType: z.object({ code: z.string(), text: z.string() }),
  /** 1 is the most urgent; null when the CAD sent none. */
  priority: z.number().int().nullable(),
  status: IncidentStatusSchema,
  address: z.string().nullable(),
  position: IncidentPositionSchema.nullable(),
  /** Metres of uncertainty around the position, when the CAD gave a circle. */
  radiusM: z.number().nullable(),
  /** No position came with it: an analyst places it on the map. */
  needsPlacement: z.boolean(),
  /** Outside the jurisdiction and its buffer: kept, never alerted. */
  outsideJurisdiction: z.boolean(),
  /** One of the calls the center follows (agency configuration): its opening is announced. */
  worked: z.boolean(),
  units: z.array(IncidentUnitSchema),
  receivedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Incident = z.infer<typeof IncidentSchema>;

export const NarrativeLineSchema = z.object({
  at: z.string(),
  author: z.string(),
  text: z.string(),
});

export const IncidentNoteSchema = z.object({
  id: z.string(),
  at: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string(),
  text: z.string(),
});
export type IncidentNote = z.infer<typeof IncidentNoteSchema>;

export const INCIDENT_LINK_KINDS = ['tip', 'case'] as const;
export const IncidentLinkKindSchema = z.enum(INCIDENT_LINK_KINDS);
/**
 * What an incident lists as linked: the tips and cases linked from it, and the tips and alerts
 * whose own record names its number (linked from the Tips panel or the alert tray).
 */
export const LINKED_RECORD_KINDS = ['tip', 'case', 'alert'] as const;

/** A reference to a tip or a case, kept as the reference itself (the record may live elsewhere). */
export const IncidentLinkSchema = z.object({
  kind: z.enum(LINKED_RECORD_KINDS),
  ref: z.string(),
  linkedAt: z.string(),
  linkedBy: z.string(),
});
export type IncidentLink = z.infer<typeof IncidentLinkSchema>;

export const StatusChangeSchema = z.object({ at: z.string(), status: IncidentStatusSchema });

/** One incident with everything that happened to it, oldest first. */
export const IncidentDetailSchema = IncidentSchema.extend({
  statusChanges: z.array(StatusChangeSchema),
  narrative: z.array(NarrativeLineSchema),
  notes: z.array(IncidentNoteSchema),
  links: z.array(IncidentLinkSchema),
});
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;
