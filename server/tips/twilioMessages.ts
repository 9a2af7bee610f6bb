/**
 * Sends one SMS through the provider's Messages resource in Twilio's wire format: a form-encoded
 * POST to `{apiUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth (the
 * account SID and its auth token). Twilio answers 201 with the message as JSON (`sid`, `status`
 * queued or accepted, ...) or an error body `{code, message, more_info, status}`.
 *
 * Never throws and never logs: the recipient is an anonymous tipster, so the number appears in no
 * log line, and the provider's error messages (which may quote it) come back with it replaced.
 */

export const TWILIO_API_URL = 'https://api.twilio.com';

export interface TwilioApiConfig {
  /** Base URL of the provider's REST API, e.g. https://api.twilio.com (WF_TWILIO_API_URL). */
  readonly apiUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
}

export interface OutgoingSms {
  /** E.164. */
  readonly to: string;
  /** The tip line's number; or give `messagingServiceSid`. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly body: string;
}

export type SendSmsResult =
  | { readonly ok: true; readonly sid: string; readonly status: string }
  | {
      readonly ok: false;
      /** The HTTP status, or 0 when no answer came (network failure, timeout). */
      readonly status: number;
      /** Twilio's error code (e.g. 21610: the recipient replied STOP), when it gave one. */
      readonly code: number | null;
      readonly message: string;
    };

export interface SendSmsOptions {
  /** How long to wait for the provider's answer; 15 s by default. */
  readonly timeoutMs?: number;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

function messagesUrl(cfg: TwilioApiConfig): string {
  return `${cfg.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
}

/** The provider's text without the recipient's number, in any of the ways it may be written. */
export function withoutNumber(text: string, number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 4) return text;
  // The number with any punctuation between its digits, and with or without its country code.
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  const pattern = new RegExp(
    `\\+?(?:1[\\s().-]*)?\\(?${national.split('').join('[\\s().-]*')}`,
    'g',
  );
  return text.replace(pattern, '[recipient]');
}

function failure(status: number, code: number | null, message: string, to: string): SendSmsResult {
  return { ok: false, status, code, message: withoutNumber(message, to) };
}

export async function sendMessage(
  cfg: TwilioApiConfig,
  msg: OutgoingSms,
  fetchImpl: FetchLike = fetch,
  options: SendSmsOptions = {},
): Promise<SendSmsResult> {
  if (!msg.from && !msg.messagingServiceSid) {
    return failure(0, null, 'no sender configured: set a From number or a MessagingServiceSid', '');
  }
  const form = new URLSearchParams();
  form.set('To', msg.to);
  if (msg.from) form.set('From', msg.from);
  if (msg.messagingServiceSid) form.set('MessagingServiceSid', msg.messagingServiceSid);
  form.set('Body', msg.body);
  const auth = Buffer.from(`${cfg.accountSid}:${cfg.authToken}`, 'utf8').toString('base64');
  const endpoint = messagesUrl(cfg);
  let res: Response;
  let text: string;
  try {
    res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${auth}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    text = await res.text();
  } catch (err) {
    const host = safeHost(endpoint);
    const why =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
        ? 'no answer in time'
        : causeOf(err);
    return failure(0, null, `could not reach the SMS provider at ${host}: ${why}`, msg.to);
  }
  const json = parseJson(text);
  if (res.ok) {
    if (json && typeof json.sid === 'string' && typeof json.status === 'string') {
      return { ok: true, sid: json.sid, status: json.status };
    }
    return failure(
      res.status,
      null,
      `the SMS provider answered HTTP ${res.status} without a message sid`,
      msg.to,
    );
  }
  const code = json && typeof json.code === 'number' ? json.code : null;
  const message =
    json && typeof json.message === 'string' && json.message.trim()
      ? json.message.trim()
      : `the SMS provider answered HTTP ${res.status}`;
  return failure(res.status, code, message, msg.to);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'a malformed WF_TWILIO_API_URL';
  }
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeOf(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown }) : null;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
