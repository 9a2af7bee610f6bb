import { z } from 'zod';
import { ViewReasonSchema } from '../domain/reasons';
import {
  ReplyBodySchema,
  ReplyStateSchema,
  ThreadEntrySchema,
  TipIdSchema,
  TipLineSettingsSchema,
  TipLinksSchema,
  TipReplySchema,
  TipSchema,
  TipStateSchema,
  TipThreadSchema,
  AttachmentStateSchema,
} from '../domain/tips';
import { defineEvent, endpoint, holders, serverCall, theUser } from './contract';

/**
 * The anonymous text tip line (docs/tip-line.md): the provider's webhook, triage, replies, the
 * media of tips and the line's schedule. No endpoint, call or event here carries a phone number.
 */

/** Twilio's inbound message webhook: form fields, every value a string (docs/tip-line.md). */
export const ProviderWebhookSchema = z.record(z.string(), z.string());

const TipParams = z.object({ id: TipIdSchema });

export const TipListQuerySchema = z
  .object({
    state: z
      .union([TipStateSchema, z.literal('open')])
      .optional()
      .describe('a state, or "open" for new and reviewing'),
    since: z.iso.datetime().optional(),
    until: z.iso.datetime().optional(),
    hasMedia: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    assignedTo: z.union([z.literal('me'), z.uuid()]).optional(),
    q: z.string().trim().min(1).max(200).optional().describe('words to find in the text'),
    /** Paging: tips received before this one (newest first). */
    before: TipIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const TipListSchema = z.object({
  tips: z.array(TipSchema),
  /** Pass as `before` for the next page; null on the last. */
  next: TipIdSchema.nullable(),
});

export const TipDetailSchema = z.object({
  tip: TipSchema,
  thread: TipThreadSchema,
  /** The whole conversation, oldest first. */
  entries: z.array(ThreadEntrySchema),
});

export const TipStateChangeSchema = z
  .object({
    state: TipStateSchema,
    /** With `duplicate`: the tip this one repeats. */
    duplicateOf: TipIdSchema.optional(),
  })
  .strict()
  .refine((c) => (c.state === 'duplicate') === (c.duplicateOf !== undefined), {
    message: 'a duplicate names the tip it repeats (duplicateOf), and only a duplicate does',
    path: ['duplicateOf'],
  });

export const TipAssignSchema = z.object({ userId: z.uuid().nullable() }).strict();

/** A grant to look at one tip's media: opened for a reason, audited, short-lived. */
export const TipMediaGrantSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
});

export const TIP_MEDIA_VARIANTS = ['original', 'preview', 'playable'] as const;
export const TipMediaVariantSchema = z.enum(TIP_MEDIA_VARIANTS);
export type TipMediaVariant = z.infer<typeof TipMediaVariantSchema>;

export const TIP_ENDPOINTS = {
  webhook: endpoint({
    method: 'POST',
    path: '/v1/ingest/twilio/sms',
    access: 'public',
    summary:
      "The SMS provider's inbound message webhook (Twilio's form fields, signed with X-Twilio-Signature); answers TwiML",
    tags: ['tips', 'ingest'],
    body: ProviderWebhookSchema,
    response: z.string(),
    errors: [403, 413, 415, 503],
    bodyLimit: 64 * 1024,
  }),
  list: endpoint({
    method: 'GET',
    path: '/v1/tips',
    access: 'tips.read',
    summary: 'Tips, newest first, filtered by state, time, media, assignee and text',
    tags: ['tips'],
    query: TipListQuerySchema,
    response: TipListSchema,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/tips/:id',
    access: 'tips.read',
    summary: 'One tip with its whole conversation',
    tags: ['tips'],
    params: TipParams,
    response: TipDetailSchema,
    errors: [404],
  }),
  setState: endpoint({
    method: 'POST',
    path: '/v1/tips/:id/state',
    access: 'tips.triage',
    summary: 'Move a tip through triage: new, reviewing, actionable, no action, duplicate',
    tags: ['tips'],
    params: TipParams,
    body: TipStateChangeSchema,
    response: TipSchema,
    errors: [404, 409],
  }),
  assign: endpoint({
    method: 'POST',
    path: '/v1/tips/:id/assignee',
    access: 'tips.triage',
    summary: 'Assign a tip to an analyst (null takes it back)',
    tags: ['tips'],
    params: TipParams,
    body: TipAssignSchema,
    response: TipSchema,
    errors: [404, 409],
  }),
  link: endpoint({
    method: 'POST',
    path: '/v1/tips/:id/links',
    access: 'tips.triage',
    summary: 'Link a tip to an incident number or a case number (null removes the link)',
    tags: ['tips'],
    params: TipParams,
    body: TipLinksSchema,
    response: TipSchema,
    errors: [404],
  }),
  reply: endpoint({
    method: 'POST',
    path: '/v1/tips/:id/replies',
    access: 'tips.reply',
    summary: "Reply to a tip's sender through the SMS provider (the number is never shown)",
    tags: ['tips'],
    params: TipParams,
    body: z.object({ body: ReplyBodySchema }).strict(),
    response: TipReplySchema,
    status: 201,
    errors: [404, 409, 503],
  }),
  openMedia: endpoint({
    method: 'POST',
    path: '/v1/tips/:id/media-grants',
    access: 'tips.read',
    summary: "Open a tip's photos and videos for a stated reason (audited like a camera view)",
    tags: ['tips'],
    params: TipParams,
    body: z.object({ reason: ViewReasonSchema }).strict(),
    response: TipMediaGrantSchema,
    status: 201,
    errors: [404],
  }),
  media: endpoint({
    method: 'GET',
    path: '/v1/tip-media/:token/:n/:variant',
    access: 'tips.read',
    summary: "One file of a tip's media, through a grant the same user opened",
    tags: ['tips'],
    params: z.object({
      token: z.string().min(20).max(200),
      n: z.coerce.number().int().min(0).max(99),
      variant: TipMediaVariantSchema,
    }),
    response: z.unknown(),
    errors: [404],
  }),
  settings: endpoint({
    method: 'GET',
    path: '/v1/tip-line',
    // Administrators edit the line without reading tips; the hours and texts are what the line
    // tells every tipster, so anyone signed in may read them.
    access: 'authenticated',
    summary:
      "The tip line's staffed hours, holidays and automatic texts, and whether it is staffed now",
    tags: ['tips'],
    response: z.object({
      settings: TipLineSettingsSchema,
      staffedNow: z.boolean(),
      configured: z.boolean().describe('whether the SMS provider is configured'),
    }),
  }),
};

export const TIP_CALLS = {
  'tips.list': serverCall(
    TIP_ENDPOINTS.list,
    z
      .object({
        state: z.union([TipStateSchema, z.literal('open')]).optional(),
        since: z.iso.datetime().optional(),
        until: z.iso.datetime().optional(),
        hasMedia: z.boolean().optional(),
        assignedTo: z.union([z.literal('me'), z.uuid()]).optional(),
        q: z.string().trim().min(1).max(200).optional(),
        before: TipIdSchema.optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
  ),
  'tips.get': serverCall(TIP_ENDPOINTS.get, z.object({ id: TipIdSchema }).strict()),
  'tips.setState': serverCall(
    TIP_ENDPOINTS.setState,
    z
      .object({ id: TipIdSchema, state: TipStateSchema, duplicateOf: TipIdSchema.optional() })
      .strict(),
  ),
  'tips.assign': serverCall(
    TIP_ENDPOINTS.assign,
    z.object({ id: TipIdSchema, userId: z.uuid().nullable() }).strict(),
  ),
  'tips.link': serverCall(
    TIP_ENDPOINTS.link,
    z
      .object({
        id: TipIdSchema,
        incidentNumber: z.string().nullable().optional(),
        caseNumber: z.string().nullable().optional(),
      })
      .strict(),
  ),
  'tips.reply': serverCall(
    TIP_ENDPOINTS.reply,
    z.object({ id: TipIdSchema, body: ReplyBodySchema }).strict(),
  ),
  'tips.openMedia': serverCall(
    TIP_ENDPOINTS.openMedia,
    z.object({ id: TipIdSchema, reason: ViewReasonSchema }).strict(),
  ),
  'tips.settings': serverCall(TIP_ENDPOINTS.settings, z.object({}).strict()),
};

// ----------------------------------------------------------------------------------------------
// Events: never a number, never the text beyond a short preview

const TipReceivedSchema = z.object({
  tipId: TipIdSchema,
  threadId: z.uuid(),
  alias: z.string(),
  receivedAt: z.string(),
  /** The first characters of the text, for the notice. */
  preview: z.string(),
  mediaCount: z.number().int(),
  outsideHours: z.boolean(),
});

const TipChangedSchema = z.object({
  tipId: TipIdSchema,
  change: z.enum(['state', 'assignee', 'links', 'location']),
  state: TipStateSchema,
  assignedTo: z.string().nullable(),
  byName: z.string().nullable(),
});

const TipAssignedSchema = z.object({
  tipId: TipIdSchema,
  alias: z.string(),
  assigneeId: z.string(),
  byName: z.string(),
});

const AttachmentChangedSchema = z.object({
  tipId: TipIdSchema,
  n: z.number().int(),
  state: AttachmentStateSchema,
  failure: z.string().nullable(),
});

const ReplyChangedSchema = z.object({
  tipId: TipIdSchema.nullable(),
  threadId: z.uuid(),
  replyId: z.uuid(),
  state: ReplyStateSchema,
  failure: z.string().nullable(),
  automatic: z.boolean(),
});

const ThreadChangedSchema = z.object({
  threadId: z.uuid(),
  alias: z.string(),
  optedOut: z.boolean(),
});

export const TIP_EVENTS = {
  'tip.received': defineEvent(TipReceivedSchema, {
    priority: 'notable',
    audience: [holders('tips.read')],
    describe: (p) => ({
      title: `New tip from tipster ${p.alias}`,
      body:
        (p.preview || '(no text)') +
        (p.mediaCount > 0 ? ` [${p.mediaCount} attachment${p.mediaCount > 1 ? 's' : ''}]` : ''),
    }),
    notifyWhenAway: true,
  }),
  'tip.updated': defineEvent(TipChangedSchema, {
    priority: 'routine',
    audience: [holders('tips.read')],
  }),
  'tip.assigned': defineEvent(TipAssignedSchema, {
    priority: 'notable',
    audience: [theUser((p) => p.assigneeId)],
    describe: (p) => ({
      title: `Tip assigned to you`,
      body: `${p.byName} assigned you the tip from tipster ${p.alias}.`,
    }),
    notifyWhenAway: true,
  }),
  'tip.attachmentChanged': defineEvent(AttachmentChangedSchema, {
    priority: 'routine',
    audience: [holders('tips.read')],
  }),
  'tip.replyChanged': defineEvent(ReplyChangedSchema, {
    priority: 'routine',
    audience: [holders('tips.read')],
  }),
  'tipThread.updated': defineEvent(ThreadChangedSchema, {
    priority: 'routine',
    audience: [holders('tips.read')],
  }),
};
