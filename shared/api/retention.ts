import { z } from 'zod';
import { RETENTION_KINDS } from '../domain/retention';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * Retention (docs/retention.md): the periods in force, the purge that applies them and the legal
 * hold that keeps a case's data. The periods themselves are a section of the agency's settings
 * (`PUT /v1/agency/retention`, shared/api/agency.ts).
 */

export const RetentionKindSchema = z.enum(RETENTION_KINDS);

/** One kind's period as it stands, with its floor and default (the transparency report reads it). */
export const RetentionPeriodSchema = z.object({
  kind: RetentionKindSchema,
  label: z.string(),
  days: z.number().int(),
  defaultDays: z.number().int(),
  floorDays: z.number().int(),
  floorReason: z.string(),
  from: z.string(),
  /** Whether the purge deletes this kind today (online reports do not exist yet). */
  enforced: z.boolean(),
});
export type RetentionPeriod = z.infer<typeof RetentionPeriodSchema>;

/**
 * What one run removed: per kind, the kind's own records (threads, attachments, hits, points,
 * incidents, evidence files, shift logs, view grants); beside them the tips of the threads, the
 * tracked subjects and the exported packages that went with them, the media files no record
 * named any more, and how many expired records a legal hold kept.
 */
const PURGE_COUNT_NAMES = [
  ...RETENTION_KINDS,
  'tips',
  'trackSubjects',
  'evidencePackages',
  'orphanMedia',
  'held',
] as const;
export type PurgeCountName = (typeof PURGE_COUNT_NAMES)[number];
export const PurgeCountsSchema = z.object(
  Object.fromEntries(PURGE_COUNT_NAMES.map((k) => [k, z.number().int()])) as Record<
    PurgeCountName,
    z.ZodNumber
  >,
);
export type PurgeCounts = z.infer<typeof PurgeCountsSchema>;

export const PurgeRunSchema = z.object({
  id: z.string(),
  trigger: z.enum(['schedule', 'admin']),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(['completed', 'failed', 'interrupted']).nullable(),
  counts: PurgeCountsSchema.partial(),
  problem: z.string().nullable(),
});
export type PurgeRun = z.infer<typeof PurgeRunSchema>;

export const RetentionStatusSchema = z.object({
  periods: z.array(RetentionPeriodSchema),
  /** The audit trail: kept at least a year (CJIS 5.4.7), never purged. */
  auditTrail: z.string(),
  lastRun: PurgeRunSchema.nullable(),
  running: z.boolean(),
});
export type RetentionStatus = z.infer<typeof RetentionStatusSchema>;

export const PurgeStartedSchema = z.object({
  run: PurgeRunSchema,
  /** A run was already under way: this is that run, and no second one started. */
  alreadyRunning: z.boolean(),
});

const CaseNumberParams = z.object({ number: z.string().trim().min(1).max(64) });

export const LegalHoldChangeSchema = z
  .object({
    held: z.boolean(),
    /** Why (a preservation letter, litigation): required to set a hold and to lift one. */
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();

export const LegalHoldSchema = z.object({
  number: z.string(),
  held: z.boolean(),
  reason: z.string().nullable(),
  setAt: z.string().nullable(),
  setBy: z.string().nullable(),
});
export type LegalHold = z.infer<typeof LegalHoldSchema>;

export const RETENTION_ENDPOINTS = {
  status: endpoint({
    method: 'GET',
    path: '/v1/retention',
    access: 'authenticated',
    summary: 'The retention periods in force, their floors, and the last purge run',
    tags: ['retention'],
    response: RetentionStatusSchema,
  }),
  purge: endpoint({
    method: 'POST',
    path: '/v1/retention/purge',
    access: 'retention.purge',
    summary: 'Start a purge of what has expired now (it runs in the background; audited)',
    tags: ['retention'],
    body: z.object({}).strict(),
    response: PurgeStartedSchema,
  }),
  getHold: endpoint({
    method: 'GET',
    path: '/v1/cases/:number/legal-hold',
    access: 'cases.read',
    summary: "A case's legal hold: whether it is set, why, by whom and since when",
    tags: ['retention', 'cases'],
    params: CaseNumberParams,
    response: LegalHoldSchema,
    errors: [404],
  }),
  setHold: endpoint({
    method: 'PUT',
    path: '/v1/cases/:number/legal-hold',
    access: 'cases.hold',
    summary: "Set or lift a case's legal hold: a held case keeps everything linked to it",
    tags: ['retention', 'cases'],
    params: CaseNumberParams,
    body: LegalHoldChangeSchema,
    response: LegalHoldSchema,
    errors: [404],
  }),
};

export const RETENTION_CALLS = {
  'retention.status': serverCall(RETENTION_ENDPOINTS.status, z.object({}).strict()),
  'retention.purge': serverCall(RETENTION_ENDPOINTS.purge, z.object({}).strict(), () => ({
    body: {},
  })),
  'cases.legalHold': serverCall(
    RETENTION_ENDPOINTS.getHold,
    z.object({ number: z.string() }).strict(),
  ),
  'cases.setLegalHold': serverCall(
    RETENTION_ENDPOINTS.setHold,
    z.object({ number: z.string(), held: z.boolean(), reason: z.string() }).strict(),
  ),
};

export const RETENTION_EVENTS = {
  'retention.purged': defineEvent(z.object({ run: PurgeRunSchema }), {
    priority: 'routine',
    audience: [holders('retention.purge')],
    notShown: 'the retention section reads the last run when it is opened',
  }),
  'case.holdChanged': defineEvent(
    z.object({ number: z.string(), held: z.boolean(), byName: z.string() }),
    {
      priority: 'routine',
      audience: [holders('cases.read'), holders('cases.hold')],
      notShown: 'a case page reads its hold when it is opened',
    },
  ),
};
