import { z } from 'zod';
import { ShiftSchema } from '../domain/agency';
import { ShiftEntryKindSchema, ShiftEntrySchema, ShiftLogSchema } from '../domain/shifts';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/** The shift log: entries, sign-off, addenda and the report (docs/shift-log.md). */

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date in the form YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a calendar date');

export const ShiftParamsSchema = z.object({
  date: IsoDate,
  shift: ShiftSchema.shape.name,
});

const Timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with its offset' });

export const NewShiftEntrySchema = z.object({
  kind: ShiftEntryKindSchema,
  text: z.string().trim().min(1, 'an entry says something').max(4000),
  /** When it happened; now when left out. Within the shift. */
  at: Timestamp.optional(),
});
export type NewShiftEntry = z.infer<typeof NewShiftEntrySchema>;

export const NewAddendumSchema = z.object({
  kind: ShiftEntryKindSchema.default('other'),
  text: z.string().trim().min(1, 'an addendum says something').max(4000),
});

export const SignOffSchema = z.object({
  note: z.string().trim().max(4000).default(''),
});

/** A generated document, as the console downloads it. */
export const ReportFileSchema = z.object({
  filename: z.string(),
  contentType: z.literal('application/pdf'),
  /** The PDF, base64. */
  data: z.string(),
  pages: z.number().int(),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;

export const SHIFT_ENDPOINTS = {
  get: endpoint({
    method: 'GET',
    path: '/v1/shifts/:date/:shift',
    access: 'shifts.read',
    summary: "A shift's log: staff, entries, addenda, the system's summary and its sign-off",
    tags: ['shifts'],
    params: ShiftParamsSchema,
    response: ShiftLogSchema,
    errors: [404],
  }),
  addEntry: endpoint({
    method: 'POST',
    path: '/v1/shifts/:date/:shift/entries',
    access: 'shifts.log',
    summary: 'Add an entry to a shift that is not signed off',
    tags: ['shifts'],
    params: ShiftParamsSchema,
    body: NewShiftEntrySchema,
    response: ShiftEntrySchema,
    status: 201,
    errors: [404, 409],
  }),
  signOff: endpoint({
    method: 'POST',
    path: '/v1/shifts/:date/:shift/signoff',
    access: 'shifts.signoff',
    summary: 'Sign a shift off: its log and summary are locked; corrections become addenda',
    tags: ['shifts'],
    params: ShiftParamsSchema,
    body: SignOffSchema,
    response: ShiftLogSchema,
    errors: [404, 409],
  }),
  addAddendum: endpoint({
    method: 'POST',
    path: '/v1/shifts/:date/:shift/addenda',
    access: 'shifts.log',
    summary: 'Add a correction to a signed-off shift',
    tags: ['shifts'],
    params: ShiftParamsSchema,
    body: NewAddendumSchema,
    response: ShiftEntrySchema,
    status: 201,
    errors: [404, 409],
  }),
  report: endpoint({
    method: 'GET',
    path: '/v1/shifts/:date/:shift/report',
    access: 'shifts.read',
    summary: "The shift report as a PDF (base64), in the agency's product layout",
    tags: ['shifts'],
    params: ShiftParamsSchema,
    response: ReportFileSchema,
    errors: [404],
  }),
};

const CallShift = { date: IsoDate, shift: ShiftSchema.shape.name };

export const SHIFT_CALLS = {
  'shifts.get': serverCall(SHIFT_ENDPOINTS.get, z.object(CallShift).strict()),
  'shifts.addEntry': serverCall(
    SHIFT_ENDPOINTS.addEntry,
    z.object({ ...CallShift, ...NewShiftEntrySchema.shape }).strict(),
  ),
  'shifts.signOff': serverCall(
    SHIFT_ENDPOINTS.signOff,
    z.object({ ...CallShift, note: z.string().trim().max(4000).optional() }).strict(),
  ),
  'shifts.addAddendum': serverCall(
    SHIFT_ENDPOINTS.addAddendum,
    z
      .object({ ...CallShift, kind: ShiftEntryKindSchema.optional(), text: z.string().max(4000) })
      .strict(),
  ),
  'shifts.report': serverCall(SHIFT_ENDPOINTS.report, z.object(CallShift).strict()),
};

export const ShiftChangedSchema = z.object({
  date: z.string(),
  shift: z.string(),
  change: z.enum(['entry', 'signoff', 'addendum']),
  byName: z.string(),
});

export const SHIFT_EVENTS = {
  'shift.changed': defineEvent(ShiftChangedSchema, {
    priority: 'routine',
    audience: [holders('shifts.read')],
  }),
};
