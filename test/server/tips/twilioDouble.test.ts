import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioDouble, type TwilioDouble } from '../../../server/demo/twilioDouble';
import { sendMessage, type TwilioApiConfig } from '../../../server/tips/twilioMessages';
import { isValidTwilioSignature } from '../../../server/tips/twilioSignature';

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const TOKEN = 'double-token-for-tests';
const LINE = '+13365550100';
const TIPSTER = '+13365550142';

let double: TwilioDouble;
let cfg: TwilioApiConfig;

beforeAll(async () => {
  double = await startTwilioDouble({ accountSid: ACCOUNT, authToken: TOKEN });
  cfg = { apiUrl: double.url, accountSid: ACCOUNT, authToken: TOKEN };
});
afterAll(async () => {
  await double.close();
});

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('the Messages resource of the SMS provider double, through sendMessage', () => {
  it("accepts a send and answers 201 with Twilio's message JSON", async () => {
    const before = double.sent().length;
    const result = await sendMessage(cfg, { to: TIPSTER, from: LINE, body: 'Thank you.' });
    expect(result).toMatchObject({ ok: true, status: 'queued' });
    if (!result.ok) throw new Error('unreachable');
    expect(result.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const [got] = (await double.waitForSent(before + 1)).slice(before);
    expect(got).toMatchObject({ sid: result.sid, to: TIPSTER, from: LINE, body: 'Thank you.' });
    expect(got!.messagingServiceSid).toBeNull();
  });

  it('answers with the fields and dates of the 2010 API', async () => {
    const res = await fetch(`${double.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: basic(ACCOUNT, TOKEN),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: TIPSTER, From: LINE, Body: 'x'.repeat(161) }).toString(),
    });
    expect(res.status).toBe(201);
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      account_sid: ACCOUNT,
      api_version: '2010-04-01',
      direction: 'outbound-api',
      status: 'queued',
      to: TIPSTER,
      from: LINE,
      num_segments: '2',
      error_code: null,
    });
    expect(json.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} [\d:]{8} \+0000$/);
    expect(json.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${String(json.sid)}.json`);
  });

  it('sends through a Messaging Service: accepted, no From', async () => {
    const service = 'MG' + 'ab'.repeat(16);
    const result = await sendMessage(cfg, {
      to: TIPSTER,
      messagingServiceSid: service,
      body: 'Hi',
    });
    expect(result).toMatchObject({ ok: true, status: 'accepted' });
    expect(double.sent().at(-1)).toMatchObject({ from: null, messagingServiceSid: service });
  });

  it("refuses a wrong token with 401 and Twilio's error 20003, and keeps nothing", async () => {
    const before = double.sent().length;
    const result = await sendMessage(
      { ...cfg, authToken: 'wrong' },
      { to: TIPSTER, from: LINE, body: 'x' },
    );
    expect(result).toEqual({ ok: false, status: 401, code: 20003, message: 'Authenticate' });
    expect(double.sent()).toHaveLength(before);
  });

  it('refuses a request without auth with the error body', async () => {
    const res = await fetch(`${double.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B13365550142&From=%2B13365550100&Body=hi',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it("validates the fields with Twilio's codes; the number never comes back in the message", async () => {
    const bad = await sendMessage(cfg, { to: '336-555-0142', from: LINE, body: 'x' });
    expect(bad).toMatchObject({ ok: false, status: 400, code: 21211 });
    if (bad.ok) throw new Error('unreachable');
    expect(bad.message).not.toMatch(/555.?0142/);
    expect(bad.message).toContain('[recipient]');
    expect(await sendMessage(cfg, { to: TIPSTER, from: LINE, body: '' })).toMatchObject({
      code: 21602,
    });
    expect(
      await sendMessage(cfg, { to: TIPSTER, from: LINE, body: 'y'.repeat(1601) }),
    ).toMatchObject({ code: 21617 });
    expect(await sendMessage(cfg, { to: TIPSTER, body: 'no sender' })).toMatchObject({
      ok: false,
      status: 0,
    });
  });

  it('fails the next sends as told, then accepts again', async () => {
    double.failNext(30001, 'Queue overflow', 429, 2);
    const first = await sendMessage(cfg, { to: TIPSTER, from: LINE, body: 'a' });
    const second = await sendMessage(cfg, { to: TIPSTER, from: LINE, body: 'b' });
    const third = await sendMessage(cfg, { to: TIPSTER, from: LINE, body: 'c' });
    expect(first).toEqual({ ok: false, status: 429, code: 30001, message: 'Queue overflow' });
    expect(second).toEqual(first);
    expect(third.ok).toBe(true);
  });

  it('refuses an opted-out number with 21610 until it opts in again', async () => {
    const number = '+13365550177';
    double.optOut(number);
    const refused = await sendMessage(cfg, { to: number, from: LINE, body: 'reply' });
    expect(refused).toMatchObject({ ok: false, status: 400, code: 21610 });
    double.optIn(number);
    expect((await sendMessage(cfg, { to: number, from: LINE, body: 'reply' })).ok).toBe(true);
  });

  it('gives a clear failure, never an exception, when nothing answers', async () => {
    const closed = await startTwilioDouble({ accountSid: ACCOUNT, authToken: TOKEN });
    await closed.close();
    const result = await sendMessage(
      { ...cfg, apiUrl: closed.url },
      { to: TIPSTER, from: LINE, body: 'x' },
    );
    expect(result).toMatchObject({ ok: false, status: 0, code: null });
    if (result.ok) throw new Error('unreachable');
    expect(result.message).toMatch(
      /could not reach the SMS provider at 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
  });

  it('waitForSent rejects with a count when the messages do not come', async () => {
    const n = double.sent().length + 5;
    await expect(double.waitForSent(n, 50)).rejects.toThrow(/received \d+ of \d+ messages/);
  });
});

describe('protected media of the SMS provider double', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);

  it('requires Basic auth on the media URL', async () => {
    const m = double.addMedia(jpeg, 'image/jpeg');
    expect(m.url).toBe(
      `${double.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${m.messageSid}/Media/${m.mediaSid}`,
    );
    const anonymous = await fetch(m.url, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 20003 });
    const wrong = await fetch(m.url, {
      redirect: 'manual',
      headers: { authorization: basic(ACCOUNT, 'nope') },
    });
    expect(wrong.status).toBe(401);
    expect(double.mediaRequests(m.mediaSid)).toBe(0);
  });

  it('redirects with 307 to a content path that serves the bytes, which fetch follows', async () => {
    const m = double.addMedia(jpeg, 'image/jpeg');
    const auth = { authorization: basic(ACCOUNT, TOKEN) };
    const first = await fetch(m.url, { redirect: 'manual', headers: auth });
    expect(first.status).toBe(307);
    const location = first.headers.get('location')!;
    expect(location.startsWith(`${double.url}/`)).toBe(true);
    expect(location).not.toContain(m.mediaSid);

    const followed = await fetch(m.url, { headers: auth });
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toBe('image/jpeg');
    expect(followed.headers.get('content-length')).toBe(String(jpeg.length));
    expect(Buffer.from(await followed.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(double.mediaRequests(m.mediaSid)).toBe(2);
  });

  it('answers 404 or 500 as told, and serves again once fixed', async () => {
    const auth = { authorization: basic(ACCOUNT, TOKEN) };
    const gone = double.addMedia(jpeg, 'image/jpeg', { failWith: 404 });
    expect((await fetch(gone.url, { headers: auth })).status).toBe(404);
    const flaky = double.addMedia(jpeg, 'image/jpeg', { failWith: 500 });
    const failed = await fetch(flaky.url, { headers: auth });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ status: 500 });
    double.setMediaBehaviour(flaky.mediaSid, {});
    expect((await fetch(flaky.url, { headers: auth })).status).toBe(200);
  });

  it('holds a slow medium back until the client gives up', async () => {
    const slow = double.addMedia(jpeg, 'image/jpeg', { delayMs: 60_000 });
    const attempt = fetch(slow.url, {
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      signal: AbortSignal.timeout(100),
    });
    await expect(attempt).rejects.toThrow();
  });

  it('takes a medium from another process at POST /__media, with the account, under a message', async () => {
    const add = (auth: string | null, query = '') =>
      fetch(`${double.url}/__media${query}`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', ...(auth ? { authorization: auth } : {}) },
        body: jpeg,
      });
    expect((await add(null)).status).toBe(401);
    expect((await add(basic(ACCOUNT, 'nope'))).status).toBe(401);
    expect((await add(basic(ACCOUNT, TOKEN), '?messageSid=MMnot-a-sid')).status).toBe(400);
    const first = await add(basic(ACCOUNT, TOKEN));
    expect(first.status).toBe(201);
    const a = (await first.json()) as { url: string; messageSid: string; size: number };
    expect(a.size).toBe(jpeg.length);
    const second = await add(basic(ACCOUNT, TOKEN), `?messageSid=${a.messageSid}`);
    const b = (await second.json()) as { url: string; messageSid: string };
    expect(b.messageSid).toBe(a.messageSid);
    const got = await fetch(b.url, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it('does not serve a medium under another message', async () => {
    const a = double.addMedia(jpeg, 'image/jpeg');
    const b = double.addMedia(jpeg, 'image/jpeg');
    const mixed = a.url.replace(a.messageSid, b.messageSid);
    const res = await fetch(mixed, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    expect(res.status).toBe(404);
  });
});

describe('inbound webhooks from the SMS provider double', () => {
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it("posts a signed form with Twilio's fields, media included", async () => {
    const m = double.addMedia(Buffer.from('png'), 'image/png');
    const webhookUrl = `${receiverUrl}/v1/ingest/twilio/sms`;
    const signUrl = 'https://rtcc.example.org/v1/ingest/twilio/sms';
    const answer = await double.sendInbound({
      webhookUrl,
      signUrl,
      from: TIPSTER,
      to: LINE,
      body: 'Blue sedan, no plates',
      media: [{ url: m.url, contentType: 'image/png' }],
    });
    expect(answer).toEqual({
      status: 200,
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    });
    const got = received.at(-1)!;
    expect(got.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const params = Object.fromEntries(new URLSearchParams(got.body));
    expect(params).toMatchObject({
      MessageSid: m.messageSid,
      SmsSid: m.messageSid,
      SmsMessageSid: m.messageSid,
      AccountSid: ACCOUNT,
      From: TIPSTER,
      To: LINE,
      Body: 'Blue sedan, no plates',
      NumMedia: '1',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      MediaUrl0: m.url,
      MediaContentType0: 'image/png',
      FromCountry: 'US',
    });
    const signature = got.headers['x-twilio-signature'] as string;
    expect(isValidTwilioSignature(TOKEN, signUrl, params, signature)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, webhookUrl, params, signature)).toBe(false);
  });

  it('gives a text-only message an SM sid and no media fields', async () => {
    await double.sendInbound({
      webhookUrl: `${receiverUrl}/hook`,
      from: TIPSTER,
      to: LINE,
      body: 'follow-up ✓',
      extra: { OptOutType: 'STOP' },
    });
    const params = Object.fromEntries(new URLSearchParams(received.at(-1)!.body));
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(params.NumMedia).toBe('0');
    expect(params.OptOutType).toBe('STOP');
    expect(Object.keys(params).some((k) => k.startsWith('MediaUrl'))).toBe(false);
    expect(params.Body).toBe('follow-up ✓');
  });

  it('signs hostile variants with signedForm', async () => {
    const url = `${receiverUrl}/hook`;
    const form = double.signedForm(url, { Body: ['a', 'b'], NumMedia: '3' });
    expect(form.body).toBe('Body=a&Body=b&NumMedia=3');
    expect(
      isValidTwilioSignature(TOKEN, url, { Body: ['b', 'a'], NumMedia: '3' }, form.signature),
    ).toBe(true);
  });

  it('lists what it was asked to send at /__sent', async () => {
    const res = await fetch(`${double.url}/__sent`);
    const json = (await res.json()) as { messages: { to: string }[] };
    expect(json.messages.length).toBe(double.sent().length);
    expect(json.messages.length).toBeGreaterThan(0);
  });
});
