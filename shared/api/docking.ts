import { z } from 'zod';
import {
  DockPresetSchema,
  DockTargetKindSchema,
  DockTargetSchema,
  MAX_DOCK_CAMERAS,
  NearestCamerasSchema,
} from '../domain/docking';
import { ViewReasonSchema } from '../domain/reasons';
import { SharingRefusalSchema, StreamGrantSchema } from './cameras';
import { assignees, defineEvent, endpoint, hostCall, serverCall } from './contract';
import { ViewRefusalSchema, ViewSchema, ViewVariantSchema } from './views';

/**
 * Docking: the nearest cameras of an incident or an alert, and putting them on the wall with
 * their grants issued at once, audited with the record's number as the reason (docs/docking.md).
 */

const TargetParams = z.object({
  kind: DockTargetKindSchema,
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'a record id'),
});

export const DockRequestSchema = z
  .object({
    /** At most this many cameras (the wall's free tiles); the agency's count otherwise. */
    max: z.number().int().min(1).max(MAX_DOCK_CAMERAS).optional(),
    variant: ViewVariantSchema.default('sub'),
  })
  .strict();

/** The docking list and a grant (or the owner's refusal, if it closed meanwhile) per camera. */
export const DockedSchema = z.object({
  nearest: NearestCamerasSchema,
  /** The reason every grant was issued for: the views renew and resume under it. */
  reason: ViewReasonSchema,
  grants: z.array(
    z.union([
      z.object({ cameraId: z.string(), grant: StreamGrantSchema }),
      z.object({ cameraId: z.string(), refused: SharingRefusalSchema }),
    ]),
  ),
});
export type Docked = z.infer<typeof DockedSchema>;

export const DOCKING_ENDPOINTS = {
  nearest: endpoint({
    method: 'GET',
    path: '/v1/docking/:kind/:id/nearest',
    access: 'streams.view',
    summary:
      "The nearest cameras of an incident or alert that may be viewed now, those that may not and why, and registered cameras' owners to contact",
    tags: ['docking'],
    params: TargetParams,
    response: NearestCamerasSchema,
    errors: [404, 409],
  }),
  dock: endpoint({
    method: 'POST',
    path: '/v1/docking/:kind/:id/dock',
    access: 'streams.view',
    summary:
      'Grant views of the nearest cameras of an incident or alert, audited with its number as the reason (the console host calls this)',
    tags: ['docking'],
    params: TargetParams,
    body: DockRequestSchema,
    response: DockedSchema,
    errors: [404, 409],
  }),
};

/** What the console gets from docking: the list, and the views the host has already started. */
export const DockResultSchema = z.object({
  nearest: NearestCamerasSchema,
  /** The reason the views were granted for (the tiles carry it). */
  reason: ViewReasonSchema,
  views: z.array(ViewSchema),
  refused: z.array(ViewRefusalSchema),
});
export type DockResult = z.infer<typeof DockResultSchema>;

export const DockArgsSchema = z
  .object({
    kind: DockTargetKindSchema,
    id: TargetParams.shape.id,
    max: z.number().int().min(1).max(MAX_DOCK_CAMERAS).optional(),
  })
  .strict();

export const DOCKING_CALLS = {
  'docking.nearest': serverCall(
    DOCKING_ENDPOINTS.nearest,
    z.object({ kind: DockTargetKindSchema, id: TargetParams.shape.id }).strict(),
  ),
  /** The host asks for the grants and starts every stream before the tiles ask for them. */
  'docking.dock': hostCall(DockArgsSchema, DockResultSchema),
};

export const DockRequestedSchema = z.object({
  target: DockTargetSchema,
  /** The automation rule that matched. */
  rule: z.string(),
  preset: DockPresetSchema,
  /** The analysts following the queue when it was decided: their consoles dock it. */
  userIds: z.array(z.string()),
  requestedAt: z.string(),
});
export type DockRequested = z.infer<typeof DockRequestedSchema>;

export const DOCKING_EVENTS = {
  'docking.requested': defineEvent(DockRequestedSchema, {
    priority: 'notable',
    audience: [assignees((p) => p.userIds)],
    describe: (p) => ({ title: 'Nearest cameras docked', body: p.target.label }),
  }),
};
