import { z } from 'zod';
import { CameraSchema, LatitudeSchema, LongitudeSchema } from './cameras';
import { WallGridSchema } from './layouts';

/**
 * Docking: the nearest cameras of an incident or an alert put on an analyst's wall
 * (docs/docking.md). A target is whatever has a position and a number to give as the reason's
 * reference; each kind of record resolves its own.
 */
export const DOCK_TARGET_KINDS = ['incident', 'alert'] as const;
export const DockTargetKindSchema = z.enum(DOCK_TARGET_KINDS);
export type DockTargetKind = z.infer<typeof DockTargetKindSchema>;

export const DockPointSchema = z.object({ lat: LatitudeSchema, lng: LongitudeSchema });

export const DockTargetSchema = z.object({
  kind: DockTargetKindSchema,
  id: z.string(),
  position: DockPointSchema,
  /** The incident or alert number: the views' reason reference. */
  reference: z.string(),
  /** A line for the operator: "P1 Shots fired, 100 N Main St". */
  label: z.string(),
});
export type DockTarget = z.infer<typeof DockTargetSchema>;

export const MAX_DOCK_CAMERAS = 16;
export const MAX_DOCK_RADIUS_M = 2000;

/** How many cameras and how far, for one kind of target. */
export const DockReachSchema = z.object({
  count: z.number().int().min(1).max(MAX_DOCK_CAMERAS).default(4),
  radiusM: z.number().positive().max(MAX_DOCK_RADIUS_M).default(300),
});
export type DockReach = z.infer<typeof DockReachSchema>;

/** Fit: the smallest of 2x2, 3x3 and 4x4 that holds the pinned tiles and the cameras. */
export const DockPresetSchema = z.union([z.literal('fit'), WallGridSchema]);
export type DockPreset = z.infer<typeof DockPresetSchema>;

/** Which incidents dock by themselves: every condition given must hold. */
export const IncidentDockRuleSchema = z.object({
  name: z.string().trim().min(1).max(80),
  target: z.literal('incident'),
  /** Priorities that dock; none: any. */
  priorities: z.array(z.number().int().min(1).max(9)).max(9).default([]),
  /** CAD call-type codes that dock (without regard to case); none: any. */
  callTypes: z.array(z.string().trim().min(1).max(32)).max(500).default([]),
  /** Only calls the center works (agency incident policy), which also excludes those outside. */
  workedOnly: z.boolean().default(true),
  preset: DockPresetSchema.default('fit'),
});

/**
 * Which alerts dock by themselves. Alerts name their kind (`gunshot`, `lpr`, ...) and may carry
 * tags (an LPR hit's hot list, e.g. `violent-felony`); none given: any.
 */
export const AlertDockRuleSchema = z.object({
  name: z.string().trim().min(1).max(80),
  target: z.literal('alert'),
  alertKinds: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
  tags: z.array(z.string().trim().min(1).max(80)).max(200).default([]),
  preset: DockPresetSchema.default('fit'),
});

export const DockRuleSchema = z.discriminatedUnion('target', [
  IncidentDockRuleSchema,
  AlertDockRuleSchema,
]);
export type DockRule = z.infer<typeof DockRuleSchema>;

/** Agency configuration: reach per kind of target and the automation rules. */
export const DockingSettingsSchema = z.object({
  reach: z
    .object({
      incident: DockReachSchema.default({ count: 4, radiusM: 300 }),
      alert: DockReachSchema.default({ count: 4, radiusM: 300 }),
    })
    .default({ incident: { count: 4, radiusM: 300 }, alert: { count: 4, radiusM: 300 } }),
  rules: z.array(DockRuleSchema).max(100).default([]),
});
export type DockingSettings = z.infer<typeof DockingSettingsSchema>;

export const DEFAULT_DOCKING: DockingSettings = {
  reach: { incident: { count: 4, radiusM: 300 }, alert: { count: 4, radiusM: 300 } },
  rules: [],
};

/** A camera near the target, as the docking list shows it. */
export const NearCameraSchema = z.object({
  camera: CameraSchema,
  distanceM: z.number(),
  /** The point is inside the camera's cone (bearing, field of view, range). */
  seesPoint: z.boolean(),
});
export type NearCamera = z.infer<typeof NearCameraSchema>;

/** The docking list: what goes on the wall, what does not and why, and owners to contact. */
export const NearestCamerasSchema = z.object({
  target: DockTargetSchema,
  reach: DockReachSchema,
  /** In rank order: cameras that see the point first, then by distance. */
  docked: z.array(NearCameraSchema),
  /** Cameras with a feed that may not be viewed now, each with the owner's reason. */
  notDocked: z.array(
    NearCameraSchema.extend({
      reason: z.string(),
      /** When the owner's policy next allows it, if it can tell. */
      nextOpen: z.string().nullable(),
    }),
  ),
  /** Registered cameras (a location only): owners to contact for footage. */
  ownersToContact: z.array(NearCameraSchema),
});
export type NearestCameras = z.infer<typeof NearestCamerasSchema>;
