import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';
import { DEFAULT_TIP_LINE, TipLineSettingsSchema } from './tips';
import { ClockTimeSchema, ScheduleWindowSchema } from './sharingPolicy';
import { DEFAULT_DOCKING, DockingSettingsSchema } from './docking';
import { ALERT_SEVERITIES, GunshotTypeSchema } from './alerts';
import { IdleLockMinutesSchema, MAX_IDLE_LOCK_MINUTES } from './idleLock';
import { DEFAULT_RETENTION, RetentionSettingsSchema } from './retention';
import { AuditFlagSettingsSchema, DEFAULT_AUDIT_FLAG_SETTINGS } from './auditFlags';
import { PortalSettingsSchema } from './portal';
import { OnlineReportSettingsSchema } from './onlineReports';

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

/**
 * An exclusion zone: a tracked subject entering it raises a zone alert (a protected person's
 * home, a school). Entering, not being inside: one alert per entry.
 */
export const ExclusionZoneSchema = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'a zone id is letters, digits and . _ : -'),
  name: z.string().trim().min(1).max(200),
  /** The subjects the zone is for (as the tracking integration names them); none: everyone. */
  subjects: z.array(z.string().trim().min(1).max(128)).max(1000).default([]),
  /** A Polygon or MultiPolygon, [longitude, latitude] as GeoJSON has it. */
  geometry: JurisdictionSchema,
});
export type ExclusionZone = z.infer<typeof ExclusionZoneSchema>;

/**
 * Which sensor alerts are urgent (a desktop notification) for this agency; the others are
 * notable (a notice in the console). Alerts outside the jurisdiction, or received long after
 * they happened, are never announced.
 */
export const AlertPolicySchema = z.object({
  urgentGunshotTypes: z.array(GunshotTypeSchema).max(3).default(['multiple']),
  /** Hot-list names whose hits are urgent (compared without regard to case). */
  urgentHotLists: z.array(z.string().trim().min(1).max(100)).max(100).default(['violent-felony']),
  urgentZoneEntries: z.boolean().default(true),
  urgentCapSeverities: z.array(z.enum(ALERT_SEVERITIES)).max(5).default(['extreme']),
  /** An alert received more than this many minutes after it happened is kept, not announced. */
  announceWithinMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /**
   * Detections older than this many days when received are refused: a sensor's clock gone
   * wrong, or a record from another system.
   */
  maxAgeDays: z.number().int().min(1).max(36_500).default(30),
  /**
   * A position farther than this from the jurisdiction is refused as a mistake (a longitude
   * without its sign) rather than kept as outside.
   */
  plausibleRangeKm: z.number().min(1).max(20_000).default(100),
  exclusionZones: z.array(ExclusionZoneSchema).max(500).default([]),
  /**
   * Per integration (by name), the one origin its images may come from over http or from a
   * private address (a vendor's server on the agency's network). Any other image address must
   * be https on a public address.
   */
  // Kept as written (an agency's settings are read back as saved): the origin is taken where it
  // is used (mediaOriginFor).
  mediaOrigins: z.record(z.string().max(64), z.url({ protocol: /^https?$/ })).default({}),
});
export type AlertPolicy = z.infer<typeof AlertPolicySchema>;

/** The one origin an integration's images may come from over http or a private address. */
export function mediaOriginFor(policy: AlertPolicy, integrationName: string): string | null {
  const configured = policy.mediaOrigins[integrationName];
  return configured === undefined ? null : new URL(configured).origin;
}
export const DEFAULT_ALERT_POLICY: AlertPolicy = AlertPolicySchema.parse({});

/**
 * A watch: the center's day is cut into named shifts in the agency's time zone. Each starts at
 * its `start` and runs until the next shift's start; together they cover the day.
 */
export const ShiftSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 .'-]*$/, "a shift name is letters, digits, spaces and . ' -"),
  start: ClockTimeSchema,
});
export type Shift = z.infer<typeof ShiftSchema>;

export const ShiftsSchema = z
  .array(ShiftSchema)
  .min(1, 'the day has at least one shift')
  .max(6)
  .refine((list) => new Set(list.map((s) => s.start)).size === list.length, {
    message: 'two shifts start at the same time',
  })
  .refine(
    (list) => new Set(list.map((s) => s.name.toLowerCase())).size === list.length,
    'two shifts have the same name',
  );

export const DEFAULT_SHIFTS: Shift[] = [
  { name: 'Day', start: '06:00' },
  { name: 'Night', start: '18:00' },
];

/**
 * How the agency numbers its cases: `{yyyy}` (the year the case opens, in the agency's time
 * zone), `{yy}`, and `{seq:N}` (a counter that restarts each year, padded to N digits); any other
 * characters are kept as written. `{yyyy}-{seq:6}` gives 2026-004512.
 */
export const CaseNumberFormatSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9{}:-]+$/, 'a case number format is letters, digits, dashes and {} fields')
  .refine(
    (format) => /\{seq:[1-9]\}/.test(format),
    'a case number format has one {seq:N} field (N from 1 to 9 digits)',
  )
  .refine(
    (format) => format.replace(/\{(yyyy|yy|seq:[1-9])\}/g, '').match(/[{}]/) === null,
    'a case number format knows only {yyyy}, {yy} and {seq:N}',
  );

export const CaseSettingsSchema = z.object({
  numberFormat: CaseNumberFormatSchema.default('{yyyy}-{seq:6}'),
});
export type CaseSettings = z.infer<typeof CaseSettingsSchema>;

/** What the center's products (assist reports, bulletins, shift reports) carry on every page. */
export const ProductSettingsSchema = z.object({
  /** The handling line printed at the top and bottom of every page. */
  classification: z.string().trim().min(1).max(120).default('LAW ENFORCEMENT SENSITIVE'),
});
export type ProductSettings = z.infer<typeof ProductSettingsSchema>;

/** A logo as a PNG or JPEG data URL (at most about 256 KB), for products and the portal. */
export const LogoSchema = z
  .string()
  .max(350_000, 'a logo is at most about 256 KB')
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/, 'a logo is a PNG or JPEG data URL');

/** Where the map opens. */
export const MapSettingsSchema = z.object({
  center: z.tuple([LatitudeSchema, LongitudeSchema]),
  zoom: z.number().min(1).max(20),
});
export type MapSettings = z.infer<typeof MapSettingsSchema>;

/**
 * The agency's session policy. The idle lock is capped by the schema at 30 minutes (CJIS 5.5.5):
 * no setting can lengthen it; a deployment's environment (WF_SESSION_IDLE_MINUTES on the server,
 * WF_IDLE_LOCK_MINUTES on a console host) and a person's own choice may only shorten it.
 */
export const AgencySessionSchema = z.object({
  idleLockMinutes: IdleLockMinutesSchema.default(MAX_IDLE_LOCK_MINUTES),
});
export type AgencySession = z.infer<typeof AgencySessionSchema>;

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
  map: MapSettingsSchema,
  /** Whether everything in this site is synthetic (the demo). */
  demo: z.boolean().default(false),
  /** The anonymous text tip line's staffed hours and automatic texts (docs/tip-line.md). */
  tipLine: TipLineSettingsSchema.default(DEFAULT_TIP_LINE),
  incidents: IncidentPolicySchema.default(DEFAULT_INCIDENT_POLICY),
  /** How many cameras docking puts up and how far, and what docks by itself (docs/docking.md). */
  docking: DockingSettingsSchema.default(DEFAULT_DOCKING),
  alerts: AlertPolicySchema.default(DEFAULT_ALERT_POLICY),
  logo: LogoSchema.optional(),
  shifts: ShiftsSchema.default(DEFAULT_SHIFTS),
  cases: CaseSettingsSchema.default(CaseSettingsSchema.parse({})),
  products: ProductSettingsSchema.default(ProductSettingsSchema.parse({})),
  session: AgencySessionSchema.default({ idleLockMinutes: MAX_IDLE_LOCK_MINUTES }),
  /** How long each kind of data is kept before the purge removes it (docs/retention.md). */
  retention: RetentionSettingsSchema.default(DEFAULT_RETENTION),
  /** The audit review's flag thresholds (docs/audit-review.md). */
  auditFlags: AuditFlagSettingsSchema.default(DEFAULT_AUDIT_FLAG_SETTINGS),
  /** The public portal's colour and texts (docs/portal.md). */
  portal: PortalSettingsSchema.default(PortalSettingsSchema.parse({})),
  /** What the public may report through the portal, and the review clock (docs/online-reports.md). */
  onlineReports: OnlineReportSettingsSchema.default(OnlineReportSettingsSchema.parse({})),
});
export type AgencyConfig = z.infer<typeof AgencyConfigSchema>;
