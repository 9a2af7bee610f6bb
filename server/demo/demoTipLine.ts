import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../shared/time/clock';
import {
  loadTipsterMedia,
  startDemoTipster,
  type DemoTipster,
  type TipsterMedia,
} from './demoTipster';
import { ensureTipMediaSamples } from './tipMediaSamples';
import { startTwilioDouble, type TwilioDouble } from './twilioDouble';

/**
 * The demo site's tip line without a real SMS provider: the provider double on a free local port
 * stands in for Twilio, the server is configured to use it (the variables below), and once the
 * server is up the demo tipsters text it through the double. `npm start` uses this when the user
 * has not configured a real account (no WF_TWILIO_AUTH_TOKEN); docs/tip-line.md.
 */

/** A fixed, obviously fake account for the demo: "AC" and 32 hex digits. */
export const DEMO_TWILIO_ACCOUNT_SID = 'AC' + 'de30'.padEnd(32, '0');
/** The demo tip line's number: fictional (555-01xx) in the demo city's area code. */
export const DEMO_TIP_LINE_NUMBER = '+13365550100';
export const TIP_WEBHOOK_PATH = '/v1/ingest/twilio/sms';

/**
 * The file in the data folder that says where the demo's provider double listens and how to text
 * the tip line through it, for a program other than `npm start` (the end-to-end tests): it holds
 * the demo account's token, like demo-credentials.json holds the demo passwords.
 */
export const DEMO_TIP_LINE_FILE = 'demo-tip-line.json';

export interface DemoTipLineHandoff {
  /** The provider double's base URL (its `/__sent`, `/__media` and Messages resource). */
  readonly providerUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The tip line's number (a webhook's `To`). */
  readonly number: string;
  readonly webhookUrl: string;
  /** The URL a webhook's signature covers. */
  readonly signUrl: string;
  /** Where the sample photos and videos are (server/demo/tipMediaSamples.ts). */
  readonly mediaDir: string;
}

export interface DemoTipLineOptions {
  /** Where the sample photos and videos are kept (made once with ffmpeg). */
  readonly mediaDir: string;
  /** The server's base URL as seen from this process (where the webhooks are posted). */
  readonly serverUrl: string;
  /** The server's public base URL (what the signature covers); `serverUrl` by default. */
  readonly publicUrl?: string;
  readonly log: (line: string) => void;
  readonly clock?: Clock;
  readonly autoTick?: boolean;
  readonly random?: () => number;
}

export interface DemoTipLine {
  readonly double: TwilioDouble;
  /** The variables the server process needs to use the double. */
  readonly env: Readonly<Record<string, string>>;
  readonly handoff: DemoTipLineHandoff;
  /** Writes the handoff as DEMO_TIP_LINE_FILE into the folder, readable by its owner only. */
  writeHandoff(dir: string): Promise<void>;
  /** One line for the person who started the demo. */
  readonly summary: string;
  /** Starts the tipsters; call once the server answers. */
  startTipster(): Promise<DemoTipster>;
  stop(): Promise<void>;
}

export async function startDemoTipLine(options: DemoTipLineOptions): Promise<DemoTipLine> {
  const authToken = randomBytes(16).toString('hex');
  const double = await startTwilioDouble({ accountSid: DEMO_TWILIO_ACCOUNT_SID, authToken });
  const publicUrl = (options.publicUrl ?? options.serverUrl).replace(/\/+$/, '');
  // Made while the server starts; a machine where ffmpeg fails still gets text tips.
  const media: Promise<TipsterMedia | undefined> = ensureTipMediaSamples(options.mediaDir)
    .then(loadTipsterMedia)
    .catch((err: unknown) => {
      options.log(
        `demo tips will be text only: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    });
  let tipster: Promise<DemoTipster> | null = null;
  const webhookUrl = `${options.serverUrl.replace(/\/+$/, '')}${TIP_WEBHOOK_PATH}`;
  const signUrl = `${publicUrl}${TIP_WEBHOOK_PATH}`;
  const handoff: DemoTipLineHandoff = {
    providerUrl: double.url,
    accountSid: DEMO_TWILIO_ACCOUNT_SID,
    authToken,
    number: DEMO_TIP_LINE_NUMBER,
    webhookUrl,
    signUrl,
    mediaDir: options.mediaDir,
  };
  return {
    double,
    handoff,
    async writeHandoff(dir) {
      // The samples are ready first: a reader may attach them as soon as the file exists.
      await media;
      await writeFile(join(dir, DEMO_TIP_LINE_FILE), JSON.stringify(handoff, null, 2) + '\n', {
        mode: 0o600,
      });
    },
    env: {
      WF_TWILIO_ACCOUNT_SID: DEMO_TWILIO_ACCOUNT_SID,
      WF_TWILIO_AUTH_TOKEN: authToken,
      WF_TWILIO_API_URL: double.url,
      WF_TWILIO_FROM: DEMO_TIP_LINE_NUMBER,
      WF_PUBLIC_URL: publicUrl,
    },
    summary:
      `demo tip line ${DEMO_TIP_LINE_NUMBER}: a local SMS provider double at ${double.url} stands in ` +
      `for Twilio; synthetic tipsters text it, and replies sent to them are listed at ${double.url}/__sent`,
    startTipster() {
      tipster ??= media.then((loaded) =>
        startDemoTipster({
          double,
          webhookUrl,
          signUrl,
          to: DEMO_TIP_LINE_NUMBER,
          media: loaded,
          clock: options.clock,
          autoTick: options.autoTick,
          random: options.random,
          log: options.log,
        }),
      );
      return tipster;
    },
    async stop() {
      (await tipster)?.stop();
      await media;
      await double.close();
    },
  };
}
