import { startTestApp, type TestApp } from '../../../support/testApp';
import {
  startTwilioDouble,
  twilioSid,
  type TwilioDouble,
} from '../../../../server/demo/twilioDouble';
import type { StoreKind } from '../../../../server/store/store';
import type { ServerConfig } from '../../../../server/config';
import { setAgency } from '../../../../server/agency/agencyRepository';
import { loadDemoAgency } from '../../../../server/demo/seedDemo';
import type { LightMyRequestResponse } from 'fastify';

/** The public URL the provider is told to call: the signature covers it. */
export const PUBLIC_URL = 'https://rtcc.example.gov';
export const WEBHOOK_PATH = '/v1/ingest/twilio/sms';
export const TIP_LINE_NUMBER = '+13365550100';

/** A Tuesday 14:00 in Winston-Salem (staffed) and a Sunday 03:00 (not). */
export const STAFFED_AT = Date.parse('2026-11-24T19:00:00Z');
export const CLOSED_AT = Date.parse('2026-11-29T08:00:00Z');

export interface TipLineApp extends TestApp {
  readonly double: TwilioDouble;
  /** Posts a correctly signed webhook, as the provider would, through the server's router. */
  text(
    from: string,
    body: string,
    opts?: {
      media?: readonly { url: string; contentType: string }[];
      messageSid?: string;
      extra?: Record<string, string>;
    },
  ): Promise<LightMyRequestResponse>;
  /** Posts form fields signed over the public URL (hostile variants build their own fields). */
  post(
    fields: Record<string, string>,
    opts?: { signature?: string | null },
  ): Promise<LightMyRequestResponse>;
  /** Fetches due media now. */
  fetchMedia(): Promise<void>;
}

/** A test server whose tip line points at a provider double, with the demo agency's hours. */
export async function startTipLineApp(
  kind: StoreKind,
  opts: { config?: Partial<ServerConfig>; dataDir?: string; at?: number } = {},
): Promise<TipLineApp> {
  const accountSid = twilioSid('AC');
  const authToken = 'test-auth-token-0123456789abcdef';
  const double = await startTwilioDouble({ accountSid, authToken });
  const t = await startTestApp(kind, {
    dataDir: opts.dataDir,
    config: {
      smsProvider: {
        accountSid,
        authToken,
        publicUrl: PUBLIC_URL,
        apiUrl: double.url,
        from: TIP_LINE_NUMBER,
        messagingServiceSid: undefined,
      },
      smsProviderMissing: '',
      ...opts.config,
    },
  });
  t.clock.set(opts.at ?? STAFFED_AT);
  await setAgency(t.store.store, loadDemoAgency(), new Date(t.clock.now()));

  const post: TipLineApp['post'] = (fields, o = {}) => {
    const signed = double.signedForm(`${PUBLIC_URL}${WEBHOOK_PATH}`, fields);
    const headers: Record<string, string> = { ...signed.headers };
    if (o.signature === null) delete headers['x-twilio-signature'];
    else if (o.signature !== undefined) headers['x-twilio-signature'] = o.signature;
    return t.app.api.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload: signed.body });
  };

  return {
    ...t,
    double,
    post,
    text(from, body, o = {}) {
      const media = o.media ?? [];
      const fields: Record<string, string> = {
        MessageSid: o.messageSid ?? twilioSid(media.length > 0 ? 'MM' : 'SM'),
        AccountSid: accountSid,
        From: from,
        To: TIP_LINE_NUMBER,
        Body: body,
        NumMedia: String(media.length),
        NumSegments: '1',
        SmsStatus: 'received',
        ApiVersion: '2010-04-01',
        FromCity: 'WINSTON-SALEM',
        FromState: 'NC',
        ...Object.fromEntries(
          media.flatMap((m, n) => [
            [`MediaUrl${n}`, m.url],
            [`MediaContentType${n}`, m.contentType],
          ]),
        ),
        ...o.extra,
      };
      fields.SmsMessageSid = fields.MessageSid!;
      fields.SmsSid = fields.MessageSid!;
      return post(fields);
    },
    fetchMedia: () => t.app.ctx.tasks.runNow('tips.media'),
    async close() {
      await t.close();
      await double.close();
    },
  };
}
