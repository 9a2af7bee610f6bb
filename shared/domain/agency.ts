import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';
import { DEFAULT_TIP_LINE, TipLineSettingsSchema } from './tips';

const Position = z.tuple([LongitudeSchema, LatitudeSchema]);
const Ring = z.array(Position).min(4, 'a polygon ring has at least 4 positions');

export const JurisdictionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

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
});
export type AgencyConfig = z.infer<typeof AgencyConfigSchema>;
