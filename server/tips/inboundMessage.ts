import { HttpError } from '../http/errorHandler';
import type { SharedLocation } from '../../shared/domain/tips';
import { normaliseNumber } from './tipSecrets';

/**
 * One inbound text or MMS as Twilio's webhook gives it (docs/tip-line.md): the fields the tip
 * line uses, checked; every other field Twilio sends is accepted and ignored.
 */
export interface InboundMessage {
  readonly messageSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly body: string;
  readonly media: readonly { readonly url: string; readonly contentType: string }[];
}

/** Twilio allows at most 10 media per message. */
export const MAX_MEDIA = 10;
/** A concatenated SMS is at most 1600 characters; an MMS body a little more. Anything longer is not a phone's. */
export const MAX_BODY_CHARS = 5_000;

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
/** E.164, or a short code / alphanumeric sender some carriers use. */
const SENDER = /^(\+[1-9]\d{6,14}|[0-9A-Za-z]{3,15})$/;

const bad = (field: string, why: string) => new HttpError(400, `Invalid ${field}: ${why}.`);

export function parseInbound(fields: Readonly<Record<string, string>>): InboundMessage {
  const messageSid = fields.MessageSid ?? fields.SmsMessageSid;
  if (!messageSid) throw bad('MessageSid', 'the provider’s message id is missing');
  if (!SID.test(messageSid)) throw bad('MessageSid', 'not a provider message id');
  const accountSid = fields.AccountSid;
  if (!accountSid) throw bad('AccountSid', 'missing');
  const from = fields.From === undefined ? undefined : normaliseNumber(fields.From);
  if (!from) throw bad('From', 'missing');
  if (!SENDER.test(from)) throw bad('From', 'not a phone number');
  const body = fields.Body ?? '';
  if (body.length > MAX_BODY_CHARS) throw bad('Body', `longer than ${MAX_BODY_CHARS} characters`);

  const numMediaText = fields.NumMedia ?? '0';
  if (!/^\d{1,2}$/.test(numMediaText)) throw bad('NumMedia', 'not a count');
  const numMedia = Number(numMediaText);
  if (numMedia > MAX_MEDIA) throw bad('NumMedia', `more than ${MAX_MEDIA}`);
  const media: { url: string; contentType: string }[] = [];
  for (let n = 0; n < numMedia; n++) {
    const url = fields[`MediaUrl${n}`];
    if (!url) throw bad(`MediaUrl${n}`, `NumMedia says ${numMedia} but this one is missing`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad(`MediaUrl${n}`, 'not a URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw bad(`MediaUrl${n}`, 'not an http(s) URL');
    }
    const contentType = (fields[`MediaContentType${n}`] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!contentType) throw bad(`MediaContentType${n}`, 'missing');
    media.push({ url, contentType });
  }
  if (fields[`MediaUrl${numMedia}`] !== undefined) {
    throw bad('NumMedia', `says ${numMedia} but MediaUrl${numMedia} is present`);
  }
  return { messageSid, accountSid, from, body, media };
}

// ----------------------------------------------------------------------------------------------
// Carrier keywords

export type Keyword = 'stop' | 'start' | 'help';

const KEYWORDS: Readonly<Record<string, Keyword>> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  START: 'start',
  UNSTOP: 'start',
  YES: 'start',
  HELP: 'help',
  INFO: 'help',
};

/** A message that is only a carrier keyword (any case, surrounding spaces and punctuation). */
export function keywordOf(body: string): Keyword | null {
  const word = body
    .trim()
    .replace(/[.!\s]+$/u, '')
    .toUpperCase();
  return KEYWORDS[word] ?? null;
}

// ----------------------------------------------------------------------------------------------
// Places a tipster chose to share

const inRange = (lat: number, lon: number) =>
  Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

const PAIR = String.raw`(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)`;
const MAP_LINKS: readonly RegExp[] = [
  // geo: URIs (RFC 5870)
  new RegExp(String.raw`\bgeo:${PAIR}`, 'i'),
  // Apple Maps: ?ll=, ?q= or ?sll= with a position
  new RegExp(String.raw`maps\.apple\.com/\S*?[?&](?:ll|q|sll)=${PAIR}`, 'i'),
  // Google Maps: /@lat,lon, or ?q= / ?query= / ?ll= with a position
  new RegExp(String.raw`google\.[a-z.]+/maps\S*?@${PAIR}`, 'i'),
  new RegExp(
    String.raw`(?:maps\.google\.[a-z.]+|google\.[a-z.]+/maps)\S*?[?&](?:q|query|ll)=${PAIR}`,
    'i',
  ),
];

/** A position from a maps link or geo: URI in the text, when the tipster shared one. */
export function locationInText(text: string): Omit<SharedLocation, 'source'> | null {
  const decoded = text.replace(/%2C/gi, ',');
  for (const re of MAP_LINKS) {
    const m = re.exec(decoded);
    if (!m) continue;
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    if (inRange(lat, lon)) return { lat, lon };
  }
  return null;
}

/** A shared-location card (the vCard a phone attaches to an MMS): its maps link or GEO line. */
export function locationInVCard(text: string): Omit<SharedLocation, 'source'> | null {
  if (!/^\s*BEGIN:VCARD/i.test(text)) return null;
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  const geo = /^GEO[^:\n]*:(?:geo:)?\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)/im.exec(
    unfolded,
  );
  if (geo && inRange(Number(geo[1]), Number(geo[2]))) {
    return { lat: Number(geo[1]), lon: Number(geo[2]) };
  }
  return locationInText(unfolded.replace(/\\,/g, ','));
}

// ----------------------------------------------------------------------------------------------
// TwiML answers

const xmlText = (s: string) =>
  s
    // Characters XML 1.0 cannot carry at all.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

/** The webhook's answer: nothing to send, or one message back to the sender. */
export function twiml(message: string | null): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  return message === null
    ? `${head}<Response/>`
    : `${head}<Response><Message>${xmlText(message)}</Message></Response>`;
}
