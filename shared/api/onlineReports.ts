import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from '../domain/cameras';
import { CaseNumberSchema } from '../domain/cases';
import { LOCATION_CHECKS, REPORT_OUTCOMES, REPORT_STATES } from '../domain/onlineReports';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * Online self-reports as the console's review queue sees them (docs/online-reports.md): each
 * report with its 72-hour clock, the four outcomes a reviewer gives, and the reporter's files,
 * which a reviewer opens (audited) before the host may fetch them.
 */

export const OnlineReportIdSchema = z.uuid('a report id is a UUID');

export const OnlineReportSchema = z.object({
  id: z.string(),
  tempNumber: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  state: z.enum(REPORT_STATES),
  outcome: z.enum(REPORT_OUTCOMES).nullable(),
  submittedAt: z.string(),
  dueAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  /** The permanent number, once approved. */
  caseNumber: z.string().nullable(),
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
  occurredAt: z.string(),
  occurredUntil: z.string().nullable(),
  lat: LatitudeSchema.nullable(),
  lng: LongitudeSchema.nullable(),
  address: z.string().nullable(),
  /** How the place was checked: `unverified` is an address no one has placed yet. */
  locationCheck: z.enum(LOCATION_CHECKS),
  narrative: z.string(),
  suspect: z.string().nullable(),
  property: z.string().nullable(),
  vehicle: z.string().nullable(),
  /** The case a supplemental report adds to, as the reporter gave it. */
  supplementsCase: z.string().nullable(),
  reporter: z.object({
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    dateOfBirth: z.string(),
  }),
  infoRequest: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  additions: z.array(z.object({ n: z.number().int(), text: z.string(), addedAt: z.string() })),
  files: z.array(
    z.object({
      n: z.number().int(),
      fileName: z.string(),
      contentType: z.string(),
      size: z.number().int(),
    }),
  ),
});
export type OnlineReport = z.infer<typeof OnlineReportSchema>;

export const OnlineReportListQuerySchema = z.object({
  /** open: not yet decided (the queue); decided: approved or rejected. */
  state: z.enum(['open', 'decided', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const OnlineReportListSchema = z.object({
  reports: z.array(OnlineReportSchema),
  /** Whom a report may be forwarded to: active analysts and lieutenants. */
  investigators: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const ReportParamsSchema = z.object({ id: OnlineReportIdSchema });

/** One of a report's files, by its number (1, 2, 3 in the order the reporter attached them). */
export const ReportFileParamsSchema = z.object({
  id: OnlineReportIdSchema,
  n: z.coerce.number().int().min(1).max(99),
});

/**
 * An opening of a report's files: the reviewer who opened them may fetch them until it expires
 * (docs/online-reports.md, "The reporter's files").
 */
export const ReportFilesGrantSchema = z.object({ reportId: z.string(), expiresAt: z.string() });
export type ReportFilesGrant = z.infer<typeof ReportFilesGrantSchema>;

export const ApproveReportSchema = z
  .object({
    /** Join this existing case; without it a new case is opened under the next number. */
    caseNumber: CaseNumberSchema.optional(),
  })
  .strict();

export const RequestInfoSchema = z
  .object({ message: z.string().trim().min(1, 'say what is needed').max(2000) })
  .strict();

export const ForwardReportSchema = z.object({ userId: z.string().min(1).max(64) }).strict();

export const RejectReportSchema = z
  .object({ reason: z.string().trim().min(1, 'say why it is ineligible').max(2000) })
  .strict();

const ACCESS = 'onlineReports.review' as const;
const decide = <B extends z.ZodType>(path: string, summary: string, body: B) =>
  endpoint({
    method: 'POST',
    path: `/v1/online-reports/:id/${path}`,
    access: ACCESS,
    summary,
    tags: ['onlineReports'],
    params: ReportParamsSchema,
    body,
    response: OnlineReportSchema,
    errors: [404, 409],
    bodyLimit: 8 * 1024,
  });

export const ONLINE_REPORT_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/online-reports',
    access: ACCESS,
    summary: 'Online reports from the portal: the review queue, oldest due first',
    tags: ['onlineReports'],
    query: OnlineReportListQuerySchema,
    response: OnlineReportListSchema,
  }),
  approve: decide(
    'approve',
    'Approve a report: it gets a permanent case number (a new case, or one it joins)',
    ApproveReportSchema,
  ),
  requestInfo: decide(
    'request-info',
    'Ask the reporter for more information (emailed with a link to add it)',
    RequestInfoSchema,
  ),
  forward: decide(
    'forward',
    'Forward a report to an investigator before approval',
    ForwardReportSchema,
  ),
  reject: decide(
    'reject',
    'Reject a report as ineligible (the reporter is told to contact the department)',
    RejectReportSchema,
  ),
  openFiles: endpoint({
    method: 'POST',
    path: '/v1/online-reports/:id/file-grants',
    access: ACCESS,
    summary:
      "Open a report's photos and documents (audited); the opener may fetch them for a while",
    tags: ['onlineReports'],
    params: ReportParamsSchema,
    response: ReportFilesGrantSchema,
    status: 201,
    errors: [404],
  }),
  file: endpoint({
    method: 'GET',
    path: '/v1/online-reports/:id/files/:n',
    access: ACCESS,
    summary:
      "One file of a report, for a reviewer who opened the report's files within the grant's time",
    tags: ['onlineReports'],
    params: ReportFileParamsSchema,
    response: z.unknown(),
    errors: [404],
  }),
};

const IdArg = { id: OnlineReportIdSchema };

export const ONLINE_REPORT_CALLS = {
  'onlineReports.list': serverCall(
    ONLINE_REPORT_ENDPOINTS.list,
    z.object({ state: z.enum(['open', 'decided', 'all']).optional() }).strict(),
    (a) => ({ query: { state: a.state } }),
  ),
  'onlineReports.approve': serverCall(
    ONLINE_REPORT_ENDPOINTS.approve,
    ApproveReportSchema.extend(IdArg).strict(),
    (a) => ({ params: { id: a.id }, body: a.caseNumber ? { caseNumber: a.caseNumber } : {} }),
  ),
  'onlineReports.requestInfo': serverCall(
    ONLINE_REPORT_ENDPOINTS.requestInfo,
    RequestInfoSchema.extend(IdArg).strict(),
    (a) => ({ params: { id: a.id }, body: { message: a.message } }),
  ),
  'onlineReports.forward': serverCall(
    ONLINE_REPORT_ENDPOINTS.forward,
    ForwardReportSchema.extend(IdArg).strict(),
    (a) => ({ params: { id: a.id }, body: { userId: a.userId } }),
  ),
  'onlineReports.reject': serverCall(
    ONLINE_REPORT_ENDPOINTS.reject,
    RejectReportSchema.extend(IdArg).strict(),
    (a) => ({ params: { id: a.id }, body: { reason: a.reason } }),
  ),
  'onlineReports.openFiles': serverCall(
    ONLINE_REPORT_ENDPOINTS.openFiles,
    z.object(IdArg).strict(),
  ),
};

const WithReport = z.object({ report: OnlineReportSchema });
const reviewers = [holders<z.output<typeof WithReport>>(ACCESS)];

export const ONLINE_REPORT_EVENTS = {
  /** A new report, or the reporter's addition after a request: it is back in the queue. */
  'onlineReport.submitted': defineEvent(WithReport, {
    priority: 'notable',
    audience: reviewers,
    describe: (p) => ({
      title:
        p.report.additions.length > 0 ? 'Online report: information added' : 'New online report',
      body: `${p.report.tempNumber}: ${p.report.categoryLabel}.`,
    }),
  }),
  /** A reviewer decided, asked for information or forwarded it. */
  'onlineReport.updated': defineEvent(WithReport, {
    priority: 'routine',
    audience: reviewers,
  }),
};
