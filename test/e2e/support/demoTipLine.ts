import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEMO_TIP_LINE_FILE } from '../../../server/demo/demoTipLine';
import { ensureTipMediaSamples, type TipMediaSamples } from '../../../server/demo/tipMediaSamples';
import {
  postInbound,
  type AddedMedia,
  type SentSms,
  type WebhookAnswer,
} from '../../../server/demo/twilioDouble';
import type { DemoSite } from './demoSite';

/**
 * The demo site's tip line as a phone sees it: the provider double that `npm start` started (read
 * from the demo-tip-line.json it writes in the data folder), through which a test texts the tip
 * line with attachments and reads the replies the server sent.
 */

const HandoffSchema = z.object({
  providerUrl: z.string().url(),
  accountSid: z.string(),
  authToken: z.string(),
  number: z.string(),
  webhookUrl: z.string().url(),
  signUrl: z.string().url(),
  mediaDir: z.string(),
});

export interface TipLinePhone {
  /** The tip line's number. */
  readonly number: string;
  /** The sample photo and videos the demo made (server/demo/tipMediaSamples.ts). */
  readonly samples: TipMediaSamples;
  /** Puts a file on the provider's media host, as the phone's MMS would. */
  addMedia(bytes: Buffer, contentType: string, messageSid?: string): Promise<AddedMedia>;
  /** Texts the tip line: a signed webhook to the server, as the provider posts it. */
  text(message: {
    readonly from: string;
    readonly body: string;
    readonly media?: readonly AddedMedia[];
  }): Promise<WebhookAnswer>;
  /** What the server asked the provider to send, oldest first. */
  sent(): Promise<readonly SentSms[]>;
}

export async function demoTipLinePhone(site: DemoSite): Promise<TipLinePhone> {
  const handoff = HandoffSchema.parse(
    JSON.parse(readFileSync(join(site.dataDir, DEMO_TIP_LINE_FILE), 'utf8')),
  );
  const auth = `Basic ${Buffer.from(`${handoff.accountSid}:${handoff.authToken}`).toString('base64')}`;
  // Already made by `npm start`: this only finds them.
  const samples = await ensureTipMediaSamples(handoff.mediaDir);
  return {
    number: handoff.number,
    samples,
    async addMedia(bytes, contentType, messageSid) {
      const query = messageSid ? `?messageSid=${messageSid}` : '';
      const res = await fetch(`${handoff.providerUrl}/__media${query}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': contentType },
        body: bytes,
      });
      if (res.status !== 201)
        throw new Error(`the provider double refused the medium: ${res.status}`);
      return (await res.json()) as AddedMedia;
    },
    text: (message) =>
      postInbound(handoff.accountSid, handoff.authToken, {
        webhookUrl: handoff.webhookUrl,
        signUrl: handoff.signUrl,
        from: message.from,
        to: handoff.number,
        body: message.body,
        media: (message.media ?? []).map((m) => ({ url: m.url, contentType: m.contentType })),
      }),
    async sent() {
      const res = await fetch(`${handoff.providerUrl}/__sent`);
      return ((await res.json()) as { messages: SentSms[] }).messages;
    },
  };
}
