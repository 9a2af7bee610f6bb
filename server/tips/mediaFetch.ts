import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { MediaStore } from '../media/mediaStore';
import { isPublicAddress } from './publicAddress';
import { TWILIO_API_URL } from './twilioMessages';

/**
 * Fetches one MMS attachment from the SMS provider into the media store, the way Twilio's
 * protected media asks: HTTP Basic auth with the account SID and auth token on the provider's API
 * host, which usually answers with a redirect to its file host.
 *
 * The address comes from a webhook, so it is treated as hostile (server-side request forgery):
 * - the first request goes only to the provider's API origin (the configured API URL), under the
 *   tip line's own account, and is refused before anything is sent otherwise;
 * - the credentials go only to that origin, never to a redirect target elsewhere;
 * - a redirect elsewhere must be https and its host must resolve only to public addresses, and
 *   the connection is made to the address that was checked (so a second, different DNS answer
 *   cannot turn it to the server's own network);
 * - the type must be one the tip line takes and the first bytes must agree with it;
 * - the size is capped while streaming, whatever the headers say.
 *
 * The answer is a value, never an exception: a reason an analyst can read (it never holds the
 * token or the address, which may carry a signature) and whether trying again later may help.
 */

export const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to (the default is the system resolver's). */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface ProviderMediaOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** The provider's REST API base URL; its origin is the only one trusted with the credentials. */
  readonly apiUrl?: string;
  readonly maxBytes: number;
  /** Media types the tip line takes, lowercase, without parameters. */
  readonly allowedTypes: readonly string[];
  readonly store: MediaStore;
  /** For the whole fetch, redirects and body included. */
  readonly timeoutMs?: number;
  readonly lookup?: HostLookup;
}

export type ProviderMediaResult =
  | {
      readonly ok: true;
      readonly sha256: string;
      readonly size: number;
      readonly contentType: string;
    }
  | { readonly ok: false; readonly reason: string; readonly retryable: boolean };

/** A failure with its reason, thrown inside this module and returned as a value. */
class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly retryable = false,
  ) {
    super(reason);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TIMED_OUT = 'The provider did not send the file in time.';
const BROKE_OFF = 'The connection to the provider broke off before the whole file arrived.';

export async function fetchProviderMedia(
  url: string,
  opts: ProviderMediaOptions,
): Promise<ProviderMediaResult> {
  let first: URL;
  let apiOrigin: string;
  try {
    apiOrigin = apiOriginOf(opts.apiUrl ?? TWILIO_API_URL);
    first = checkFirstUrl(url, apiOrigin, opts.accountSid);
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.reason, retryable: false };
    throw err;
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const res = await followRedirects(first, apiOrigin, opts, deadline.signal);
    return await receive(res, opts, deadline.signal);
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.reason, retryable: err.retryable };
    if (deadline.signal.aborted) return { ok: false, reason: TIMED_OUT, retryable: true };
    // Network failures are Refusals by now, so the store failed (a full disk, say): not the
    // file's fault, and worth another try.
    return {
      ok: false,
      reason: `The server could not store the file (${errorCode(err)}).`,
      retryable: true,
    };
  } finally {
    clearTimeout(timer);
  }
}

function apiOriginOf(apiUrl: string): string {
  let api: URL;
  try {
    api = new URL(apiUrl);
  } catch {
    throw new Refusal("The provider's API URL is not a valid URL.");
  }
  if (api.protocol !== 'https:' && api.protocol !== 'http:') {
    throw new Refusal("The provider's API URL is not an http(s) address.");
  }
  return api.origin;
}

/** The attachment's address as the webhook gave it, if it is one the server may fetch. */
function checkFirstUrl(url: string, apiOrigin: string, accountSid: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Refusal('The media address is not a valid URL.');
  }
  if (u.origin !== apiOrigin) {
    throw new Refusal("The media address is not on the provider's API host.");
  }
  if (u.username || u.password) {
    throw new Refusal('The media address carries credentials of its own.');
  }
  // A SID is letters and digits; anything else could step out of the account's path.
  if (!/^[A-Za-z0-9]+$/.test(accountSid)) {
    throw new Refusal("The tip line's account SID is not set correctly.");
  }
  if (!u.pathname.startsWith(`/2010-04-01/Accounts/${accountSid}/`)) {
    throw new Refusal("The media address is not under the tip line's provider account.");
  }
  return u;
}

/**
 * The headers of a request to `target`: the credentials only when it is on the API origin
 * (exported so that this rule is tested on its own).
 */
export function providerRequestHeaders(
  target: URL,
  apiOrigin: string,
  credentials: { readonly accountSid: string; readonly authToken: string },
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'Watchfloor tip line' };
  if (target.origin === apiOrigin) {
    const basic = Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString(
      'base64',
    );
    headers.authorization = `Basic ${basic}`;
  }
  return headers;
}

async function followRedirects(
  first: URL,
  apiOrigin: string,
  opts: ProviderMediaOptions,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  let target = first;
  for (let redirects = 0; ; redirects += 1) {
    const pinned =
      target.origin === apiOrigin ? null : await checkForeignTarget(target, opts, signal);
    const res = await get(target, providerRequestHeaders(target, apiOrigin, opts), pinned, signal);
    const status = res.statusCode ?? 0;
    if (!REDIRECTS.has(status)) {
      if (status === 200) return res;
      res.destroy();
      throw failureOf(status);
    }
    res.destroy();
    if (redirects === MAX_REDIRECTS) {
      throw new Refusal(`The provider redirected more than ${MAX_REDIRECTS} times.`);
    }
    const location = res.headers.location;
    if (!location) throw new Refusal('The provider answered a redirect without a location.');
    try {
      target = new URL(location, target);
    } catch {
      throw new Refusal('The provider redirected to an address that is not a valid URL.');
    }
  }
}

/**
 * Checks an address off the trusted origin (https, public addresses only); answers the address
 * to connect to. `how` says where it came from, for the reason: "The provider redirected to".
 */
async function checkForeignTarget(
  target: URL,
  opts: { readonly lookup?: HostLookup },
  signal: AbortSignal,
  how = 'The provider redirected to',
): Promise<ResolvedAddress> {
  if (target.protocol !== 'https:') {
    throw new Refusal(`${how} an address that is not https.`);
  }
  if (target.username || target.password) {
    throw new Refusal(`${how} an address that carries credentials.`);
  }
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  let addresses: readonly ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await beforeDeadline((opts.lookup ?? systemLookup)(host), signal);
    } catch (err) {
      if (err instanceof Refusal) throw err;
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new Refusal(`The host ${hostPhrase(how)} could not be found.`, true);
    }
  }
  // Every address must be public: the system may pick any of them, now or on a retry.
  if (!addresses.every((a) => isPublicAddress(a.address))) {
    throw new Refusal(`${how} a private network address, which the server does not fetch from.`);
  }
  return addresses[0]!;
}

/** "The provider redirected to" gives "the provider redirected to", for "The host ... ". */
const hostPhrase = (how: string) => how.charAt(0).toLowerCase() + how.slice(1);

/** A resolver that does not answer does not hold the fetch past its deadline. */
function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Refusal(TIMED_OUT, true));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function get(
  target: URL,
  headers: Record<string, string>,
  pinned: ResolvedAddress | null,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // No shared agent: a pooled socket to a foreign host could outlive the check made for it.
    const options = {
      headers,
      signal,
      agent: false as const,
      ...(pinned ? { lookup: pinnedLookup(pinned) } : {}),
    };
    const req =
      target.protocol === 'https:' ? httpsRequest(target, options) : httpRequest(target, options);
    req.once('error', () =>
      reject(new Refusal(signal.aborted ? TIMED_OUT : 'The provider could not be reached.', true)),
    );
    req.once('response', resolve);
    req.end();
  });
}

/** A lookup that answers the address already checked, whatever DNS would say now. */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  const lookup = (
    _hostname: string,
    options: { readonly all?: boolean },
    callback: (err: null, address: string | ResolvedAddress[], family?: number) => void,
  ): void => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return lookup as unknown as LookupFunction;
}

function failureOf(status: number): Refusal {
  if (status === 401 || status === 403) {
    return new Refusal('The provider refused the credentials.');
  }
  if (status === 404 || status === 410) return new Refusal('The provider no longer has this file.');
  if (status === 408 || status === 429) {
    return new Refusal(`The provider asked to try again later (HTTP ${status}).`, true);
  }
  if (status >= 500 && status <= 599) {
    return new Refusal(`The provider had a temporary error (HTTP ${status}).`, true);
  }
  if (status >= 400 && status <= 499) {
    return new Refusal(`The provider refused to send the file (HTTP ${status}).`);
  }
  return new Refusal(`The provider answered HTTP ${status} instead of the file.`);
}

type ReceiveOptions = Pick<ProviderMediaOptions, 'maxBytes' | 'allowedTypes' | 'store'>;

async function receive(
  res: IncomingMessage,
  opts: ReceiveOptions,
  signal: AbortSignal,
  taker = 'The tip line',
): Promise<ProviderMediaResult> {
  const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!opts.allowedTypes.some((t) => t.toLowerCase() === contentType)) {
    res.destroy();
    throw new Refusal(`${taker} does not take files of this type (${typeLabel(contentType)}).`);
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    res.destroy();
    throw new Refusal(tooLarge(opts.maxBytes));
  }
  const put = await opts.store.putStream(checkedBody(res, contentType, signal), {
    maxBytes: opts.maxBytes,
  });
  if ('tooLarge' in put) throw new Refusal(tooLarge(opts.maxBytes));
  return { ok: true, sha256: put.sha256, size: put.size, contentType };
}

/**
 * The body, held back until its first bytes show it is what its type says, and cut short (with a
 * reason) when the connection breaks or the time is up.
 */
async function* checkedBody(
  res: IncomingMessage,
  contentType: string,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let head: Buffer | null = Buffer.alloc(0);
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (head === null) {
        yield chunk;
        continue;
      }
      head = Buffer.concat([head, chunk]);
      if (head.length < MAGIC_BYTES) continue;
      checkMagic(contentType, head);
      yield head;
      head = null;
    }
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(signal.aborted ? TIMED_OUT : BROKE_OFF, true);
  }
  if (!res.complete) throw new Refusal(signal.aborted ? TIMED_OUT : BROKE_OFF, true);
  if (head !== null) {
    checkMagic(contentType, head);
    yield head;
  }
}

/** How many first bytes the type check looks at. */
const MAGIC_BYTES = 12;

const ISO_MEDIA = new Set([
  'video/mp4',
  'video/3gpp',
  'video/3gpp2',
  'video/quicktime',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);

/** What each type's first bytes are; a type without a rule here is not checked. */
export function magicAgrees(contentType: string, head: Uint8Array): boolean | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const at = (offset: number, ascii: string) =>
    bytes.subarray(offset, offset + ascii.length).toString('latin1') === ascii;
  switch (contentType) {
    case 'image/jpeg':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'image/png':
      return at(0, '\x89PNG\r\n\x1a\n');
    case 'image/gif':
      return at(0, 'GIF8');
  }
  if (!ISO_MEDIA.has(contentType)) return null;
  // ISO base media files (MP4, 3GPP, HEIF) open with an ftyp box; old QuickTime files may open
  // with another top-level atom.
  if (at(4, 'ftyp')) return true;
  return (
    contentType === 'video/quicktime' &&
    ['moov', 'mdat', 'wide', 'free', 'skip'].some((atom) => at(4, atom))
  );
}

function checkMagic(contentType: string, head: Buffer): void {
  if (magicAgrees(contentType, head) === false) {
    throw new Refusal(`The file claims to be ${typeLabel(contentType)} but its content is not.`);
  }
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/gif': 'a GIF image',
  'image/heic': 'a HEIC image',
  'image/heif': 'a HEIF image',
  'video/mp4': 'an MP4 video',
  'video/3gpp': 'a 3GPP video',
  'video/quicktime': 'a QuickTime video',
};

/** A type for a sentence; the text comes from outside, so only a plain media type is repeated. */
function typeLabel(contentType: string): string {
  if (TYPE_LABELS[contentType]) return TYPE_LABELS[contentType];
  if (contentType === '') return 'no type given';
  return /^[a-z0-9][a-z0-9.+-]{0,40}\/[a-z0-9][a-z0-9.+-]{0,60}$/.test(contentType)
    ? contentType
    : 'an unreadable type';
}

function tooLarge(maxBytes: number): string {
  return `The file is larger than ${byteSize(maxBytes)}.`;
}

function byteSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (bytes >= 1_000_000) {
    return `${Number.isInteger(mib) ? mib : Math.round(bytes / 100_000) / 10} MB`;
  }
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} kB`;
  return `${bytes} bytes`;
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

// ----------------------------------------------------------------------------------------------
// Vendor media (an LPR hit's plate image)

export interface VendorMediaOptions extends ReceiveOptions {
  /**
   * The one origin an administrator configured for this integration (its vendor's server on the
   * agency's network, say): reached over http or https whatever its address. Every other address
   * must be https and resolve only to public addresses, as for the tip line's redirects.
   */
  readonly trustedOrigin: string | null;
  /** Who takes the file, for the reason ("Alerts"). */
  readonly taker: string;
  readonly timeoutMs?: number;
  readonly lookup?: HostLookup;
}

/**
 * Fetches a file a vendor pointed to (an image URL in an ingest body) into the media store,
 * with the tip line's rules for an address from outside: no credentials sent or carried, public
 * addresses only (checked, then pinned for the connection) unless on the configured origin,
 * redirects checked the same way each time, type and first bytes checked, size capped while
 * streaming. The answer is a value with a reason and whether a retry may help.
 */
export async function fetchVendorMedia(
  url: string,
  opts: VendorMediaOptions,
): Promise<ProviderMediaResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, reason: 'The media address is not a valid URL.', retryable: false };
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const trusted = opts.trustedOrigin !== null && target.origin === opts.trustedOrigin;
      if (trusted && (target.username || target.password)) {
        throw new Refusal('The media address carries credentials of its own.');
      }
      const how = redirects === 0 ? 'The media address points to' : 'The vendor redirected to';
      const pinned = trusted ? null : await checkForeignTarget(target, opts, deadline.signal, how);
      const res = await get(target, { 'user-agent': 'Watchfloor' }, pinned, deadline.signal);
      const status = res.statusCode ?? 0;
      if (!REDIRECTS.has(status)) {
        if (status !== 200) {
          res.destroy();
          throw failureOf(status);
        }
        return await receive(res, opts, deadline.signal, opts.taker);
      }
      res.destroy();
      if (redirects === MAX_REDIRECTS) {
        throw new Refusal(`The vendor redirected more than ${MAX_REDIRECTS} times.`);
      }
      const location = res.headers.location;
      if (!location) throw new Refusal('The vendor answered a redirect without a location.');
      try {
        target = new URL(location, target);
      } catch {
        throw new Refusal('The vendor redirected to an address that is not a valid URL.');
      }
    }
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.reason, retryable: err.retryable };
    if (deadline.signal.aborted) return { ok: false, reason: TIMED_OUT, retryable: true };
    return {
      ok: false,
      reason: `The server could not store the file (${errorCode(err)}).`,
      retryable: true,
    };
  } finally {
    clearTimeout(timer);
  }
}
