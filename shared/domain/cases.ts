import { z } from 'zod';
import { compareDates, localDateOf, parseIsoDate } from '../time/zonedTime';

/**
 * Cases (docs/cases.md): the center's unit of work. A lieutenant opens one under a number in the
 * agency's format and assigns analysts to it; every piece of work (camera views, tips, incidents,
 * alerts, and the pulls, exports and products of other modules) is kept by its number.
 */

export const CASE_STATUSES = ['open', 'active', 'suspended', 'closed'] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** What the center works on; `other` for anything the list does not name. */
export const CASE_TYPES = [
  'homicide',
  'shooting',
  'robbery',
  'burglary',
  'assault',
  'sexual_offense',
  'auto_theft',
  'theft',
  'fraud',
  'narcotics',
  'missing_person',
  'vandalism',
  'traffic',
  'other',
] as const;
export const CaseTypeSchema = z.enum(CASE_TYPES);
export type CaseType = z.infer<typeof CaseTypeSchema>;

export const CASE_TYPE_LABELS: Readonly<Record<CaseType, string>> = {
  homicide: 'Homicide',
  shooting: 'Shooting',
  robbery: 'Robbery',
  burglary: 'Burglary',
  assault: 'Assault',
  sexual_offense: 'Sexual offense',
  auto_theft: 'Auto theft',
  theft: 'Theft',
  fraud: 'Fraud',
  narcotics: 'Narcotics',
  missing_person: 'Missing person',
  vandalism: 'Vandalism',
  traffic: 'Traffic',
  other: 'Other',
};

export const CASE_PRIORITIES = ['high', 'normal', 'low'] as const;
export const CasePrioritySchema = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof CasePrioritySchema>;

/** A case number as agencies print them (the format makes letters, digits and dashes). */
export const CaseNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a case number is letters, digits and dashes');

/** A calendar date in the agency's time zone, YYYY-MM-DD. */
export const DueDateSchema = z.string().refine((text) => {
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}, 'a due date is a calendar date, YYYY-MM-DD');

/** Line breaks, tabs and other control characters: a one-line field has none. */
const CONTROL = /\p{Cc}/u;

/**
 * The lead investigator: a name, badge or both as typed. Detectives are often not console users,
 * so this is text, not an account.
 */
export const LeadInvestigatorSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((s) => !CONTROL.test(s), 'a lead investigator is a name or badge, on one line');

export const CaseTitleSchema = z
  .string()
  .trim()
  .min(1, 'a case has a title')
  .max(200)
  .refine((s) => !CONTROL.test(s), 'a title is one line of text');

const PersonSchema = z.object({ id: z.string(), name: z.string() });
export type CasePerson = z.infer<typeof PersonSchema>;

export const CaseSchema = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  type: CaseTypeSchema,
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  leadInvestigator: z.string().nullable(),
  /** The analysts assigned, by name. */
  analysts: z.array(PersonSchema),
  dueDate: z.string().nullable(),
  openedAt: z.string(),
  openedBy: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Case = z.infer<typeof CaseSchema>;

export const CaseNoteSchema = z.object({
  id: z.string(),
  at: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string(),
  text: z.string(),
});
export type CaseNote = z.infer<typeof CaseNoteSchema>;

export const CASE_LINK_KINDS = ['incident', 'tip', 'alert'] as const;
export const CaseLinkKindSchema = z.enum(CASE_LINK_KINDS);
export type CaseLinkKind = z.infer<typeof CaseLinkKindSchema>;

/** A linked incident, tip or alert: its id, and a line saying what it is (as it is now). */
export const CaseLinkSchema = z.object({
  kind: CaseLinkKindSchema,
  ref: z.string(),
  label: z.string(),
  linkedAt: z.string(),
  linkedBy: z.string(),
});
export type CaseLink = z.infer<typeof CaseLinkSchema>;

// ----------------------------------------------------------------------------------------------
// Numbers

const FIELD = /\{(yyyy|yy|seq:([1-9]))\}/g;

/**
 * The case number the agency's format gives for a year and a counter value (agency.ts describes
 * the format). A counter wider than `{seq:N}` keeps all its digits: numbers stay unique.
 */
export function formatCaseNumber(format: string, year: number, seq: number): string {
  return format.replace(FIELD, (_m, field: string, width: string | undefined) => {
    if (field === 'yyyy') return String(year).padStart(4, '0');
    if (field === 'yy') return String(year % 100).padStart(2, '0');
    return String(seq).padStart(Number(width), '0');
  });
}

/** The year a case opened at `at` counts in: the agency's, not UTC's (New Year's Eve at 20:00). */
export function caseYearOf(at: number, timeZone: string): number {
  return localDateOf(at, timeZone).year;
}

// ----------------------------------------------------------------------------------------------
// Overdue

/** A case not closed whose due date is before today in the agency's time zone. */
export function caseOverdue(
  c: { readonly status: CaseStatus; readonly dueDate: string | null },
  now: number,
  timeZone: string,
): boolean {
  if (c.status === 'closed' || c.dueDate === null) return false;
  return compareDates(parseIsoDate(c.dueDate), localDateOf(now, timeZone)) < 0;
}
