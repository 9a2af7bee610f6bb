import { z } from 'zod';
import {
  CaseLinkKindSchema,
  CaseLinkSchema,
  CaseNoteSchema,
  CaseNumberSchema,
  CasePrioritySchema,
  CaseSchema,
  CaseStatusSchema,
  CaseTitleSchema,
  CaseTypeSchema,
  DueDateSchema,
  LeadInvestigatorSchema,
} from '../domain/cases';
import { assignees, defineEvent, endpoint, holders, serverCall } from './contract';
import { IncidentCameraViewSchema } from './incidents';
import { PullSchema } from '../domain/pulls';
import { ProductSummarySchema } from '../domain/products';

/**
 * Cases and their assignment (docs/cases.md): lieutenants open, assign and close cases;
 * the analysts assigned work them (notes, links, status); everyone on the floor reads them.
 */

const UserIdSchema = z.uuid('a user id');
const NumberParams = z.object({ number: CaseNumberSchema });

export const CaseListQuerySchema = z.object({
  /** mine: the cases the asker is assigned to; all: every case, the asker's own first. */
  scope: z.enum(['mine', 'all']).default('mine'),
  /** A status, or `current` for every case not closed. */
  status: z.union([CaseStatusSchema, z.literal('current')]).default('current'),
});
export const CaseListSchema = z.object({ cases: z.array(CaseSchema) });

/** A camera view granted for this case: the viewer gave its number as the reason's reference. */
export const CaseCameraViewSchema = IncidentCameraViewSchema;
export type CaseCameraView = z.infer<typeof CaseCameraViewSchema>;

/**
 * The sections of a case's page, each read by the module that keeps it (server/cases/caseDetail.ts
 * has one reader per section). Pulls, exports and products add their section here and a reader
 * there; the page's other parts do not change.
 */
export const CASE_SECTIONS = {
  notes: z.array(CaseNoteSchema),
  links: z.array(CaseLinkSchema),
  cameraViews: z.array(CaseCameraViewSchema),
  /** Camera pulls logged under the case's number. */
  pulls: z.array(PullSchema),
  /** Assist reports and bulletins made for the case. */
  products: z.array(ProductSummarySchema),
};
export type CaseSectionName = keyof typeof CASE_SECTIONS;

export const CaseDetailSchema = CaseSchema.extend(CASE_SECTIONS);
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const NewCaseSchema = z.object({
  title: CaseTitleSchema,
  type: CaseTypeSchema,
  priority: CasePrioritySchema.default('normal'),
  leadInvestigator: LeadInvestigatorSchema.nullable().default(null),
  analystIds: z.array(UserIdSchema).max(20).default([]),
  dueDate: DueDateSchema.nullable().default(null),
});

/** What a lieutenant may change on a case; at least one field. */
export const CasePatchSchema = z
  .strictObject({
    title: CaseTitleSchema.optional(),
    type: CaseTypeSchema.optional(),
    priority: CasePrioritySchema.optional(),
    leadInvestigator: LeadInvestigatorSchema.nullable().optional(),
    dueDate: DueDateSchema.nullable().optional(),
    status: CaseStatusSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'say what to change');
export type CasePatch = z.infer<typeof CasePatchSchema>;

export const CaseStatusChangeSchema = z.object({ status: CaseStatusSchema });
export const CaseAnalystsSchema = z.object({ analystIds: z.array(UserIdSchema).max(20) });
export const CaseReassignSchema = z.object({ from: UserIdSchema, to: UserIdSchema });
export const NewCaseNoteSchema = z.object({ text: z.string().trim().min(1).max(4000) });
export const NewCaseLinkSchema = z.object({
  kind: CaseLinkKindSchema,
  ref: z.uuid('an incident, tip or alert id'),
});

/** One piece of open work on an analyst's plate; pulls join cases here as `kind: 'pull'`. */
export const WorkloadItemSchema = z.object({
  kind: z.literal('case'),
  number: z.string(),
  title: z.string(),
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
});
export type WorkloadItem = z.infer<typeof WorkloadItemSchema>;

export const WorkloadRowSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  openCases: z.number().int(),
  overdueCases: z.number().int(),
  /** Camera pulls assigned to them and not yet fulfilled or closed, and how many are urgent. */
  openPulls: z.number().int(),
  urgentPulls: z.number().int(),
  items: z.array(WorkloadItemSchema),
});
export type WorkloadRow = z.infer<typeof WorkloadRowSchema>;

export const WorkloadSchema = z.object({
  /** Everyone a case can be assigned to, with no work as well. */
  rows: z.array(WorkloadRowSchema),
  /** Open cases nobody is assigned to. */
  unassigned: z.array(WorkloadItemSchema),
});
export type Workload = z.infer<typeof WorkloadSchema>;

export const CASE_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/cases',
    access: 'cases.read',
    summary: "Cases by status: the asker's own, or all with the asker's own first",
    tags: ['cases'],
    query: CaseListQuerySchema,
    response: CaseListSchema,
  }),
  workload: endpoint({
    method: 'GET',
    path: '/v1/cases/workload',
    access: 'cases.assign',
    summary: 'Open cases per analyst, overdue ones counted, and the cases nobody is assigned to',
    tags: ['cases'],
    response: WorkloadSchema,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/cases/:number',
    access: 'cases.read',
    summary: 'One case with its notes, links and the camera views that name it',
    tags: ['cases'],
    params: NumberParams,
    response: CaseDetailSchema,
    errors: [404],
  }),
  create: endpoint({
    method: 'POST',
    path: '/v1/cases',
    access: 'cases.assign',
    summary: "Open a case under the next number in the agency's format",
    tags: ['cases'],
    body: NewCaseSchema,
    response: CaseSchema,
    status: 201,
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/v1/cases/:number',
    access: 'cases.assign',
    summary: 'Change a case: title, type, priority, lead investigator, due date, status',
    tags: ['cases'],
    params: NumberParams,
    body: CasePatchSchema,
    response: CaseSchema,
    errors: [404],
  }),
  setStatus: endpoint({
    method: 'POST',
    path: '/v1/cases/:number/status',
    access: 'cases.work',
    summary: 'Set the status of a case assigned to the asker (closing is for lieutenants)',
    tags: ['cases'],
    params: NumberParams,
    body: CaseStatusChangeSchema,
    response: CaseSchema,
    errors: [404],
  }),
  assign: endpoint({
    method: 'PUT',
    path: '/v1/cases/:number/analysts',
    access: 'cases.assign',
    summary: 'Set the analysts assigned to a case',
    tags: ['cases'],
    params: NumberParams,
    body: CaseAnalystsSchema,
    response: CaseSchema,
    errors: [404],
  }),
  reassign: endpoint({
    method: 'POST',
    path: '/v1/cases/:number/reassign',
    access: 'cases.assign',
    summary: 'Move a case from one assigned analyst to another',
    tags: ['cases'],
    params: NumberParams,
    body: CaseReassignSchema,
    response: CaseSchema,
    errors: [404, 409],
  }),
  addNote: endpoint({
    method: 'POST',
    path: '/v1/cases/:number/notes',
    access: 'cases.work',
    summary: 'Add a note to the timeline of a case assigned to the asker',
    tags: ['cases'],
    params: NumberParams,
    body: NewCaseNoteSchema,
    response: CaseNoteSchema,
    status: 201,
    errors: [404],
  }),
  link: endpoint({
    method: 'POST',
    path: '/v1/cases/:number/links',
    access: 'cases.work',
    summary: 'Link an incident, tip or alert (by its id) to a case assigned to the asker',
    tags: ['cases'],
    params: NumberParams,
    body: NewCaseLinkSchema,
    response: CaseLinkSchema,
    errors: [404],
  }),
};

const NumberArg = { number: CaseNumberSchema };

export const CASE_CALLS = {
  'cases.list': serverCall(
    CASE_ENDPOINTS.list,
    z
      .object({
        scope: CaseListQuerySchema.shape.scope.optional(),
        status: CaseListQuerySchema.shape.status.optional(),
      })
      .strict(),
  ),
  'cases.workload': serverCall(CASE_ENDPOINTS.workload, z.object({}).strict()),
  'cases.get': serverCall(CASE_ENDPOINTS.get, z.object(NumberArg).strict()),
  'cases.create': serverCall(
    CASE_ENDPOINTS.create,
    z
      .object({
        title: CaseTitleSchema,
        type: CaseTypeSchema,
        priority: CasePrioritySchema.optional(),
        leadInvestigator: LeadInvestigatorSchema.nullable().optional(),
        analystIds: z.array(UserIdSchema).max(20).optional(),
        dueDate: DueDateSchema.nullable().optional(),
      })
      .strict(),
  ),
  'cases.update': serverCall(
    CASE_ENDPOINTS.update,
    z.object({ ...NumberArg, patch: CasePatchSchema }).strict(),
    ({ number, patch }) => ({ params: { number }, body: patch }),
  ),
  'cases.setStatus': serverCall(
    CASE_ENDPOINTS.setStatus,
    z.object({ ...NumberArg, status: CaseStatusSchema }).strict(),
  ),
  'cases.assign': serverCall(
    CASE_ENDPOINTS.assign,
    z.object({ ...NumberArg, analystIds: CaseAnalystsSchema.shape.analystIds }).strict(),
  ),
  'cases.reassign': serverCall(
    CASE_ENDPOINTS.reassign,
    z.object({ ...NumberArg, from: UserIdSchema, to: UserIdSchema }).strict(),
  ),
  'cases.addNote': serverCall(
    CASE_ENDPOINTS.addNote,
    z.object({ ...NumberArg, text: NewCaseNoteSchema.shape.text }).strict(),
  ),
  'cases.link': serverCall(
    CASE_ENDPOINTS.link,
    z.object({ ...NumberArg, kind: CaseLinkKindSchema, ref: NewCaseLinkSchema.shape.ref }).strict(),
  ),
};

// ----------------------------------------------------------------------------------------------
// Events

const CaseChangedSchema = z.object({
  case: CaseSchema,
  /** What changed: case fields by name, and `notes`, `links`. */
  changed: z.array(z.string()),
});

const CaseAssignedSchema = z.object({
  number: z.string(),
  title: z.string(),
  /** The analysts newly assigned by this change: each hears of it. */
  userIds: z.array(z.string()),
  byName: z.string(),
});

export const CASE_EVENTS = {
  'case.opened': defineEvent(z.object({ case: CaseSchema }), {
    priority: 'routine',
    audience: [holders('cases.read')],
  }),
  'case.updated': defineEvent(CaseChangedSchema, {
    priority: 'routine',
    audience: [holders('cases.read')],
  }),
  'case.assigned': defineEvent(CaseAssignedSchema, {
    priority: 'notable',
    audience: [assignees((p) => p.userIds)],
    describe: (p) => ({
      title: `Case ${p.number} assigned to you`,
      body: `${p.byName} assigned you "${p.title}".`,
    }),
    notifyWhenAway: true,
  }),
};
