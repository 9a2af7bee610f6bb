import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { UNCONFIGURED_AGENCY } from '../agency/agencyRepository';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import { DEFAULT_TIP_LINE, TipLineSettingsSchema } from '../../shared/domain/tips';
import type {
  SharedLocation,
  Tip,
  TipLineSettings,
  TipLinks,
  TipReply,
  TipState,
} from '../../shared/domain/tips';
import type { ViewReason } from '../../shared/domain/reasons';
import { isStaffed } from './tipLineHours';
import { keywordOf, locationInText, twiml, type InboundMessage } from './inboundMessage';
import type { TipSecrets } from './tipSecrets';
import {
  findThread,
  getReply,
  fileTip,
  getTip,
  lookupInbound,
  insertMediaGrant,
  insertReply,
  insertThread,
  setAssignee,
  setLinks,
  setOptedOut,
  setSharedLocation,
  setTipState,
  settleReply,
} from './tipRepository';

/** Who the tip line's own changes are by: the line itself, never the tipster. */
export const TIP_LINE_ACTOR: Actor = { id: null, name: 'tip line' };

/** A message after this much silence opens a new conversation (and gets the greeting again). */
export const CONVERSATION_GAP_MS = 24 * 3_600_000;

/** How long an opened tip's media stays viewable without asking again. */
export const MEDIA_GRANT_MS = 15 * 60_000;

const PREVIEW_CHARS = 140;

/** The answer to a webhook: the TwiML to send back, and the tip it filed. */
export interface Received {
  readonly tipId: string;
  readonly answer: string;
  readonly duplicate: boolean;
  readonly mediaCount: number;
}

class AlreadyReceived extends Error {
  constructor(readonly tip: { id: string; answer: string }) {
    super('already received');
  }
}

/**
 * Files one inbound message (docs/tip-line.md): the thread found by the keyed hash of the number
 * (or opened, with a new alias), carrier keywords honoured, the automatic answer chosen by the
 * line's hours, the tip and its attachments (to be fetched after the acknowledgement) stored.
 * A message already filed (the provider retries) gets the same answer and changes nothing.
 */
export async function receiveMessage(
  ctx: ServerContext,
  secrets: TipSecrets,
  message: InboundMessage,
): Promise<Received> {
  const tipId = randomUUID();
  const numberKey = secrets.numberKey(message.from);
  const keyword = message.media.length === 0 ? keywordOf(message.body) : null;
  const sharedLocation: SharedLocation | null = (() => {
    const at = locationInText(message.body);
    return at ? { ...at, source: 'maps_link' } : null;
  })();

  try {
    const { value } = await ctx.record({
      apply: async ({ tx, at }) => {
        const sealed = secrets.seal(message.from);
        const found = await lookupInbound(tx, message.messageSid, numberKey, {
          id: randomUUID(),
          alias: secrets.alias(numberKey, 4),
          sealed,
          at,
        });
        if (found.seen) throw new AlreadyReceived(found.seen);
        const settings = tipLineSettings(found.tipLine);
        const timeZone = found.timeZone ?? UNCONFIGURED_AGENCY.timeZone;
        let thread = found.thread;
        let opensConversation = found.created;
        if (thread === null) {
          // A new number whose four-character alias another thread has: a longer one.
          opensConversation = true;
          for (let length = 5; thread === null; length++) {
            if (length > 8) throw new Error('no free alias for a new tip thread');
            thread = await insertThread(tx, {
              id: randomUUID(),
              alias: secrets.alias(numberKey, length),
              numberKey,
              sealed,
              at,
            });
          }
        } else if (!found.created) {
          opensConversation =
            at.getTime() - new Date(thread.last_at).getTime() > CONVERSATION_GAP_MS;
        }
        const staffed = isStaffed(settings, timeZone, at);

        const optedOut = keyword === 'stop' ? true : keyword === 'start' ? false : thread.opted_out;
        let answer: string | null = null;
        if (keyword === 'stop') {
          // The carrier confirms the opt-out itself; the line says nothing more, ever.
        } else if (keyword === 'start') {
          answer = settings.texts.resumed;
        } else if (keyword === 'help') {
          answer = settings.texts.help;
        } else if (!thread.opted_out && opensConversation) {
          answer = staffed
            ? settings.texts.acknowledgement.replaceAll('{alias}', thread.alias)
            : settings.texts.closed;
        }
        const answerXml = twiml(answer);
        await fileTip(tx, {
          id: tipId,
          messageSid: message.messageSid,
          threadId: thread.id,
          at,
          body: message.body,
          keyword,
          sharedLocation,
          outsideHours: !staffed,
          answer: answerXml,
          media: message.media,
          optedOut,
          reply: answer === null ? null : { id: randomUUID(), body: answer },
        });
        return {
          answerXml,
          thread: { id: thread.id, alias: thread.alias },
          optedOut,
          optChanged: optedOut !== thread.opted_out,
          staffed,
          at,
        };
      },
      audit: (v) =>
        auditBy(TIP_LINE_ACTOR, {
          action: keyword === null ? 'tip.receive' : `tip.keyword.${keyword}`,
          targetType: 'tip',
          targetId: tipId,
          outcome: 'success',
          details: {
            thread: v.thread.alias,
            media: message.media.length,
            outsideHours: !v.staffed,
          },
        }),
      event: (v) => {
        const events: CatalogEvent[] = [];
        if (keyword === null) {
          events.push({
            type: 'tip.received',
            payload: {
              tipId,
              threadId: v.thread.id,
              alias: v.thread.alias,
              receivedAt: v.at.toISOString(),
              preview: preview(message.body),
              mediaCount: message.media.length,
              outsideHours: !v.staffed,
            },
          });
        }
        if (v.optChanged) {
          events.push({
            type: 'tipThread.updated',
            payload: { threadId: v.thread.id, alias: v.thread.alias, optedOut: v.optedOut },
          });
        }
        return events.length > 0 ? events : null;
      },
    });
    return { tipId, answer: value.answerXml, duplicate: false, mediaCount: message.media.length };
  } catch (err) {
    if (err instanceof AlreadyReceived) {
      return { tipId: err.tip.id, answer: err.tip.answer, duplicate: true, mediaCount: 0 };
    }
    throw err;
  }
}

let lastSettings: { raw: string; parsed: TipLineSettings } | null = null;

/** The line's settings as stored (parsed once per change of them), or the defaults. */
function tipLineSettings(raw: unknown): TipLineSettings {
  if (raw === null || raw === undefined) return DEFAULT_TIP_LINE;
  const text = JSON.stringify(raw);
  if (lastSettings?.raw !== text) {
    lastSettings = { raw: text, parsed: TipLineSettingsSchema.parse(raw) };
  }
  return lastSettings.parsed;
}

function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= PREVIEW_CHARS ? flat : `${flat.slice(0, PREVIEW_CHARS - 1)}…`;
}

// ----------------------------------------------------------------------------------------------
// Triage

async function tipOr404(ctx: ServerContext, id: string): Promise<Tip> {
  const tip = await getTip(ctx.store, id);
  if (!tip) throw new HttpError(404, 'There is no tip with that id.');
  return tip;
}

const notATip = () =>
  new HttpError(409, 'That message is a carrier keyword (STOP, START or HELP), not a tip.');

export async function changeState(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  id: string,
  change: { state: TipState; duplicateOf?: string | undefined },
): Promise<Tip> {
  if (change.duplicateOf === id) throw new HttpError(409, 'A tip cannot duplicate itself.');
  if (change.duplicateOf !== undefined) await tipOr404(ctx, change.duplicateOf);
  const before = await tipOr404(ctx, id);
  await ctx.record({
    apply: async ({ tx, at }) => {
      const ok = await setTipState(tx, id, {
        state: change.state,
        duplicateOf: change.duplicateOf ?? null,
        by: actor.id,
        at,
      });
      if (!ok) throw notATip();
    },
    audit: auditBy(actor, {
      action: 'tip.state',
      targetType: 'tip',
      targetId: id,
      outcome: 'success',
      details: { from: before.state, to: change.state, duplicateOf: change.duplicateOf ?? null },
    }),
    event: {
      type: 'tip.updated',
      payload: {
        tipId: id,
        change: 'state',
        state: change.state,
        assignedTo: before.assignedTo?.id ?? null,
        byName: actor.name,
      },
    },
  });
  return tipOr404(ctx, id);
}

export async function assignTip(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  id: string,
  userId: string | null,
): Promise<Tip> {
  const before = await tipOr404(ctx, id);
  await ctx.record({
    apply: async ({ tx }) => {
      if (userId !== null) {
        const res = await tx.query<{ role: string; disabled: boolean }>(
          'select role, disabled from users where id = $1',
          [userId],
        );
        const user = res.rows[0];
        if (!user || user.disabled)
          throw new HttpError(409, 'There is no active user with that id.');
        if (!['analyst', 'lieutenant'].includes(user.role)) {
          throw new HttpError(409, 'Tips are assigned to analysts and lieutenants.');
        }
      }
      if (!(await setAssignee(tx, id, userId))) throw notATip();
    },
    audit: auditBy(actor, {
      action: 'tip.assign',
      targetType: 'tip',
      targetId: id,
      outcome: 'success',
      details: { from: before.assignedTo?.id ?? null, to: userId },
    }),
    event: () => {
      const events: CatalogEvent[] = [
        {
          type: 'tip.updated',
          payload: {
            tipId: id,
            change: 'assignee',
            state: before.state,
            assignedTo: userId,
            byName: actor.name,
          },
        },
      ];
      if (userId !== null && userId !== actor.id) {
        events.push({
          type: 'tip.assigned',
          payload: { tipId: id, alias: before.alias, assigneeId: userId, byName: actor.name },
        });
      }
      return events;
    },
  });
  return tipOr404(ctx, id);
}

export async function linkTip(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  id: string,
  links: TipLinks,
): Promise<Tip> {
  const before = await tipOr404(ctx, id);
  await ctx.record({
    apply: async ({ tx }) => {
      if (!(await setLinks(tx, id, links))) throw notATip();
    },
    audit: auditBy(actor, {
      action: 'tip.link',
      targetType: 'tip',
      targetId: id,
      outcome: 'success',
      details: {
        incidentNumber: links.incidentNumber,
        caseNumber: links.caseNumber,
      },
    }),
    event: {
      type: 'tip.updated',
      payload: {
        tipId: id,
        change: 'links',
        state: before.state,
        assignedTo: before.assignedTo?.id ?? null,
        byName: actor.name,
      },
    },
  });
  return tipOr404(ctx, id);
}

/** A place found in an attachment (a location card) after the tip was filed. */
export async function locateTip(
  ctx: ServerContext,
  tip: { id: string; state: TipState; assignedTo: string | null },
  location: SharedLocation,
): Promise<void> {
  await ctx.record({
    apply: ({ tx }) => setSharedLocation(tx, tip.id, location),
    audit: auditBy(TIP_LINE_ACTOR, {
      action: 'tip.locate',
      targetType: 'tip',
      targetId: tip.id,
      outcome: 'success',
      details: { source: location.source },
    }),
    event: {
      type: 'tip.updated',
      payload: {
        tipId: tip.id,
        change: 'location',
        state: tip.state,
        assignedTo: tip.assignedTo,
        byName: null,
      },
    },
  });
}

// ----------------------------------------------------------------------------------------------
// Replies

/**
 * Queues an analyst's reply: refused when the thread opted out; committed (and audited) before
 * anything is sent, so that a reply the analyst was told about is never lost.
 */
export async function queueReply(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  tipId: string,
  body: string,
): Promise<TipReply> {
  const tip = await tipOr404(ctx, tipId);
  const replyId = randomUUID();
  await ctx.record({
    apply: async ({ tx, at }) => {
      const thread = await findThread(tx, tip.threadId);
      if (!thread) throw new HttpError(404, 'There is no tip with that id.');
      if (thread.opted_out) {
        throw new HttpError(
          409,
          `Tipster ${thread.alias} replied STOP: no message can be sent to them until they text START.`,
          undefined,
          'opted_out',
        );
      }
      await insertReply(tx, {
        id: replyId,
        threadId: thread.id,
        tipId,
        at,
        body,
        state: 'queued',
        sentBy: actor.id,
      });
    },
    audit: auditBy(actor, {
      action: 'tip.reply',
      targetType: 'tip',
      targetId: tipId,
      outcome: 'success',
      details: { reply: replyId, thread: tip.alias, characters: body.length },
    }),
    event: {
      type: 'tip.replyChanged',
      payload: {
        tipId,
        threadId: tip.threadId,
        replyId,
        state: 'queued',
        failure: null,
        automatic: false,
      },
    },
  });
  return (await getReply(ctx.store, replyId))!;
}

/** Records the provider's answer to a queued reply (an opt-out the provider knows of included). */
export async function settleQueuedReply(
  ctx: ServerContext,
  reply: { id: string; threadId: string; tipId: string | null },
  outcome:
    | { state: 'sent'; providerSid: string }
    | { state: 'failed'; failure: string; optedOut?: boolean },
): Promise<TipReply> {
  await ctx.record({
    apply: async ({ tx }) => {
      await settleReply(tx, reply.id, {
        state: outcome.state,
        failure: outcome.state === 'failed' ? outcome.failure : null,
        providerSid: outcome.state === 'sent' ? outcome.providerSid : null,
      });
      const optChanged =
        outcome.state === 'failed' && outcome.optedOut === true
          ? await setOptedOut(tx, reply.threadId, true)
          : false;
      const thread = optChanged ? await findThread(tx, reply.threadId) : null;
      return { thread };
    },
    audit: auditBy(TIP_LINE_ACTOR, {
      action: 'tip.reply.settle',
      targetType: 'tip',
      targetId: reply.tipId,
      outcome: outcome.state === 'sent' ? 'success' : 'failure',
      details: {
        reply: reply.id,
        state: outcome.state,
        ...(outcome.state === 'failed' ? { failure: outcome.failure } : {}),
      },
    }),
    event: (v) => {
      const events: CatalogEvent[] = [
        {
          type: 'tip.replyChanged',
          payload: {
            tipId: reply.tipId,
            threadId: reply.threadId,
            replyId: reply.id,
            state: outcome.state,
            failure: outcome.state === 'failed' ? outcome.failure : null,
            automatic: false,
          },
        },
      ];
      if (v.thread) {
        events.push({
          type: 'tipThread.updated',
          payload: { threadId: v.thread.id, alias: v.thread.alias, optedOut: true },
        });
      }
      return events;
    },
  });
  return (await getReply(ctx.store, reply.id))!;
}

// ----------------------------------------------------------------------------------------------
// Media grants

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opens a tip's media to one user for a stated reason: audited like a camera view. */
export async function openTipMedia(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  tipId: string,
  reason: ViewReason,
): Promise<{ token: string; expiresAt: string }> {
  const tip = await tipOr404(ctx, tipId);
  const token = randomBytes(32).toString('base64url');
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const expiresAt = new Date(at.getTime() + MEDIA_GRANT_MS);
      await insertMediaGrant(tx, {
        tokenHash: hashToken(token),
        tipId,
        userId: actor.id,
        expiresAt,
      });
      return expiresAt;
    },
    audit: auditBy(actor, {
      action: 'tip.media.view',
      targetType: 'tip',
      targetId: tipId,
      outcome: 'success',
      details: {
        reason: reason.code,
        ...(reason.reference ? { reference: reason.reference } : {}),
        ...(reason.note ? { note: reason.note } : {}),
        thread: tip.alias,
        attachments: tip.attachments.length,
      },
    }),
    event: null,
  });
  return { token, expiresAt: value.toISOString() };
}
