import type { ServerContext } from '../context';
import type { TipReply } from '../../shared/domain/tips';
import { settleQueuedReply } from './tipChanges';
import { sealedNumberOf, staleQueuedReplies } from './tipRepository';
import type { TipSecrets } from './tipSecrets';
import { sendMessage } from './twilioMessages';

/** Twilio's error for a number that has replied STOP to the sender. */
const OPTED_OUT_CODE = 21610;

/** A queued reply older than this was being sent by a server that stopped. */
const STALE_AFTER_MS = 5 * 60_000;

/**
 * Sends analysts' replies through the provider's Messages resource. The number is opened from
 * its seal here and nowhere else, and goes only into the request to the provider.
 */
export class ReplySender {
  constructor(
    private readonly ctx: ServerContext,
    private readonly secrets: () => TipSecrets,
  ) {}

  /** Sends a committed, queued reply and records the provider's answer. */
  async send(reply: TipReply): Promise<TipReply> {
    const provider = this.ctx.config.smsProvider;
    const sealed = await sealedNumberOf(this.ctx.store, reply.threadId);
    if (provider === null || sealed === null) {
      return settleQueuedReply(this.ctx, reply, {
        state: 'failed',
        failure: 'The tip line is not configured to send messages.',
      });
    }
    const answer = await sendMessage(
      { apiUrl: provider.apiUrl, accountSid: provider.accountSid, authToken: provider.authToken },
      {
        to: this.secrets().open(sealed),
        ...(provider.messagingServiceSid
          ? { messagingServiceSid: provider.messagingServiceSid }
          : { from: provider.from }),
        body: reply.body,
      },
    );
    if (answer.ok) {
      return settleQueuedReply(this.ctx, reply, { state: 'sent', providerSid: answer.sid });
    }
    return settleQueuedReply(this.ctx, reply, {
      state: 'failed',
      failure: `The SMS provider refused the message: ${answer.message}${
        answer.code === null ? '' : ` (error ${answer.code})`
      }`,
      optedOut: answer.code === OPTED_OUT_CODE,
    });
  }

  /** Marks replies left queued by a server that stopped mid-send: they are not resent blindly. */
  async settleStale(): Promise<void> {
    const stale = await staleQueuedReplies(
      this.ctx.store,
      new Date(this.ctx.clock.now() - STALE_AFTER_MS),
    );
    for (const r of stale) {
      await settleQueuedReply(
        this.ctx,
        { id: r.id, threadId: r.thread_id, tipId: r.tip_id },
        {
          state: 'failed',
          failure:
            'The server stopped before the provider answered: the message may or may not have gone. Check the thread before sending it again.',
        },
      );
    }
  }
}
