import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_TIP_LINE_FILE,
  DEMO_TIP_LINE_NUMBER,
  DEMO_TWILIO_ACCOUNT_SID,
  startDemoTipLine,
  TIP_WEBHOOK_PATH,
  type DemoTipLine,
} from '../../../server/demo/demoTipLine';
import { sendMessage } from '../../../server/tips/twilioMessages';
import { isValidTwilioSignature } from '../../../server/tips/twilioSignature';
import { ManualClock } from '../../../shared/time/clock';

/** Stands in for the server's webhook route: checks the signature as the route will. */
let server: Server;
let serverUrl: string;
let answerStatus = 200;
const seen: { path: string; valid: boolean; params: Record<string, string> }[] = [];
let tipLine: DemoTipLine;
let mediaDir: string;
const clock = new ManualClock();
const logged: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const env = tipLine.env;
      const signed = `${env.WF_PUBLIC_URL}${req.url}`;
      const header = req.headers['x-twilio-signature'] as string | undefined;
      seen.push({
        path: req.url ?? '',
        valid: isValidTwilioSignature(env.WF_TWILIO_AUTH_TOKEN!, signed, params, header),
        params,
      });
      res.writeHead(answerStatus, { 'content-type': 'text/xml' });
      res.end('<Response/>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mediaDir = await mkdtemp(join(tmpdir(), 'wf-demo-tips-'));
  tipLine = await startDemoTipLine({
    mediaDir,
    serverUrl,
    publicUrl: 'https://rtcc.demo.invalid/',
    log: (l) => logged.push(l),
    clock,
    autoTick: false,
    random: () => 0.3,
  });
});
afterAll(async () => {
  await tipLine.stop();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(mediaDir, { recursive: true, force: true });
});

describe('the demo tip line', () => {
  it('gives the server the variables that point it at the double', () => {
    expect(tipLine.env).toEqual({
      WF_TWILIO_ACCOUNT_SID: DEMO_TWILIO_ACCOUNT_SID,
      WF_TWILIO_AUTH_TOKEN: expect.stringMatching(/^[0-9a-f]{32}$/),
      WF_TWILIO_API_URL: tipLine.double.url,
      WF_TWILIO_FROM: DEMO_TIP_LINE_NUMBER,
      WF_PUBLIC_URL: 'https://rtcc.demo.invalid',
    });
    expect(DEMO_TWILIO_ACCOUNT_SID).toMatch(/^AC[0-9a-f]{32}$/);
    expect(tipLine.summary).toContain(`${tipLine.double.url}/__sent`);
  });

  it('writes where the double is and how to text the line, for programs other than npm start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wf-demo-handoff-'));
    try {
      await tipLine.writeHandoff(dir);
      const file = join(dir, DEMO_TIP_LINE_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        providerUrl: tipLine.double.url,
        accountSid: DEMO_TWILIO_ACCOUNT_SID,
        authToken: tipLine.env.WF_TWILIO_AUTH_TOKEN,
        number: DEMO_TIP_LINE_NUMBER,
        webhookUrl: `${serverUrl}${TIP_WEBHOOK_PATH}`,
        signUrl: `https://rtcc.demo.invalid${TIP_WEBHOOK_PATH}`,
        mediaDir,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('posts tips signed over the public URL to the webhook path', async () => {
    const tipster = await tipLine.startTipster();
    expect(await tipLine.startTipster()).toBe(tipster);
    for (let i = 0; i < 5; i++) {
      clock.advance(61_000);
      await tipster.tick();
    }
    expect(seen.length).toBe(5);
    for (const s of seen) {
      expect(s.path).toBe(TIP_WEBHOOK_PATH);
      expect(s.valid).toBe(true);
      expect(s.params.To).toBe(DEMO_TIP_LINE_NUMBER);
      expect(s.params.AccountSid).toBe(DEMO_TWILIO_ACCOUNT_SID);
    }
  });

  it('tolerates a server without the route yet, saying so once', async () => {
    answerStatus = 404;
    const tipster = await tipLine.startTipster();
    for (let i = 0; i < 3; i++) {
      clock.advance(61_000);
      expect((await tipster.tick())?.status).toBe(404);
    }
    expect(logged.filter((l) => l.includes('answered 404'))).toHaveLength(1);
    answerStatus = 200;
  });

  it("takes the server's replies with the configured account", async () => {
    const { env } = tipLine;
    const result = await sendMessage(
      {
        apiUrl: env.WF_TWILIO_API_URL!,
        accountSid: env.WF_TWILIO_ACCOUNT_SID!,
        authToken: env.WF_TWILIO_AUTH_TOKEN!,
      },
      { to: '+13365550106', from: env.WF_TWILIO_FROM, body: 'Thank you, received.' },
    );
    expect(result.ok).toBe(true);
    const listing = (await (await fetch(`${tipLine.double.url}/__sent`)).json()) as {
      messages: { to: string; body: string }[];
    };
    expect(listing.messages.at(-1)).toMatchObject({
      to: '+13365550106',
      body: 'Thank you, received.',
    });
  });
});
