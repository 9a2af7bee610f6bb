import { z } from 'zod';
import { CameraIdSchema, OwnerContactResponseSchema } from './cameras';
import { CaseReferenceSchema } from '../domain/reasons';
import {
  AnalystPullLoadSchema,
  CandidateOutcomeSchema,
  MAX_PULL_RADIUS_M,
  MAX_PULL_WINDOW_MS,
  MIN_PULL_RADIUS_M,
  PullCandidateSchema,
  PullDetailSchema,
  PullPositionSchema,
  PullSchema,
  PullUrgencySchema,
} from '../domain/pulls';
import { defineEvent, endpoint, holders, serverCall, theUser } from './contract';

/**
 * Camera pulls (docs/pulls.md): an analyst logs an officer's radio request, works the cameras
 * around it, and records what came of each. Officers read the pulls they asked for.
 */

/** Footage of this century: the database's calendar starts at year 1, and no camera is older. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const Timestamp = z.iso
  .datetime({ offset: true, message: 'an ISO 8601 time with its offset' })
  .refine((t) => Date.parse(t) >= EARLIEST && Date.parse(t) < LATEST, {
    message: 'a time between the years 2000 and 2099',
  });
const PullIdSchema = z.uuid('a pull id is a UUID');
const PullParams = z.object({ id: PullIdSchema });
const CandidateParams = z.object({ id: PullIdSchema, cameraId: CameraIdSchema });

const Line = (max: number) => z.string().trim().min(1).max(max);

export const RequesterInputSchema = z
  .object({
    name: Line(100).optional(),
    badge: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a badge number is letters, digits and dashes')
      .optional(),
    unit: Line(32).optional(),
    /** The officer's console account (role officer): they then see the pull in the console. */
    userId: z.uuid('a user id is a UUID').optional(),
  })
  .strict()
  .refine((r) => r.name !== undefined || r.badge !== undefined || r.userId !== undefined, {
    message: "who asked: the officer's name, badge number or account",
  });
export type RequesterInput = z.infer<typeof RequesterInputSchema>;

export const PullRadiusSchema = z
  .number()
  .int('a radius is whole metres')
  .min(MIN_PULL_RADIUS_M, `a radius is at least ${MIN_PULL_RADIUS_M} m`)
  .max(MAX_PULL_RADIUS_M, `a radius is at most ${MAX_PULL_RADIUS_M} m`);

export const LookForSchema = Line(2000);
const AddressSchema = Line(300);
const NoteSchema = z.string().trim().max(2000);

const windowOk = (w: { windowStart?: string; windowEnd?: string }) =>
  w.windowStart === undefined ||
  w.windowEnd === undefined ||
  Date.parse(w.windowEnd) > Date.parse(w.windowStart);
const windowShort = (w: { windowStart?: string; windowEnd?: string }) =>
  w.windowStart === undefined ||
  w.windowEnd === undefined ||
  Date.parse(w.windowEnd) - Date.parse(w.windowStart) <= MAX_PULL_WINDOW_MS;
const WINDOW_ORDER = { message: 'the window ends after it starts', path: ['windowEnd'] };
const WINDOW_SPAN = {
  message: `a window is at most ${MAX_PULL_WINDOW_MS / 3_600_000} hours`,
  path: ['windowEnd'],
};

export const NewPullSchema = z
  .object({
    requester: RequesterInputSchema,
    caseNumber: CaseReferenceSchema.optional(),
    incidentId: z.uuid('an incident id is a UUID').optional(),
    /** Clicked on the map, or the position of the address. */
    position: PullPositionSchema.strict(),
    address: AddressSchema.optional(),
    radiusM: PullRadiusSchema.optional(),
    windowStart: Timestamp,
    windowEnd: Timestamp,
    lookFor: LookForSchema,
    urgency: PullUrgencySchema.default('routine'),
    /** The analyst who works it; the one who logs it when not given. */
    assignedTo: z.uuid('a user id is a UUID').optional(),
    /** When the officer asked; now when not given. */
    requestedAt: Timestamp.optional(),
  })
  .strict()
  .refine((p) => p.caseNumber !== undefined || p.incidentId !== undefined, {
    message: 'a pull names a case number, an incident or both',
    path: ['caseNumber'],
  })
  .refine(windowOk, WINDOW_ORDER)
  .refine(windowShort, WINDOW_SPAN);
export type NewPull = z.infer<typeof NewPullSchema>;

/** A change to a pull: only the fields given change; null removes an optional one. */
export const PullPatchSchema = z
  .object({
    requester: RequesterInputSchema.optional(),
    caseNumber: CaseReferenceSchema.nullable().optional(),
    incidentId: z.uuid('an incident id is a UUID').nullable().optional(),
    position: PullPositionSchema.strict().optional(),
    address: AddressSchema.nullable().optional(),
    radiusM: PullRadiusSchema.optional(),
    windowStart: Timestamp.optional(),
    windowEnd: Timestamp.optional(),
    lookFor: LookForSchema.optional(),
    urgency: PullUrgencySchema.optional(),
    assignedTo: z.uuid('a user id is a UUID').optional(),
    /** Fulfilling and closing have their own calls; a closed pull may be opened again. */
    status: z.enum(['open', 'in_progress']).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'a change names at least one field' })
  .refine(windowOk, WINDOW_ORDER)
  .refine(windowShort, WINDOW_SPAN);
export type PullPatch = z.infer<typeof PullPatchSchema>;

export const FulfilSchema = z.object({ note: NoteSchema.optional() }).strict();
export const CloseSchema = z
  .object({ note: NoteSchema.min(1, 'say why the pull is closed unfulfilled') })
  .strict();
export const OutcomeInputSchema = z
  .object({ outcome: CandidateOutcomeSchema, note: z.string().trim().max(1000).optional() })
  .strict();

export const PullListQuerySchema = z
  .object({
    state: z.enum(['open', 'closed', 'all']).default('all'),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

export const PullListSchema = z.object({ pulls: z.array(PullSchema) });
export const PullWorkloadSchema = z.object({ analysts: z.array(AnalystPullLoadSchema) });
export const CandidateChangeSchema = z.object({ pull: PullSchema, candidate: PullCandidateSchema });

const BODY_LIMIT = 16 * 1024;

export const PULL_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/pulls',
    access: 'pulls.read',
    summary: 'Camera pulls: open first, then by urgency and request time',
    tags: ['pulls'],
    query: PullListQuerySchema,
    response: PullListSchema,
  }),
  mine: endpoint({
    method: 'GET',
    path: '/v1/pulls/mine',
    access: 'pulls.read_own',
    summary: 'The camera pulls the signed-in officer asked for',
    tags: ['pulls'],
    query: PullListQuerySchema,
    response: PullListSchema,
  }),
  workload: endpoint({
    method: 'GET',
    path: '/v1/pulls/workload',
    access: 'pulls.read',
    summary: 'Open camera pulls per assigned analyst',
    tags: ['pulls'],
    response: PullWorkloadSchema,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/pulls/:id',
    access: 'pulls.read',
    summary: 'One camera pull with its candidate cameras and the history of their outcomes',
    tags: ['pulls'],
    params: PullParams,
    response: PullDetailSchema,
    errors: [404],
  }),
  getMine: endpoint({
    method: 'GET',
    path: '/v1/pulls/mine/:id',
    access: 'pulls.read_own',
    summary: 'One camera pull the signed-in officer asked for, with its candidates',
    tags: ['pulls'],
    params: PullParams,
    response: PullDetailSchema,
    errors: [404],
  }),
  create: endpoint({
    method: 'POST',
    path: '/v1/pulls',
    access: 'pulls.work',
    summary:
      "Log an officer's radio request for a camera pull; selects the candidate cameras around it",
    tags: ['pulls'],
    body: NewPullSchema,
    response: PullDetailSchema,
    status: 201,
    bodyLimit: BODY_LIMIT,
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/v1/pulls/:id',
    access: 'pulls.work',
    summary:
      'Change a pull (requester, case, incident, location, radius, window, assignee, status); a moved location or window selects the candidates again',
    tags: ['pulls'],
    params: PullParams,
    body: PullPatchSchema,
    response: PullDetailSchema,
    errors: [404, 409],
    bodyLimit: BODY_LIMIT,
  }),
  fulfil: endpoint({
    method: 'POST',
    path: '/v1/pulls/:id/fulfil',
    access: 'pulls.work',
    summary: 'Mark a pull fulfilled',
    tags: ['pulls'],
    params: PullParams,
    body: FulfilSchema,
    response: PullSchema,
    errors: [404, 409],
    bodyLimit: BODY_LIMIT,
  }),
  close: endpoint({
    method: 'POST',
    path: '/v1/pulls/:id/close',
    access: 'pulls.work',
    summary: 'Close a pull unfulfilled, saying why',
    tags: ['pulls'],
    params: PullParams,
    body: CloseSchema,
    response: PullSchema,
    errors: [404, 409],
    bodyLimit: BODY_LIMIT,
  }),
  outcome: endpoint({
    method: 'POST',
    path: '/v1/pulls/:id/candidates/:cameraId/outcome',
    access: 'pulls.work',
    summary: "Record a candidate camera's outcome (kept with who and when)",
    tags: ['pulls'],
    params: CandidateParams,
    body: OutcomeInputSchema,
    response: PullCandidateSchema,
    errors: [404],
    bodyLimit: BODY_LIMIT,
  }),
  ownerContact: endpoint({
    method: 'POST',
    path: '/v1/pulls/:id/candidates/:cameraId/owner-contact',
    access: 'pulls.work',
    summary:
      "Reveal a candidate camera owner's contact, with the pull as the reason (audited as camera_pull)",
    tags: ['pulls'],
    params: CandidateParams,
    response: OwnerContactResponseSchema,
    errors: [404],
  }),
};

const PullIdArg = z.uuid();

export const PULL_CALLS = {
  'pulls.list': serverCall(
    PULL_ENDPOINTS.list,
    z
      .object({
        state: z.enum(['open', 'closed', 'all']).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'pulls.mine': serverCall(
    PULL_ENDPOINTS.mine,
    z
      .object({
        state: z.enum(['open', 'closed', 'all']).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'pulls.workload': serverCall(PULL_ENDPOINTS.workload, z.object({}).strict()),
  'pulls.get': serverCall(PULL_ENDPOINTS.get, z.object({ id: PullIdArg }).strict()),
  'pulls.getMine': serverCall(PULL_ENDPOINTS.getMine, z.object({ id: PullIdArg }).strict()),
  'pulls.create': serverCall(
    PULL_ENDPOINTS.create,
    z.object({ pull: NewPullSchema }).strict(),
    (a) => ({ body: a.pull }),
  ),
  'pulls.update': serverCall(
    PULL_ENDPOINTS.update,
    z.object({ id: PullIdArg, patch: PullPatchSchema }).strict(),
    (a) => ({ params: { id: a.id }, body: a.patch }),
  ),
  'pulls.fulfil': serverCall(
    PULL_ENDPOINTS.fulfil,
    z.object({ id: PullIdArg, note: FulfilSchema.shape.note }).strict(),
  ),
  'pulls.close': serverCall(
    PULL_ENDPOINTS.close,
    z.object({ id: PullIdArg, note: CloseSchema.shape.note }).strict(),
  ),
  'pulls.setOutcome': serverCall(
    PULL_ENDPOINTS.outcome,
    z
      .object({
        id: PullIdArg,
        cameraId: CameraIdSchema,
        outcome: CandidateOutcomeSchema,
        note: OutcomeInputSchema.shape.note,
      })
      .strict(),
  ),
  'pulls.ownerContact': serverCall(
    PULL_ENDPOINTS.ownerContact,
    z.object({ id: PullIdArg, cameraId: CameraIdSchema }).strict(),
    (a) => ({ params: { id: a.id, cameraId: a.cameraId }, body: {} }),
  ),
};

// ----------------------------------------------------------------------------------------------
// Events: to whoever reads pulls, and to the officer who asked

const PullEventSchema = z.object({ pull: PullSchema });
const PullUpdatedSchema = z.object({
  pull: PullSchema,
  /** What changed: pull fields by name, `status`, and `candidates` when they were selected again. */
  changed: z.array(z.string()),
});

const requesterOf = (p: { pull: { requester: { userId: string | null } } }) =>
  p.pull.requester.userId;

export const PULL_EVENTS = {
  'pull.logged': defineEvent(PullEventSchema, {
    priority: 'routine',
    audience: [holders('pulls.read'), theUser(requesterOf)],
  }),
  'pull.updated': defineEvent(PullUpdatedSchema, {
    priority: 'routine',
    audience: [holders('pulls.read'), theUser(requesterOf)],
  }),
  'pull.candidateChanged': defineEvent(CandidateChangeSchema, {
    priority: 'routine',
    audience: [holders('pulls.read'), theUser(requesterOf)],
  }),
};
