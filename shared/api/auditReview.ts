import { z } from 'zod';
import { AuditFlagKindSchema, AuditFlagSchema } from '../domain/auditFlags';
import { CaseReferenceSchema, ViewReasonCodeSchema } from '../domain/reasons';
import { AuditOutcomeSchema } from './audit';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * The audit review (docs/audit-review.md): the trail searched and counted, the flags a reviewer
 * works through, a signed export, and the chain's health. Administrators and auditors see every
 * entry; a supervisor sees the entries of people during the shifts the supervisor was on.
 */

const Name = z.string().trim().min(1).max(200);
const Timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 time with its offset' });

/** What narrows the trail; the same for the list, the counts and the export. */
export const AuditFiltersSchema = z.object({
  actorId: Name.optional(),
  cameraId: Name.optional(),
  /** A case or incident number: entries about the case, or whose reason names it. */
  caseNumber: CaseReferenceSchema.optional(),
  reasonCode: ViewReasonCodeSchema.optional(),
  /** Words in the reason's note (compared without regard to case). */
  reasonText: z.string().trim().min(1).max(200).optional(),
  action: Name.optional(),
  outcome: AuditOutcomeSchema.optional(),
  /** The range; without it, the last seven days up to now. */
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});
export type AuditFilters = z.infer<typeof AuditFiltersSchema>;

/** The kinds of record an entry can point at, and the console can open. */
export const AUDIT_TARGET_KINDS = [
  'camera',
  'case',
  'user',
  'tip',
  'incident',
  'pull',
  'alert',
  'other',
] as const;
export const AuditTargetKindSchema = z.enum(AUDIT_TARGET_KINDS);
export type AuditTargetKind = z.infer<typeof AuditTargetKindSchema>;

export const AuditTargetSchema = z.object({
  kind: AuditTargetKindSchema,
  /** The trail's own words for it (target type and id). */
  type: z.string(),
  id: z.string(),
  /** Its name now (a camera's name, a user's name, a pull's number); null when unknown. */
  label: z.string().nullable(),
});
export type AuditTarget = z.infer<typeof AuditTargetSchema>;

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  outcome: AuditOutcomeSchema,
  target: AuditTargetSchema.nullable(),
  reason: z
    .object({
      code: z.string().nullable(),
      reference: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Whose entries the reader sees: all of them, or those of the reader's own shifts. */
export const AuditScopeSchema = z.enum(['all', 'own_shifts']);
export type AuditScope = z.infer<typeof AuditScopeSchema>;

export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  next: z.number().int().nullable(),
  scope: AuditScopeSchema,
  from: z.string(),
  to: z.string(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditCountsSchema = z.object({
  total: z.number().int(),
  byUser: z.array(
    z.object({
      actorId: z.string().nullable(),
      actorName: z.string().nullable(),
      count: z.number().int(),
    }),
  ),
  /** Per reason code (null: entries with no reason). */
  byReason: z.array(z.object({ code: z.string().nullable(), count: z.number().int() })),
  scope: AuditScopeSchema,
});
export type AuditCounts = z.infer<typeof AuditCountsSchema>;

export const FlagReviewSchema = z.object({
  key: z.string(),
  kind: AuditFlagKindSchema,
  at: z.string(),
  reviewerId: z.string().nullable(),
  reviewerName: z.string(),
  note: z.string(),
});
export type FlagReview = z.infer<typeof FlagReviewSchema>;

export const ReviewedFlagSchema = AuditFlagSchema.extend({
  /** The newest review; null while the flag waits for one. */
  review: FlagReviewSchema.nullable(),
});
export type ReviewedFlag = z.infer<typeof ReviewedFlagSchema>;

export const FlagListSchema = z.object({
  flags: z.array(ReviewedFlagSchema),
  scope: AuditScopeSchema,
  from: z.string(),
  to: z.string(),
});
export type FlagList = z.infer<typeof FlagListSchema>;

export const NewFlagReviewSchema = z.object({
  key: z.string().trim().min(1).max(600),
  note: z.string().trim().min(1, 'a review says what was found').max(2000),
});

/** The signature file that goes with an export (docs/audit-review.md, "Export"). */
export const ExportSignatureSchema = z.object({
  format: z.literal('watchfloor.audit.export/1'),
  file: z.string(),
  /** SHA-256 of the CSV's bytes, hex. */
  sha256: z.string(),
  rows: z.number().int(),
  filters: z.record(z.string(), z.string()),
  /** Where the chain was verified, just before the export: every exported row is at or before it. */
  chain: z.object({ lastId: z.number().int().nullable(), hash: z.string().nullable() }),
  exportedAt: z.string(),
  exportedBy: z.string(),
  /** The agency's evidence key (Ed25519) that signed it. */
  keyFingerprint: z.string(),
  publicKeyPem: z.string(),
  /** Ed25519 over the canonical JSON of every field above, base64. */
  signature: z.string(),
});
export type ExportSignature = z.infer<typeof ExportSignatureSchema>;

export const AuditExportSchema = z.object({
  filename: z.string(),
  csv: z.string(),
  signatureFilename: z.string(),
  signature: ExportSignatureSchema,
});
export type AuditExport = z.infer<typeof AuditExportSchema>;

export const ChainCheckSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  rowsChecked: z.number().int(),
  lastId: z.number().int().nullable(),
  hash: z.string().nullable(),
  problem: z.string().nullable(),
  trigger: z.enum(['start', 'schedule', 'demand']),
});
export type ChainCheck = z.infer<typeof ChainCheckSchema>;

export const ChainHealthSchema = z.object({
  /** The newest verification, from the trail. */
  last: ChainCheckSchema.nullable(),
  /** The newest failed one, if any ever failed. */
  lastFailure: ChainCheckSchema.nullable(),
  /** Where each result is also written, outside the database. */
  file: z.string().nullable(),
});
export type ChainHealth = z.infer<typeof ChainHealthSchema>;

const Filters = AuditFiltersSchema.shape;

export const AUDIT_REVIEW_ENDPOINTS = {
  entries: endpoint({
    method: 'GET',
    path: '/v1/audit/review/entries',
    access: 'audit.review',
    summary: 'Search the audit trail, newest first, each entry with what it refers to',
    tags: ['audit'],
    query: z.object({
      ...Filters,
      before: z.coerce.number().int().positive().optional().describe('Page: entries below this id'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: AuditPageSchema,
  }),
  counts: endpoint({
    method: 'GET',
    path: '/v1/audit/review/counts',
    access: 'audit.review',
    summary: 'Entries per user and per reason over the filtered range',
    tags: ['audit'],
    query: AuditFiltersSchema,
    response: AuditCountsSchema,
  }),
  flags: endpoint({
    method: 'GET',
    path: '/v1/audit/review/flags',
    access: 'audit.review',
    summary: 'The flags raised over a range, explained, with their reviews',
    tags: ['audit'],
    query: z.object({ from: Filters.from, to: Filters.to }),
    response: FlagListSchema,
  }),
  reviewFlag: endpoint({
    method: 'POST',
    path: '/v1/audit/review/flags/review',
    access: 'audit.review',
    summary: 'Mark a flag reviewed, with a note (audited)',
    tags: ['audit'],
    body: NewFlagReviewSchema,
    response: FlagReviewSchema,
    status: 201,
    errors: [404],
  }),
  export: endpoint({
    method: 'GET',
    path: '/v1/audit/review/export',
    access: 'audit.review',
    summary: 'The filtered range as CSV, with a detached signature and the chain position verified',
    tags: ['audit'],
    query: AuditFiltersSchema,
    response: AuditExportSchema,
    errors: [409],
  }),
  health: endpoint({
    method: 'GET',
    path: '/v1/audit/review/health',
    access: 'audit.review',
    summary: "The audit chain's last verification, and its last failure if any",
    tags: ['audit'],
    response: ChainHealthSchema,
  }),
};

const CallFilters = z.object(Filters).strict();

export const AUDIT_REVIEW_CALLS = {
  'audit.entries': serverCall(
    AUDIT_REVIEW_ENDPOINTS.entries,
    z
      .object({
        ...Filters,
        before: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'audit.counts': serverCall(AUDIT_REVIEW_ENDPOINTS.counts, CallFilters),
  'audit.flags': serverCall(
    AUDIT_REVIEW_ENDPOINTS.flags,
    z.object({ from: Filters.from, to: Filters.to }).strict(),
  ),
  'audit.reviewFlag': serverCall(AUDIT_REVIEW_ENDPOINTS.reviewFlag, NewFlagReviewSchema.strict()),
  'audit.export': serverCall(AUDIT_REVIEW_ENDPOINTS.export, CallFilters),
  'audit.health': serverCall(AUDIT_REVIEW_ENDPOINTS.health, z.object({}).strict()),
};

export const FlagReviewedSchema = z.object({
  key: z.string(),
  kind: AuditFlagKindSchema,
  byName: z.string(),
});

export const AUDIT_REVIEW_EVENTS = {
  'audit.flag.reviewed': defineEvent(FlagReviewedSchema, {
    priority: 'routine',
    audience: [holders('audit.review')],
  }),
  'audit.chain.checked': defineEvent(ChainCheckSchema, {
    // A failure is urgent for those who answer for the trail; a pass only refreshes the view.
    priority: 'urgent',
    priorityFor: (c) => (c.ok ? 'routine' : 'urgent'),
    audience: [holders('audit.review_all')],
    describe: (c) =>
      c.ok
        ? { title: 'Audit trail verified', body: `Verified up to entry ${c.lastId ?? 'none'}.` }
        : {
            title: 'Audit trail verification FAILED',
            body: c.problem ?? 'The audit chain does not verify.',
          },
  }),
};
