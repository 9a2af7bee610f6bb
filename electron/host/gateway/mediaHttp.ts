import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { MediaResponse } from './mediaRequest';
import { errorResponse } from './mediaRequest';

/**
 * The web host's media route as a thin adapter: an HTTP/1.1 or HTTP/2 (compatibility API) request
 * under `prefix` becomes `handleMediaRequest`, and the answer is written back. A client that goes
 * away aborts its held (blocking) request.
 */

export type NodeRequest = IncomingMessage | Http2ServerRequest;
export type NodeResponse = ServerResponse | Http2ServerResponse;

export interface MediaRequestHandler {
  handleMediaRequest(
    path: string,
    query: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<MediaResponse>;
}

/** Answers the request if it is under `prefix` and returns true; returns false otherwise. */
export async function serveMediaHttp(
  gateway: MediaRequestHandler,
  req: NodeRequest,
  res: NodeResponse,
  prefix = '/media/',
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://media.invalid');
  if (!url.pathname.startsWith(prefix)) return false;
  let answer: MediaResponse;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    answer = errorResponse(405, 'media is read with GET');
  } else {
    const aborted = new AbortController();
    const onClose = (): void => aborted.abort();
    res.once('close', onClose);
    try {
      answer = await gateway.handleMediaRequest(
        url.pathname.slice(prefix.length),
        url.searchParams,
        aborted.signal,
      );
    } catch {
      answer = errorResponse(500, 'the media request failed');
    } finally {
      res.off('close', onClose);
    }
  }
  if (res.writableEnded || res.destroyed) return true;
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': answer.body.byteLength,
    'x-content-type-options': 'nosniff',
  };
  (res as ServerResponse).writeHead(answer.status, headers);
  if (req.method === 'HEAD') res.end();
  else (res as ServerResponse).end(answer.body);
  return true;
}
