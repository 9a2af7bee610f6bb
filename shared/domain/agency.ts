import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';
import { DEFAULT_TIP_LINE, TipLineSettingsSchema } from './tips';
import { ScheduleWindowSchema } from './sharingPolicy';
import { DEFAULT_DOCKING, DockingSettingsSchema } from './docking';

const Position = z.tuple([LongitudeSchema, LatitudeSchema]);
const Ring = z.array(Position).min(4, 'a polygon ring has at least 4 positions');

export const JurisdictionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/**
 * Which CAD incidents the center follows. A worked incident's opening is announced (urgent at
 * priority 1); the others are kept on the board, quietly. Incidents farther than the buffer
 * outside the jurisdiction are kept, marked outside, and never announced.
 */
export const IncidentPolicySchema = z.object({
  workedPriorities: z.array(z.number().int().min(1).max(9)).max(9),
  /** CAD call-type codes followed whatever their priority (compared without regard to case). */
  workedCallTypes: z.array(z.string().trim().min(1).max(32)).max(500),
  /**
   * When the center follows calls, as weekly windows in the agency's time zone (a call counts by
   * when the CAD received it). None: at all hours.
   */
  workedHours: z.array(ScheduleWindowSchema).max(50).default([]),
  jurisdictionBufferM: z.number().min(0).max(50_000),
});
export type IncidentPolicy = z.infer<typeof IncidentPolicySchema>;

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  workedPriorities: [1, 2],
  workedCallTypes: [],
  workedHours: [],
  jurisdictionBufferM: 1000,
};

/** One agency's settings: everything agency-specific lives here, not in code. */
export const AgencyConfigSchema = z.object({
  name: z.string().min(1).max(200),
  shortName: z.string().min(1).max(40),
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as America/New_York'),
  jurisdiction: JurisdictionSchema,
  /** True when the boundary is drawn by hand rather than taken from official data. */
  jurisdictionApproximate: z.boolean().default(false),
  map: z.object({
    center: z.tuple([LatitudeSchema, LongitudeSchema]),
    zoom: z.number().min(1).max(20),
  }),
  /** Whether everything in this site is synthetic (the demo). */
  demo: z.boolean().default(false),
  /** The anonymous text tip line's staffed hours and automatic texts (docs/tip-line.md). */
  tipLine: TipLineSettingsSchema.default(DEFAULT_TIP_LINE),
  incidents: IncidentPolicySchema.default(DEFAULT_INCIDENT_POLICY),
  /** How many cameras docking puts up and how far, and what docks by itself (docs/docking.md). */
  docking: DockingSettingsSchema.default(DEFAULT_DOCKING),
});
export type AgencyConfig = z.infer<typeof AgencyConfigSchema>;
