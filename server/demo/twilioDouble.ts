import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../shared/time/clock';
import { twilioSignature, type TwilioParams } from '../tips/twilioSignature';

/**
 * A stand-in for the SMS provider that speaks Twilio's wire format, for tests and for the demo
 * site's tip line (docs/tip-line.md). It plays both sides of the provider:
 *
 * - the REST API the server sends replies through (`POST .../Messages.json`, Basic auth, form
 *   body, Twilio's JSON answers and error bodies and codes);
 * - protected MMS media (`.../Messages/MM.../Media/ME...`, Basic auth, answered with a 307 to a
 *   content-delivery path on the same server that serves the bytes without auth, as Twilio's
 *   media URLs redirect to its CDN);
 * - the inbound webhook: `sendInbound` posts a signed, form-encoded message with the fields
 *   Twilio sends for an incoming SMS or MMS.
 *
 * `GET /__sent` lists the messages it was asked to send (the demo's "phone" of the tipsters);
 * `POST /__media` adds a medium from another process.
 */

export interface TwilioDoubleOptions {
  readonly accountSid: string;
  readonly authToken: string;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly clock?: Clock;
}

export interface SentSms {
  readonly sid: string;
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  /** When it arrived, ms since the epoch. */
  readonly at: number;
}

export interface MediaBehaviour {
  /** Answer the media URL with this status (Twilio's error body) instead of the redirect. */
  readonly failWith?: 404 | 500 | 503;
  /** Hold the content-delivery answer this long before sending it (a slow download). */
  readonly delayMs?: number;
}

export interface AddedMedia {
  /** The protected URL, as Twilio gives it in `MediaUrl{N}`. */
  readonly url: string;
  readonly messageSid: string;
  readonly mediaSid: string;
  readonly contentType: string;
  readonly size: number;
}

export interface InboundSms {
  /** Where the webhook is posted. */
  readonly webhookUrl: string;
  /** The URL the signature covers when it differs (the server's public URL behind a proxy). */
  readonly signUrl?: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly media?: readonly { readonly url: string; readonly contentType: string }[];
  /** Defaults to the media's message (from its URL), else a new SM... or MM... sid. */
  readonly messageSid?: string;
  readonly messagingServiceSid?: string;
  /** Fields added to (or replacing) the standard ones. */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

export interface SignedForm {
  /** The form-encoded body. */
  readonly body: string;
  readonly signature: string;
  /** The headers Twilio sends with a webhook, the signature among them. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface TwilioDouble {
  /** Base URL, e.g. http://127.0.0.1:40123 (what WF_TWILIO_API_URL points at). */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The messages the Messages resource accepted, oldest first. */
  sent(): readonly SentSms[];
  /** Resolves once `n` messages have been accepted; rejects after `timeoutMs` (5 s) otherwise. */
  waitForSent(n: number, timeoutMs?: number): Promise<readonly SentSms[]>;
  /** The next `times` sends (1 by default) fail with this Twilio error. */
  failNext(code: number, message: string, status?: number, times?: number): void;
  /** The number replied STOP: sends to it fail with 21610 until `optIn`. */
  optOut(number: string): void;
  optIn(number: string): void;
  addMedia(
    bytes: Buffer,
    contentType: string,
    options?: MediaBehaviour & { readonly messageSid?: string },
  ): AddedMedia;
  /** Changes how a medium answers from now on (e.g. fails twice, then is fixed). */
  setMediaBehaviour(mediaSid: string, behaviour: MediaBehaviour): void;
  /** How many authorized GETs the medium's protected URL has had. */
  mediaRequests(mediaSid: string): number;
  sendInbound(msg: InboundSms): Promise<WebhookAnswer>;
  /** A body and headers signed over `url` with the double's token, for hostile variants. */
  signedForm(url: string, params: TwilioParams): SignedForm;
  close(): Promise<void>;
}

const API_VERSION = '2010-04-01';
const MAX_BODY_CHARS = 1600;
const MAX_FORM_BYTES = 64 * 1024;
/** Larger than the tip line's own limit, so that tests can send a file it must refuse. */
const MAX_ADDED_MEDIA_BYTES = 64 * 1024 * 1024;
const E164 = /^\+[1-9]\d{1,14}$/;

/** A Twilio resource sid: two letters and 32 lowercase hex digits. */
export function twilioSid(prefix: 'SM' | 'MM' | 'ME' | 'AC' | 'MG'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822 in GMT, the way the 2010 API writes dates: `Thu, 15 Jan 2026 12:00:00 +0000`. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Characters of the GSM 7-bit default alphabet (the extension table counts as two). */
const GSM7 =
  /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/u;

/** How many SMS segments carry this body (what Twilio reports in NumSegments). */
export function smsSegments(body: string): number {
  if (body.length === 0) return 1;
  if (GSM7.test(body)) {
    const units = [...body].reduce((n, c) => n + ('^{}\\[~]|€'.includes(c) ? 2 : 1), 0);
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  // UCS-2: UTF-16 code units.
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

/** The fields Twilio posts to an incoming-message webhook, for this message. */
export function inboundParams(accountSid: string, msg: InboundSms): Record<string, string> {
  const media = msg.media ?? [];
  const messageSid =
    msg.messageSid ??
    (media.length > 0 ? /\/Messages\/(MM[0-9a-f]{32})\//.exec(media[0]!.url)?.[1] : undefined) ??
    twilioSid(media.length > 0 ? 'MM' : 'SM');
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: 'NC',
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    ToCity: 'WINSTON-SALEM',
    FromZip: '',
    SmsSid: messageSid,
    FromState: 'NC',
    SmsStatus: 'received',
    FromCity: '',
    Body: msg.body,
    FromCountry: 'US',
    To: msg.to,
    ToZip: '27101',
    NumSegments: String(smsSegments(msg.body)),
    MessageSid: messageSid,
    AccountSid: accountSid,
    From: msg.from,
    ApiVersion: API_VERSION,
  };
  if (msg.messagingServiceSid) params.MessagingServiceSid = msg.messagingServiceSid;
  media.forEach((m, i) => {
    params[`MediaContentType${i}`] = m.contentType;
    params[`MediaUrl${i}`] = m.url;
  });
  return { ...params, ...msg.extra };
}

function toForm(params: TwilioParams): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of typeof value === 'string' ? [value] : value) form.append(name, v);
  }
  return form.toString();
}

/** A webhook body signed over `url` with the account's token, with the headers Twilio sends. */
export function signWebhook(authToken: string, url: string, params: TwilioParams): SignedForm {
  const signature = twilioSignature(authToken, url, params);
  return {
    body: toForm(params),
    signature,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': randomUUID(),
      'user-agent': 'TwilioProxy/1.1',
    },
  };
}

/** Posts an incoming message to a webhook as the provider does, signed with the account's token. */
export async function postInbound(
  accountSid: string,
  authToken: string,
  msg: InboundSms,
): Promise<WebhookAnswer> {
  const form = signWebhook(
    authToken,
    msg.signUrl ?? msg.webhookUrl,
    inboundParams(accountSid, msg),
  );
  const res = await fetch(msg.webhookUrl, {
    method: 'POST',
    headers: form.headers,
    body: form.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: await res.text(),
  };
}

interface StoredMedia {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly messageSid: string;
  readonly cdnKey: string;
  behaviour: MediaBehaviour;
  requests: number;
}

interface TwilioError {
  readonly code: number;
  readonly message: string;
  readonly status: number;
}

export async function startTwilioDouble(options: TwilioDoubleOptions): Promise<TwilioDouble> {
  const { accountSid, authToken } = options;
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const sentMessages: SentSms[] = [];
  const arrivals = new EventEmitter();
  const failures: TwilioError[] = [];
  const optedOut = new Set<string>();
  const media = new Map<string, StoredMedia>();
  const mediaByCdnKey = new Map<string, string>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let base = '';

  const accountPath = `/2010-04-01/Accounts/${accountSid}`;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, err: TwilioError): void {
    if (err.status === 401) res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
    sendJson(res, err.status, {
      code: err.code,
      message: err.message,
      more_info: `https://www.twilio.com/docs/errors/${err.code}`,
      status: err.status,
    });
  }

  const notFound = (path: string): TwilioError => ({
    code: 20404,
    message: `The requested resource ${path} was not found`,
    status: 404,
  });

  function authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === expectedAuth;
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) return null;
      chunks.push(chunk);
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  function validateSend(form: URLSearchParams): TwilioError | null {
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    if (!to) return { code: 21604, message: "A 'To' phone number is required.", status: 400 };
    if (!E164.test(to)) {
      return {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        status: 400,
      };
    }
    if (!from && !service) {
      return { code: 21603, message: "A 'From' phone number is required.", status: 400 };
    }
    if (from && !E164.test(from)) {
      return {
        code: 21212,
        message: `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
        status: 400,
      };
    }
    if (service && !/^MG[0-9a-fA-F]{32}$/.test(service)) {
      return {
        code: 21701,
        message: `The Messaging Service Sid ${service} is invalid.`,
        status: 400,
      };
    }
    if (body.length === 0 && !form.get('MediaUrl')) {
      return { code: 21602, message: 'Message body is required.', status: 400 };
    }
    if ([...body].length > MAX_BODY_CHARS) {
      return {
        code: 21617,
        message: 'The concatenated message body exceeds the 1600 character limit.',
        status: 400,
      };
    }
    if (optedOut.has(to)) {
      return { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 };
    }
    return null;
  }

  async function createMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    const form = type.startsWith('application/x-www-form-urlencoded') ? await readForm(req) : null;
    if (!form) {
      sendError(res, { code: 20001, message: 'Invalid request body', status: 400 });
      return;
    }
    const forced = failures.shift();
    if (forced) {
      sendError(res, forced);
      return;
    }
    const invalid = validateSend(form);
    if (invalid) {
      sendError(res, invalid);
      return;
    }
    const now = clock.now();
    const sid = twilioSid('SM');
    const service = form.get('MessagingServiceSid');
    const message: SentSms = {
      sid,
      to: form.get('To')!,
      from: form.get('From'),
      messagingServiceSid: service,
      body: form.get('Body') ?? '',
      at: now,
    };
    const date = rfc2822(now);
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: API_VERSION,
      body: message.body,
      date_created: date,
      date_sent: null,
      date_updated: date,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: service,
      num_media: '0',
      // A Messaging Service picks the sender later: Twilio reports 0 segments and "accepted".
      num_segments: service ? '0' : String(smsSegments(message.body)),
      price: null,
      price_unit: 'USD',
      sid,
      status: service ? 'accepted' : 'queued',
      subresource_uris: { media: `${accountPath}/Messages/${sid}/Media.json` },
      to: message.to,
      uri: `${accountPath}/Messages/${sid}.json`,
    });
    sentMessages.push(message);
    arrivals.emit('sent');
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      fn();
    }, ms);
    pendingTimers.add(timer);
  }

  function serveProtectedMedia(req: IncomingMessage, res: ServerResponse, path: string): void {
    const m = /^\/Messages\/(MM[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})$/.exec(path);
    const item = m ? media.get(m[2]!) : undefined;
    if (!authorized(req)) {
      sendError(res, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    if (!m || !item || item.messageSid !== m[1]) {
      sendError(res, notFound(`${accountPath}${path}`));
      return;
    }
    item.requests += 1;
    const fail = item.behaviour.failWith;
    if (fail) {
      sendError(
        res,
        fail === 404
          ? notFound(`${accountPath}${path}`)
          : { code: 20500, message: 'Internal Server Error', status: fail },
      );
      return;
    }
    res.writeHead(307, { location: `${base}/__cdn/${item.cdnKey}`, 'content-length': 0 });
    res.end();
  }

  function serveCdn(req: IncomingMessage, res: ServerResponse, key: string): void {
    const sid = mediaByCdnKey.get(key);
    const item = sid ? media.get(sid) : undefined;
    if (!item) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(200, {
        'content-type': item.contentType,
        'content-length': item.bytes.length,
        'cache-control': 'private, max-age=0',
      });
      res.end(req.method === 'HEAD' ? undefined : item.bytes);
    };
    const delay = item.behaviour.delayMs ?? 0;
    if (delay > 0) later(delay, answer);
    else answer();
  }

  function addMedia(
    bytes: Buffer,
    contentType: string,
    opts: MediaBehaviour & { readonly messageSid?: string } = {},
  ): AddedMedia {
    const messageSid = opts.messageSid ?? twilioSid('MM');
    const mediaSid = twilioSid('ME');
    const cdnKey = randomBytes(20).toString('hex');
    media.set(mediaSid, {
      bytes,
      contentType,
      messageSid,
      cdnKey,
      behaviour: { failWith: opts.failWith, delayMs: opts.delayMs },
      requests: 0,
    });
    mediaByCdnKey.set(cdnKey, mediaSid);
    return {
      url: `${base}${accountPath}/Messages/${messageSid}/Media/${mediaSid}`,
      messageSid,
      mediaSid,
      contentType,
      size: bytes.length,
    };
  }

  /**
   * `POST /__media` (the account's Basic auth; the file as the body, its type as Content-Type;
   * `?messageSid=MM...` to add to a message): what `addMedia` does, for a process other than the
   * one that started the double (the end-to-end tests of the demo site).
   */
  async function addMediaOverHttp(
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    if (!authorized(req)) {
      sendError(res, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const messageSid = query.get('messageSid') ?? undefined;
    if (!contentType || (messageSid !== undefined && !/^MM[0-9a-f]{32}$/.test(messageSid))) {
      sendError(res, { code: 20001, message: 'Invalid request body', status: 400 });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ADDED_MEDIA_BYTES) {
        sendError(res, { code: 20001, message: 'Invalid request body', status: 413 });
        return;
      }
      chunks.push(chunk);
    }
    sendJson(res, 201, addMedia(Buffer.concat(chunks), contentType, { messageSid }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/__sent' && method === 'GET') {
      sendJson(res, 200, { messages: sentMessages });
      return;
    }
    if (path === '/__media' && method === 'POST') {
      await addMediaOverHttp(req, res, url.searchParams);
      return;
    }
    const cdn = /^\/__cdn\/([0-9a-f]{40})$/.exec(path);
    if (cdn && (method === 'GET' || method === 'HEAD')) {
      serveCdn(req, res, cdn[1]!);
      return;
    }
    const account = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)$/.exec(path);
    if (!account) {
      sendError(res, notFound(path));
      return;
    }
    const [, sid, rest] = account as unknown as [string, string, string];
    if (sid !== accountSid) {
      // Twilio answers a request for another account as unauthenticated.
      sendError(res, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    if (rest === '/Messages.json' && method === 'POST') {
      if (!authorized(req)) {
        sendError(res, { code: 20003, message: 'Authenticate', status: 401 });
        return;
      }
      await createMessage(req, res);
      return;
    }
    if (rest.startsWith('/Messages/') && (method === 'GET' || method === 'HEAD')) {
      serveProtectedMedia(req, res, rest);
      return;
    }
    if (rest === '/Messages.json') {
      sendError(res, { code: 20004, message: 'Method not allowed', status: 405 });
      return;
    }
    sendError(res, notFound(path));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendError(res, {
          code: 20500,
          message: err instanceof Error ? err.message : 'Internal Server Error',
          status: 500,
        });
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const signedForm = (url: string, params: TwilioParams): SignedForm =>
    signWebhook(authToken, url, params);

  return {
    url: base,
    accountSid,
    authToken,
    sent: () => [...sentMessages],
    waitForSent(n, timeoutMs = 5_000) {
      if (sentMessages.length >= n) return Promise.resolve([...sentMessages]);
      return new Promise((resolve, reject) => {
        const onSent = () => {
          if (sentMessages.length < n) return;
          clearTimeout(timer);
          arrivals.off('sent', onSent);
          resolve([...sentMessages]);
        };
        const timer = setTimeout(() => {
          arrivals.off('sent', onSent);
          reject(
            new Error(
              `the SMS provider double received ${sentMessages.length} of ${n} messages in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        arrivals.on('sent', onSent);
      });
    },
    failNext(code, message, status = 400, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ code, message, status });
    },
    optOut: (number) => void optedOut.add(number),
    optIn: (number) => void optedOut.delete(number),
    addMedia,
    setMediaBehaviour(mediaSid, behaviour) {
      const item = media.get(mediaSid);
      if (!item) throw new Error(`no medium ${mediaSid} in the SMS provider double`);
      item.behaviour = behaviour;
    },
    mediaRequests: (mediaSid) => media.get(mediaSid)?.requests ?? 0,
    sendInbound: (msg) => postInbound(accountSid, authToken, msg),
    signedForm,
    async close() {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
