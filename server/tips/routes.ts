import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { serve } from '../http/serve';
import { sendStoredMedia } from '../media/sendStoredMedia';
import { getAgency } from '../agency/agencyRepository';
import { TIP_ENDPOINTS } from '../../shared/api/tips';
import { isStaffed } from './tipLineHours';
import { parseInbound } from './inboundMessage';
import { isValidTwilioSignature } from './twilioSignature';
import {
  attachmentFiles,
  findMediaGrant,
  getTip,
  listTips,
  threadEntries,
  findThread,
} from './tipRepository';
import {
  assignTip,
  changeState,
  hashToken,
  linkTip,
  openTipMedia,
  queueReply,
  receiveMessage,
} from './tipChanges';
import { openTipLine } from './tipLine';

/**
 * The anonymous text tip line (shared/api/tips.ts declares the endpoints; docs/tip-line.md
 * describes the line). The provider's webhook is public to the guard and checks the provider's
 * signature itself; everything else is for signed-in staff.
 */
export const tipRoutes: RouteModule = (api, ctx) => {
  const line = openTipLine(ctx);
  const me = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return { id: p.userId, name: p.username };
  };

  // Twilio posts forms; only this route takes them.
  api.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, text, done) => {
        const fields: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(text as string)) {
          if (Object.hasOwn(fields, k)) {
            done(new HttpError(400, `Invalid body: the field ${k} is repeated.`), undefined);
            return;
          }
          fields[k] = v;
        }
        done(null, fields);
      },
    );
    serve(scope as typeof api, TIP_ENDPOINTS.webhook, async ({ req, reply, body }) => {
      const provider = ctx.config.smsProvider;
      if (provider === null) throw new HttpError(503, ctx.config.smsProviderMissing);
      const url = `${provider.publicUrl}${req.url}`;
      const signature = req.headers['x-twilio-signature'];
      if (
        !isValidTwilioSignature(
          provider.authToken,
          url,
          body,
          typeof signature === 'string' ? signature : undefined,
        )
      ) {
        req.log.warn({ url: req.url }, 'tip line webhook refused: bad or missing signature');
        throw new HttpError(
          403,
          'The request is not signed by the SMS provider (X-Twilio-Signature).',
        );
      }
      const message = parseInbound(body);
      if (message.accountSid !== provider.accountSid) {
        throw new HttpError(403, 'The message is for another provider account.');
      }
      const received = await receiveMessage(ctx, line.secrets(), message);
      if (!received.duplicate && received.mediaCount > 0) line.media.kick();
      return reply.status(200).type('text/xml; charset=utf-8').send(received.answer);
    });
  });

  serve(api, TIP_ENDPOINTS.list, async ({ req, query }) =>
    listTips(ctx.store, {
      ...query,
      assignedTo: query.assignedTo === 'me' ? principalOf(req).userId : query.assignedTo,
    }),
  );

  serve(api, TIP_ENDPOINTS.get, async ({ params }) => {
    const tip = await getTip(ctx.store, params.id);
    if (!tip) throw new HttpError(404, 'There is no tip with that id.');
    const thread = await findThread(ctx.store, tip.threadId);
    return {
      tip,
      thread: {
        id: thread!.id,
        alias: thread!.alias,
        optedOut: thread!.opted_out,
        firstAt: new Date(thread!.first_at).toISOString(),
        lastAt: new Date(thread!.last_at).toISOString(),
      },
      entries: await threadEntries(ctx.store, tip.threadId),
    };
  });

  serve(api, TIP_ENDPOINTS.setState, async ({ req, params, body }) =>
    changeState(ctx, me(req), params.id, body),
  );

  serve(api, TIP_ENDPOINTS.assign, async ({ req, params, body }) =>
    assignTip(ctx, me(req), params.id, body.userId),
  );

  serve(api, TIP_ENDPOINTS.link, async ({ req, params, body }) =>
    linkTip(ctx, me(req), params.id, body),
  );

  serve(api, TIP_ENDPOINTS.reply, async ({ req, params, body }) => {
    if (ctx.config.smsProvider === null) throw new HttpError(503, ctx.config.smsProviderMissing);
    const queued = await queueReply(ctx, me(req), params.id, body.body);
    return line.replies.send(queued);
  });

  serve(api, TIP_ENDPOINTS.openMedia, async ({ req, params, body }) =>
    openTipMedia(ctx, me(req), params.id, body.reason),
  );

  serve(api, TIP_ENDPOINTS.media, async ({ req, reply, params }) => {
    const grant = await findMediaGrant(ctx.store, hashToken(params.token));
    const gone = new HttpError(
      404,
      'This media grant does not exist or has expired: open the tip’s media again.',
    );
    if (
      !grant ||
      grant.userId !== principalOf(req).userId ||
      grant.expiresAt.getTime() <= ctx.clock.now()
    ) {
      throw gone;
    }
    const files = await attachmentFiles(ctx.store, grant.tipId, params.n);
    if (!files || files.state !== 'stored' || files.sha256 === null) {
      throw new HttpError(404, 'That attachment is not stored (yet).');
    }
    const choice =
      params.variant === 'original'
        ? { sha: files.sha256, type: files.contentType }
        : params.variant === 'preview'
          ? files.previewSha256 !== null
            ? { sha: files.previewSha256, type: 'image/jpeg' }
            : /^image\/(jpeg|png|gif)$/.test(files.contentType)
              ? { sha: files.sha256, type: files.contentType }
              : null
          : files.playableSha256 !== null
            ? { sha: files.playableSha256, type: 'video/mp4' }
            : null;
    if (choice === null) throw new HttpError(404, `This attachment has no ${params.variant} form.`);
    return sendStoredMedia(req, reply, await line.media.store(), {
      sha256: choice.sha,
      contentType: choice.type,
    });
  });

  serve(api, TIP_ENDPOINTS.settings, async () => {
    const agency = await getAgency(ctx.store);
    return {
      settings: agency.tipLine,
      staffedNow: isStaffed(agency.tipLine, agency.timeZone, new Date(ctx.clock.now())),
      configured: ctx.config.smsProvider !== null,
    };
  });
};
