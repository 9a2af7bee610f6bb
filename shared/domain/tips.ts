import { z } from 'zod';
import { LatitudeSchema, LongitudeSchema } from './cameras';
import { CaseReferenceSchema } from './reasons';
import { ScheduleWindowSchema } from './sharingPolicy';

/**
 * The anonymous text tip line (docs/tip-line.md): each text or MMS a tipster sends is a tip;
 * the tips from one phone number form a thread, known to analysts only by its alias. The number
 * itself never appears in anything this file describes.
 */

export const TIP_STATES = ['new', 'reviewing', 'actionable', 'no_action', 'duplicate'] as const;
export const TipStateSchema = z.enum(TIP_STATES);
export type TipState = z.infer<typeof TipStateSchema>;

export const TIP_STATE_LABELS: Readonly<Record<TipState, string>> = {
  new: 'New',
  reviewing: 'Reviewing',
  actionable: 'Actionable',
  no_action: 'No action',
  duplicate: 'Duplicate',
};

export const ATTACHMENT_STATES = ['pending', 'stored', 'failed'] as const;
export const AttachmentStateSchema = z.enum(ATTACHMENT_STATES);
export type AttachmentState = z.infer<typeof AttachmentStateSchema>;

/** What the tip line accepts from a phone (MMS): photos and short videos. */
export const TIP_MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/heic',
  'image/heif',
  'video/mp4',
  'video/3gpp',
  'video/quicktime',
] as const;

export const TipIdSchema = z.uuid();
export const ThreadAliasSchema = z.string().regex(/^[0-9A-Z]{4,8}$/);

const PersonRefSchema = z.object({ id: z.string(), name: z.string() });

export const TipAttachmentSchema = z.object({
  /** The attachment's place in the message (Twilio's MediaUrl{N}). */
  n: z.number().int().min(0),
  /** As the phone declared it; the stored file's magic bytes agree with it. */
  contentType: z.string(),
  kind: z.enum(['image', 'video', 'other']),
  state: AttachmentStateSchema,
  /** Why it failed, in a sentence an analyst can read. */
  failure: z.string().nullable(),
  attempts: z.number().int(),
  size: z.number().int().nullable(),
  /** SHA-256 of the file as received (the evidence); null until stored. */
  sha256: z.string().nullable(),
  /** Whether a browser-playable rendition and a poster exist (videos, HEIC photos). */
  preview: z.boolean(),
  playable: z.boolean(),
});
export type TipAttachment = z.infer<typeof TipAttachmentSchema>;

/** A place the tipster chose to share: a maps link or a location card in the message. */
export const SharedLocationSchema = z.object({
  lat: LatitudeSchema,
  lon: LongitudeSchema,
  source: z.enum(['maps_link', 'vcard']),
});
export type SharedLocation = z.infer<typeof SharedLocationSchema>;

export const TipSchema = z.object({
  id: TipIdSchema,
  threadId: z.uuid(),
  alias: ThreadAliasSchema,
  receivedAt: z.string(),
  body: z.string(),
  state: TipStateSchema,
  stateChangedBy: PersonRefSchema.nullable(),
  stateChangedAt: z.string().nullable(),
  duplicateOf: TipIdSchema.nullable(),
  assignedTo: PersonRefSchema.nullable(),
  incidentNumber: z.string().nullable(),
  caseNumber: z.string().nullable(),
  sharedLocation: SharedLocationSchema.nullable(),
  /** Received outside the line's staffed hours (the tipster was told so). */
  outsideHours: z.boolean(),
  attachments: z.array(TipAttachmentSchema),
});
export type Tip = z.infer<typeof TipSchema>;

export const REPLY_STATES = ['queued', 'sent', 'failed'] as const;
export const ReplyStateSchema = z.enum(REPLY_STATES);
export type ReplyState = z.infer<typeof ReplyStateSchema>;

/** A message to the tipster: an analyst's reply, or one of the line's automatic answers. */
export const TipReplySchema = z.object({
  id: z.uuid(),
  threadId: z.uuid(),
  tipId: TipIdSchema.nullable(),
  at: z.string(),
  body: z.string(),
  state: ReplyStateSchema,
  /** The provider's error message when it failed. */
  failure: z.string().nullable(),
  /** Who wrote it; null for the line's automatic answers. */
  sentBy: PersonRefSchema.nullable(),
});
export type TipReply = z.infer<typeof TipReplySchema>;

export const TipThreadSchema = z.object({
  id: z.uuid(),
  alias: ThreadAliasSchema,
  optedOut: z.boolean(),
  firstAt: z.string(),
  lastAt: z.string(),
});
export type TipThread = z.infer<typeof TipThreadSchema>;

/** Everything in a conversation, oldest first: the tipster's tips and the messages sent back. */
export const ThreadEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tip'), tip: TipSchema }),
  z.object({ kind: z.literal('reply'), reply: TipReplySchema }),
]);
export type ThreadEntry = z.infer<typeof ThreadEntrySchema>;

export const ReplyBodySchema = z
  .string()
  .trim()
  .min(1, 'a reply needs some text')
  .max(1600, 'a text message is at most 1600 characters');

export const TipLinksSchema = z
  .object({
    incidentNumber: CaseReferenceSchema.nullable().optional(),
    caseNumber: CaseReferenceSchema.nullable().optional(),
  })
  .strict()
  .refine((l) => l.incidentNumber !== undefined || l.caseNumber !== undefined, {
    message: 'give an incident number, a case number, or both (null removes a link)',
  });
export type TipLinks = z.infer<typeof TipLinksSchema>;

// ----------------------------------------------------------------------------------------------
// The line's schedule and texts (agency configuration)

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const ReplyTextSchema = z.string().trim().min(1).max(480);

export const TipLineSettingsSchema = z.object({
  /** Weekly staffed hours in the agency's time zone (the same windows as sharing schedules). */
  staffed: z.array(ScheduleWindowSchema).max(50),
  /** Days the line is not staffed whatever the weekly hours say. */
  holidays: z.array(DateSchema).max(100),
  texts: z.object({
    /** First message of a conversation outside staffed hours. */
    closed: ReplyTextSchema,
    /** First message of a conversation during staffed hours; `{alias}` is replaced. */
    acknowledgement: ReplyTextSchema,
    /** The answer to HELP. */
    help: ReplyTextSchema,
    /** The answer to START after an opt-out. */
    resumed: ReplyTextSchema,
  }),
});
export type TipLineSettings = z.infer<typeof TipLineSettingsSchema>;

/** Used until an agency sets its own: staffed weekdays 08:00-17:00, texts without phone numbers. */
export const DEFAULT_TIP_LINE: TipLineSettings = {
  staffed: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }],
  holidays: [],
  texts: {
    closed:
      'This tip line is not monitored right now. In an emergency call 911. You can also send tips to Crimestoppers.',
    acknowledgement:
      'Thank you. Your tip was received; you are tipster {alias}. Do not reply with anything that identifies you. In an emergency call 911.',
    help: 'This is a police tip line for anonymous text tips, photos and videos. In an emergency call 911. Reply STOP to stop messages.',
    resumed: 'You will receive replies from this tip line again. Reply STOP to stop.',
  },
};
