import type { WebSocket } from 'ws';
import {
  MAX_MEDIA_SOCKET_IN_FLIGHT,
  MediaSocketRequestSchema,
  encodeMediaAnswer,
} from '../../../shared/api/mediaSocket';
import type { MediaResponse } from './mediaRequest';
import { errorResponse } from './mediaRequest';

/**
 * The media socket as a thin adapter, like the HTTP route: each request message becomes a call to
 * `answer` (the gateway's `handleMediaRequest`, behind whatever access check the host makes) and
 * the answer goes back as one binary message. Held requests run concurrently; a cancel or a closed
 * socket aborts them. The protocol is in shared/api/mediaSocket.ts.
 */

export type MediaAnswerer = (
  path: string,
  query: URLSearchParams,
  signal: AbortSignal,
) => Promise<MediaResponse>;

/** Id 0 is never a client's: answers on it are about messages that named no usable id. */
const UNADDRESSED = 0;

export function serveMediaSocket(ws: WebSocket, answer: MediaAnswerer): void {
  const inFlight = new Map<number, AbortController>();

  const send = (id: number, response: MediaResponse): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(
      encodeMediaAnswer({
        id,
        status: response.status,
        contentType: response.headers['content-type'] ?? 'application/octet-stream',
        body: response.body,
      }),
    );
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      return send(UNADDRESSED, errorResponse(400, 'media requests are JSON text messages'));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return send(UNADDRESSED, errorResponse(400, 'a media request is one JSON object'));
    }
    const parsed = MediaSocketRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const addressed =
        typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= 0xffffffff;
      return send(
        addressed ? id : UNADDRESSED,
        errorResponse(400, 'a media request is {"id": n, "path": "...", "query": "..."}'),
      );
    }
    const request = parsed.data;
    if ('cancel' in request) {
      inFlight.get(request.cancel)?.abort();
      inFlight.delete(request.cancel);
      return;
    }
    const { id } = request;
    if (id === UNADDRESSED) return send(UNADDRESSED, errorResponse(400, 'request ids start at 1'));
    if (inFlight.has(id)) return send(id, errorResponse(409, 'that request id is in use'));
    if (inFlight.size >= MAX_MEDIA_SOCKET_IN_FLIGHT) {
      return send(id, errorResponse(429, 'too many media requests at once'));
    }
    const controller = new AbortController();
    inFlight.set(id, controller);
    let query: URLSearchParams;
    try {
      query = new URLSearchParams(request.query);
    } catch {
      inFlight.delete(id);
      return send(id, errorResponse(400, 'the query is not a URL query'));
    }
    void answer(request.path, query, controller.signal)
      .catch(() => errorResponse(500, 'the media request failed'))
      .then((response) => {
        // A cancelled request (or one on a closed socket) gets no answer.
        if (inFlight.get(id) !== controller || controller.signal.aborted) return;
        inFlight.delete(id);
        send(id, response);
      });
  });

  ws.on('close', () => {
    for (const controller of inFlight.values()) controller.abort();
    inFlight.clear();
  });
}
