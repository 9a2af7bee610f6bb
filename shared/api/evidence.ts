import { z } from 'zod';
import { CameraKindSchema } from '../domain/cameras';
import { CaseReferenceSchema } from '../domain/reasons';
import { SharingPolicySchema } from '../domain/sharingPolicy';
import { defineEvent, endpoint, holders, serverCall } from './contract';

/**
 * Evidence (docs/evidence.md): footage fetched from a camera's recordings source through the
 * owner's policy, clips exported from a workstation's replay buffer, stills, their chain of
 * custody, signed packages and the links officers are sent to view a clip.
 */

/** Footage is fetched for a pull or a case follow-up, and nothing else. */
export const EvidenceReasonSchema = z.enum(['camera_pull', 'investigation_follow_up']);
export type EvidenceReason = z.infer<typeof EvidenceReasonSchema>;

/** The longest span one fetch asks a recordings source for. */
export const MAX_RECORDING_SPAN_MS = 2 * 60 * 60_000;

const Instant = z.iso.datetime({
  offset: true,
  message: 'a time is ISO 8601, e.g. 2026-11-29T19:00:00Z',
});
const PullId = z.uuid('a pull id is a UUID');
const Id = z.string().min(1).max(100);

export const FetchRecordingRequestSchema = z
  .object({
    caseNumber: CaseReferenceSchema,
    pullId: PullId.optional(),
    cameraId: Id,
    start: Instant,
    end: Instant,
    reason: EvidenceReasonSchema,
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((r) => Date.parse(r.end) > Date.parse(r.start), {
    message: 'the end comes after the start',
    path: ['end'],
  })
  .refine((r) => Date.parse(r.end) - Date.parse(r.start) <= MAX_RECORDING_SPAN_MS, {
    message: `one fetch covers at most ${MAX_RECORDING_SPAN_MS / 3_600_000} hours`,
    path: ['end'],
  });
export type FetchRecordingRequest = z.infer<typeof FetchRecordingRequestSchema>;

/** The owner's consent as the sharing policy recorded it when the file was fetched. */
export const EvidenceConsentSchema = z.object({
  cameraKind: CameraKindSchema,
  /** The owner's policy at the time (null for the agency's own cameras). */
  policy: SharingPolicySchema.nullable(),
  /** The policy in words, as the console shows it. */
  summary: z.string(),
});
export type EvidenceConsent = z.infer<typeof EvidenceConsentSchema>;

export const EvidenceFileSchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  pullId: z.string().nullable(),
  kind: z.enum(['recording', 'clip', 'still']),
  parentId: z.string().nullable(),
  cameraId: z.string(),
  cameraName: z.string(),
  consent: EvidenceConsentSchema,
  start: z.string(),
  end: z.string(),
  source: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  contentType: z.string(),
  fetchedBy: z.string(),
  fetchedAt: z.string(),
});
export type EvidenceFile = z.infer<typeof EvidenceFileSchema>;

export const CUSTODY_ACTIONS = [
  'requested',
  'fetched',
  'hashed',
  'exported',
  'opened',
  'shared',
] as const;
export const CustodyActionSchema = z.enum(CUSTODY_ACTIONS);
export type CustodyAction = z.infer<typeof CustodyActionSchema>;

export const CustodyEntrySchema = z.object({
  caseNumber: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  action: CustodyActionSchema,
  actor: z.string(),
  fileId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type CustodyEntry = z.infer<typeof CustodyEntrySchema>;

export const EvidenceExportSchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  pullId: z.string().nullable(),
  /** The package's folder on the server, relative to its evidence folder. */
  dir: z.string(),
  manifestSha256: z.string(),
  files: z.number().int(),
  sizeBytes: z.number().int(),
  keyFingerprint: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type EvidenceExport = z.infer<typeof EvidenceExportSchema>;

export const EvidenceLinkSchema = z.object({
  id: z.string(),
  fileId: z.string(),
  caseNumber: z.string(),
  officer: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  openedCount: z.number().int(),
  lastOpenedAt: z.string().nullable(),
});
export type EvidenceLink = z.infer<typeof EvidenceLinkSchema>;

/** The token is in this answer and nowhere else: only its hash is kept. */
export const CreatedEvidenceLinkSchema = EvidenceLinkSchema.extend({
  token: z.string().describe('The link token to send the officer; shown once'),
});

export const CaseEvidenceSchema = z.object({
  caseNumber: z.string(),
  files: z.array(EvidenceFileSchema),
  exports: z.array(EvidenceExportSchema),
  custody: z.array(CustodyEntrySchema),
  links: z.array(EvidenceLinkSchema),
});
export type CaseEvidence = z.infer<typeof CaseEvidenceSchema>;

export const EvidenceKeySchema = z.object({
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
  /** SHA-256 of the public key (SubjectPublicKeyInfo, DER), hex in groups of four. */
  fingerprint: z.string(),
});
export type EvidenceKey = z.infer<typeof EvidenceKeySchema>;

/** Link lifetimes: a day unless said, a week at most. */
export const DEFAULT_LINK_HOURS = 24;
export const MAX_LINK_HOURS = 7 * 24;

export const NewEvidenceLinkSchema = z
  .object({
    fileId: Id,
    /** Who the link is for: a name, badge number or unit, as the center knows them. */
    officer: z.string().trim().min(1, 'name the officer the link is for').max(200),
    hours: z
      .number()
      .int()
      .min(1, 'a link lasts at least an hour')
      .max(MAX_LINK_HOURS, `a link lasts at most ${MAX_LINK_HOURS} hours (7 days)`)
      .default(DEFAULT_LINK_HOURS),
  })
  .strict();

/** What an officer opening a link sees: the clip's facts and where its video is. */
export const EvidenceLinkViewSchema = z.object({
  caseNumber: z.string(),
  officer: z.string(),
  expiresAt: z.string(),
  file: EvidenceFileSchema.pick({
    id: true,
    kind: true,
    cameraName: true,
    start: true,
    end: true,
    sha256: true,
    sizeBytes: true,
    contentType: true,
  }),
});
export type EvidenceLinkView = z.infer<typeof EvidenceLinkViewSchema>;

export const NewStillSchema = z
  .object({
    /** Seconds into the file; the middle when left out. */
    atSec: z
      .number()
      .min(0)
      .max(MAX_RECORDING_SPAN_MS / 1000)
      .optional(),
  })
  .strict();

export const NewExportSchema = z
  .object({
    /** Only this pull's files; the whole case when left out. */
    pullId: PullId.optional(),
  })
  .strict();

/** A replay clip is at most two minutes of one camera's buffer. */
export const CLIP_BODY_LIMIT = 512 * 1024 * 1024;

/** What the gateway's clip manifest says of a clip it exported (electron/host/gateway/clipExport.ts). */
export const ReplayClipQuerySchema = z
  .object({
    caseNumber: CaseReferenceSchema,
    pullId: PullId.optional(),
    cameraId: Id,
    grantId: Id,
    start: Instant,
    end: Instant,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hexadecimal digits'),
  })
  .strict()
  .refine((r) => Date.parse(r.end) > Date.parse(r.start), {
    message: 'the end comes after the start',
    path: ['end'],
  });
export type ReplayClipQuery = z.infer<typeof ReplayClipQuerySchema>;

const CaseParams = z.object({ caseNumber: CaseReferenceSchema });
const IdParams = z.object({ id: Id });
/** Link tokens are 256 random bits, base64url. */
const TokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an evidence link token'),
});

export const EVIDENCE_ENDPOINTS = {
  fetchRecording: endpoint({
    method: 'POST',
    path: '/v1/evidence/recordings',
    access: 'evidence.export',
    summary:
      "Fetch a time range of a camera's recordings for a case, through the owner's policy for recordings; stored by SHA-256 with its custody entries",
    tags: ['evidence'],
    body: FetchRecordingRequestSchema,
    response: EvidenceFileSchema,
    status: 201,
    errors: [404, 409],
  }),
  still: endpoint({
    method: 'POST',
    path: '/v1/evidence/files/:id/stills',
    access: 'evidence.export',
    summary: 'Take a still (JPEG) from an evidence video; kept with the case',
    tags: ['evidence'],
    params: IdParams,
    body: NewStillSchema,
    response: EvidenceFileSchema,
    status: 201,
    errors: [404, 409],
  }),
  caseEvidence: endpoint({
    method: 'GET',
    path: '/v1/evidence/cases/:caseNumber',
    access: 'evidence.export',
    summary: "A case's evidence: files, exported packages, chain of custody and officers' links",
    tags: ['evidence'],
    params: CaseParams,
    response: CaseEvidenceSchema,
  }),
  exportPackage: endpoint({
    method: 'POST',
    path: '/v1/evidence/cases/:caseNumber/exports',
    access: 'evidence.export',
    summary:
      "Export a signed evidence package of a case's (or one pull's) files: manifest, custody log, Ed25519 signature",
    tags: ['evidence'],
    params: CaseParams,
    body: NewExportSchema,
    response: EvidenceExportSchema,
    status: 201,
    errors: [404, 409],
  }),
  key: endpoint({
    method: 'GET',
    path: '/v1/evidence/key',
    access: 'authenticated',
    summary: "The agency's public key that evidence packages are signed with, and its fingerprint",
    tags: ['evidence'],
    response: EvidenceKeySchema,
  }),
  createLink: endpoint({
    method: 'POST',
    path: '/v1/evidence/links',
    access: 'evidence.export',
    summary: 'Make a link for an officer to view one evidence clip, valid for a set time',
    tags: ['evidence'],
    body: NewEvidenceLinkSchema,
    response: CreatedEvidenceLinkSchema,
    status: 201,
    errors: [404, 409],
  }),
  revokeLink: endpoint({
    method: 'DELETE',
    path: '/v1/evidence/links/:id',
    access: 'evidence.export',
    summary: "Revoke an officer's link: it opens no more",
    tags: ['evidence'],
    params: IdParams,
    response: EvidenceLinkSchema,
    errors: [404, 409],
  }),
  openLink: endpoint({
    method: 'POST',
    path: '/v1/evidence/links/:token/open',
    access: 'recordings.view',
    summary: 'Open an evidence link (audited and entered in the chain of custody each time)',
    tags: ['evidence'],
    params: TokenParams,
    response: EvidenceLinkViewSchema,
    errors: [404, 409, 410],
  }),
  linkVideo: endpoint({
    method: 'GET',
    path: '/v1/evidence/links/:token/video',
    access: 'recordings.view',
    summary:
      "The clip of a link that is still valid (ranges for seeking); opening it is audited by 'open'",
    tags: ['evidence'],
    params: TokenParams,
    response: z.unknown(),
    errors: [404, 409, 410],
  }),
  addClip: endpoint({
    method: 'POST',
    path: '/v1/evidence/clips',
    access: 'evidence.export',
    summary:
      "Add a clip a workstation exported from its replay buffer (video/mp4 body) to a case's evidence",
    tags: ['evidence'],
    query: ReplayClipQuerySchema,
    body: z.unknown().describe('The MP4 the gateway wrote, as is'),
    bodyLimit: CLIP_BODY_LIMIT,
    response: EvidenceFileSchema,
    status: 201,
    errors: [404, 409, 413, 415],
  }),
};

export const EVIDENCE_CALLS = {
  'evidence.fetchRecording': serverCall(
    EVIDENCE_ENDPOINTS.fetchRecording,
    FetchRecordingRequestSchema,
  ),
  'evidence.still': serverCall(
    EVIDENCE_ENDPOINTS.still,
    z.object({ id: Id, atSec: NewStillSchema.shape.atSec }).strict(),
  ),
  'evidence.forCase': serverCall(
    EVIDENCE_ENDPOINTS.caseEvidence,
    z.object({ caseNumber: CaseReferenceSchema }).strict(),
  ),
  'evidence.export': serverCall(
    EVIDENCE_ENDPOINTS.exportPackage,
    z.object({ caseNumber: CaseReferenceSchema, pullId: PullId.optional() }).strict(),
  ),
  'evidence.key': serverCall(EVIDENCE_ENDPOINTS.key, z.object({}).strict()),
  'evidence.createLink': serverCall(EVIDENCE_ENDPOINTS.createLink, NewEvidenceLinkSchema),
  'evidence.revokeLink': serverCall(EVIDENCE_ENDPOINTS.revokeLink, z.object({ id: Id }).strict()),
  'evidence.openLink': serverCall(
    EVIDENCE_ENDPOINTS.openLink,
    z.object({ token: TokenParams.shape.token }).strict(),
  ),
};

/** What changed in a case's evidence: a file kept, a package exported, a link made, revoked or opened. */
export const EVIDENCE_CHANGES = ['file', 'export', 'link'] as const;

export const EVIDENCE_EVENTS = {
  'evidence.changed': defineEvent(
    z.object({ caseNumber: z.string(), change: z.enum(EVIDENCE_CHANGES) }),
    {
      priority: 'routine',
      audience: [holders('evidence.export')],
    },
  ),
};
