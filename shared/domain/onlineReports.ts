import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';
import { PhoneSchema, RegistrationEmailSchema } from './portal';

/**
 * Online self-reports (docs/online-reports.md): what the public may report through the portal,
 * who may, and the review clock. The rules are agency configuration (the `onlineReports`
 * section); the server checks every submission with these schemas.
 */

/** What a category asks for beyond the common fields. */
export const REPORT_DETAILS = ['property', 'vehicle', 'caseNumber'] as const;
export type ReportDetail = (typeof REPORT_DETAILS)[number];

export const ReportCategorySchema = z
  .object({
    /** A short stable key: it is stored with each report. */
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a key is lowercase letters, digits and _ (at most 40)'),
    label: z.string().trim().min(1).max(120),
    /** Extra fields the form asks for: stolen property, a vehicle, the case a supplement adds to. */
    asks: z.array(z.enum(REPORT_DETAILS)).max(3).default([]),
  })
  .strict();
export type ReportCategory = z.infer<typeof ReportCategorySchema>;

const cat = (key: string, label: string, asks: ReportDetail[] = []): ReportCategory => ({
  key,
  label,
  asks,
});

/** The categories a city police department commonly takes online (the demo's list). */
export const DEFAULT_REPORT_CATEGORIES: readonly ReportCategory[] = [
  cat('communicating_threats', 'Communicating threats'),
  cat(
    'custody_violation',
    'Court-ordered custody agreement violation (civil custody orders excluded)',
  ),
  cat('fraud', 'Fraud', ['property']),
  cat('harassment', 'Harassment'),
  cat('identity_theft', 'Identity theft'),
  cat('littering', 'Littering'),
  cat('lost_property', 'Lost property', ['property']),
  cat('neighborhood_dispute', 'Neighborhood dispute'),
  cat('shoplifting', 'Shoplifting (suspect not in custody)', ['property']),
  cat('supplemental', 'Supplemental report (adds to an existing case)', ['caseNumber']),
  cat('theft_from_vehicle', 'Theft from a motor vehicle', ['property', 'vehicle']),
  cat('theft_of_property', 'Theft of property', ['property']),
  cat('traffic_complaint', 'Traffic complaint', ['vehicle']),
  cat('trespass', 'Trespass'),
  cat('vandalism', 'Vandalism', ['property']),
  cat('vehicle_tampering', 'Vehicle tampering', ['vehicle']),
];

const Text = (max: number) => z.string().trim().min(1).max(max);

export const OnlineReportSettingsSchema = z
  .object({
    /** Whether the portal takes reports at all. */
    enabled: z.boolean().default(true),
    categories: z
      .array(ReportCategorySchema)
      .min(1)
      .max(40)
      .refine((c) => new Set(c.map((x) => x.key)).size === c.length, 'category keys are distinct')
      .default([...DEFAULT_REPORT_CATEGORIES]),
    /** Hours within which a report is decided; later it is overdue in the queue. */
    reviewHours: z.number().int().min(1).max(720).default(72),
    minimumAge: z.number().int().min(13).max(25).default(18),
    /** The number a reporter of a lost or stolen firearm is told to call (empty: the department). */
    firearmsPhone: z.union([z.literal(''), PhoneSchema]).default(''),
    /** What a refused or rejected reporter is told to do instead. */
    officerHelp: Text(600).default(
      'Please contact the police department to make your report with an officer.',
    ),
  })
  .strict();
export type OnlineReportSettings = z.infer<typeof OnlineReportSettingsSchema>;

// ----------------------------------------------------------------------------------------------
// Eligibility: the questions asked before the form opens, asked again by the server on submit.

export const ELIGIBILITY_QUESTIONS = [
  'emergency',
  'inCity',
  'adult',
  'english',
  'injuries',
  'weapons',
  'firearm',
  'email',
] as const;
export type EligibilityQuestion = (typeof ELIGIBILITY_QUESTIONS)[number];

/** The answer each question needs for a report to be filed online. */
export const ELIGIBLE_ANSWER: Readonly<Record<EligibilityQuestion, 'yes' | 'no'>> = {
  emergency: 'no',
  inCity: 'yes',
  adult: 'yes',
  english: 'yes',
  injuries: 'no',
  weapons: 'no',
  firearm: 'no',
  email: 'yes',
};

export type EligibilityAnswers = Readonly<Partial<Record<EligibilityQuestion, string>>>;

/** Why a report cannot be filed online: the first answer that rules it out, or null. */
export function ineligibility(
  answers: EligibilityAnswers,
): { question: EligibilityQuestion; answered: boolean } | null {
  for (const q of ELIGIBILITY_QUESTIONS) {
    const a = answers[q];
    if (a !== ELIGIBLE_ANSWER[q]) return { question: q, answered: a === 'yes' || a === 'no' };
  }
  return null;
}

// ----------------------------------------------------------------------------------------------
// The report as submitted.

export const MAX_REPORT_FILES = 3;
export const MAX_REPORT_FILE_BYTES = 4 * 1024 * 1024;
/** Photos and documents a report may carry, recognised by their first bytes, not their name. */
export const REPORT_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type ReportFileType = (typeof REPORT_FILE_TYPES)[number];

const DateOnly = z.iso.date('enter a date as YYYY-MM-DD');

export const OnlineReportInputSchema = z
  .object({
    category: z.string('choose what happened').min(1, 'choose what happened').max(40),
    /** A supplemental report names the case it adds to. */
    caseNumber: z.string().trim().max(64).optional(),
    occurredAt: z.iso.datetime({ message: 'enter when it happened' }),
    /** The end of the window, when the reporter knows only that it happened between two times. */
    occurredUntil: z.iso.datetime({ message: 'enter a valid time' }).optional(),
    lat: LatitudeSchema.optional(),
    lng: LongitudeSchema.optional(),
    address: z.string().trim().max(300, 'an address is at most 300 characters').optional(),
    narrative: z
      .string()
      .trim()
      .min(20, 'describe what happened in at least a sentence (20 characters)')
      .max(8000, 'at most 8,000 characters'),
    suspect: z.string().trim().max(2000, 'at most 2,000 characters').optional(),
    property: z.string().trim().max(2000, 'at most 2,000 characters').optional(),
    vehicle: z.string().trim().max(1000, 'at most 1,000 characters').optional(),
    reporter: z
      .object({
        name: z.string().trim().min(1, 'enter your name').max(200, 'at most 200 characters'),
        dateOfBirth: DateOnly,
        email: RegistrationEmailSchema,
        phone: z.union([z.literal(''), PhoneSchema]).optional(),
        address: z.string().trim().max(300, 'at most 300 characters').optional(),
      })
      .strict(),
    acknowledged: z.literal(true, 'tick the box to confirm that the report is true'),
  })
  .strict();
export type OnlineReportInput = z.infer<typeof OnlineReportInputSchema>;

/**
 * How a report's place was checked against the city limits (docs/online-reports.md, "Where"):
 * the latitude and longitude the reporter gave or picked (`coordinates`); the position of the
 * agency's address point that the address named (`address_point`); or not at all
 * (`unverified`: an address alone, and the agency has no address points to place it by), which
 * the reviewer checks.
 */
export const LOCATION_CHECKS = ['coordinates', 'address_point', 'unverified'] as const;
export type LocationCheck = (typeof LOCATION_CHECKS)[number];

/** Whole years of age on a day (YYYY-MM-DD), from a date of birth (YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// ----------------------------------------------------------------------------------------------
// Review.

export const REPORT_STATES = [
  'submitted',
  'needs_info',
  'forwarded',
  'approved',
  'rejected',
] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_OUTCOMES = ['approved', 'rejected'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

export interface ReportClock {
  /** When the report is due to be decided (submission + the agency's review hours then). */
  readonly dueAt: number;
  /** Milliseconds left (negative once overdue); null when decided. */
  readonly remainingMs: number | null;
  readonly overdue: boolean;
  /** Waiting on the reporter for more information. */
  readonly waitingOnReporter: boolean;
}

/**
 * A report's review clock at `now`: it runs from submission; a report waiting on its reporter
 * says so rather than counting against the center; a decided report's clock has stopped.
 */
export function reportClock(
  r: { readonly dueAt: string; readonly state: ReportState },
  now: number,
): ReportClock {
  const dueAt = Date.parse(r.dueAt);
  const decided = r.state === 'approved' || r.state === 'rejected';
  const waiting = r.state === 'needs_info';
  return {
    dueAt,
    remainingMs: decided ? null : dueAt - now,
    overdue: !decided && !waiting && now > dueAt,
    waitingOnReporter: waiting,
  };
}
