import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SourceDescriptor } from '../../shared/domain/cameras';

/** The camera refused, was not there, or answered something the relay does not pass on. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
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

/**
 * Opens an HTTP(S) GET on the camera with its credentials as Basic authorization, the way the
 * gateway's ffmpeg did before the relay. Redirects are not followed: a camera that sends the relay
 * elsewhere is refused, so the relay fetches only from the origin on file. Camera certificates are
 * mostly self-made, so, as ffmpeg does by default, they are not verified.
 */
export function openUpstream(
  url: URL,
  credentials: { readonly username: string; readonly password: string },
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = { 'user-agent': 'watchfloor-relay' };
  if (credentials.username || credentials.password) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
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
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(res);
      res.resume();
      if (status === 401 || status === 403) {
        reject(new UpstreamError('the camera refused the credentials on file', 502));
      } else if (status >= 300 && status < 400) {
        reject(
          new UpstreamError('the camera redirected elsewhere; the relay does not follow', 502),
        );
      } else if (status === 404) {
        reject(new UpstreamError('the camera has no stream at this address', 502));
      } else reject(new UpstreamError(`the camera answered ${status}`, 502));
    });
    req.end();
  });
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
