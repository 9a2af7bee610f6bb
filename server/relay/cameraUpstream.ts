import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SourceDescriptor } from '../../shared/domain/cameras';

/** The camera refused, was not there, or answered something the relay does not pass on. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The HTTP status the camera itself answered, when it answered at all. */
    readonly upstreamStatus: number | null = null,
  ) {
    super(message);
  }
}

/** A camera URL without its user info, and the credentials from the URL or the descriptor. */
export function splitCredentials(
  url: string,
  source: Pick<SourceDescriptor, 'username' | 'password'>,
): { readonly url: URL; readonly username: string; readonly password: string } {
  const u = new URL(url);
  const username = source.username ?? decodeURIComponent(u.username);
  const password = source.password ?? decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u, username, password };
}

const CONNECT_TIMEOUT_MS = 10_000;

type Credentials = { readonly username: string; readonly password: string };

function getOnce(
  url: URL,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = { headers, signal, timeout: CONNECT_TIMEOUT_MS };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, rejectUnauthorized: false })
        : httpRequest(url, options);
    req.once('timeout', () => req.destroy(new UpstreamError('the camera did not answer', 504)));
    req.once('error', (err) =>
      reject(
        err instanceof UpstreamError ? err : new UpstreamError('the camera is unreachable', 502),
      ),
    );
    req.once('response', (res) => {
      req.setTimeout(0);
      resolve(res);
    });
    req.end();
  });
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The parameters of a `WWW-Authenticate: Digest ...` challenge, or null if it is not one. */
export function parseDigestChallenge(header: string | undefined): Record<string, string> | null {
  if (!header || !/^\s*Digest\s/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return params.nonce && params.realm !== undefined ? params : null;
}

/**
 * The Authorization header answering a Digest challenge (RFC 7616 with MD5, as cameras use it),
 * or null for a challenge the relay cannot answer (another algorithm, or only auth-int).
 */
export function digestAuthorization(
  challenge: Readonly<Record<string, string>>,
  credentials: Credentials,
  method: string,
  uri: string,
  cnonce: string = randomBytes(8).toString('hex'),
): string | null {
  const algorithm = challenge.algorithm ?? 'MD5';
  if (algorithm.toUpperCase() !== 'MD5') return null;
  const qops = (challenge.qop ?? '').split(',').map((q) => q.trim());
  const qop = qops.includes('auth') ? 'auth' : null;
  if (challenge.qop && !qop) return null;
  const ha1 = md5(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const nc = '00000001';
  const response = qop
    ? md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const quote = (v: string) => v.replace(/(["\\])/g, '\\$1');
  return [
    `Digest username="${quote(credentials.username)}"`,
    `realm="${quote(challenge.realm ?? '')}"`,
    `nonce="${quote(challenge.nonce ?? '')}"`,
    `uri="${quote(uri)}"`,
    `algorithm=MD5`,
    `response="${response}"`,
    ...(challenge.opaque !== undefined ? [`opaque="${quote(challenge.opaque)}"`] : []),
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
  ].join(', ');
}

/**
 * Opens an HTTP(S) GET on the camera with its credentials: Basic at once, and Digest when the
 * camera challenges for it, as ffmpeg did for the gateway before the relay. Redirects are not
 * followed: a camera that sends the relay elsewhere is refused, so the relay fetches only from the
 * origin on file. Camera certificates are mostly self-made, so, as ffmpeg does by default, they are
 * not verified.
 */
export async function openUpstream(
  url: URL,
  credentials: Credentials,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = { 'user-agent': 'watchfloor-relay' };
  const withCredentials = Boolean(credentials.username || credentials.password);
  if (withCredentials) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  let res = await getOnce(url, headers, signal);
  const challenge =
    res.statusCode === 401 ? parseDigestChallenge(res.headers['www-authenticate']) : null;
  if (challenge && withCredentials) {
    const digest = digestAuthorization(challenge, credentials, 'GET', url.pathname + url.search);
    if (digest) {
      res.resume();
      res = await getOnce(url, { ...headers, authorization: digest }, signal);
    }
  }
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return res;
  res.resume();
  if (status === 401 || status === 403) {
    throw new UpstreamError('the camera refused the credentials on file', 502, status);
  }
  if (status >= 300 && status < 400) {
    throw new UpstreamError(
      'the camera redirected elsewhere; the relay does not follow',
      502,
      status,
    );
  }
  if (status === 404) {
    throw new UpstreamError('the camera has no stream at this address', 502, status);
  }
  throw new UpstreamError(`the camera answered ${status}`, 502, status);
}

/** Reads a small reply (a playlist) whole, refusing one larger than `limit` bytes. */
export async function readSmall(res: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new UpstreamError('the camera sent a playlist too large to be one', 502);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
