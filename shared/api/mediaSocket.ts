import { z } from 'zod';

/**
 * Media over one WebSocket: the web console's tiles fetch their LL-HLS playlists and parts through
 * a single socket instead of one HTTP request each. A wall of 16 tiles makes about 160 media
 * requests a second; in a browser every HTTP request costs work in the browser and network
 * processes, a socket message a small fraction of it (docs/decisions/0014-media-socket.md).
 *
 * Client to host: text messages, one JSON object each.
 *   {"id": 7, "path": "<tab key>/<media id>/part-12.m4s", "query": "_HLS_msn=3&_HLS_part=1"}
 *   {"cancel": 7}
 * Host to client: one binary message per answer:
 *   u32 id | u16 status | u8 content-type length | content-type (ASCII) | body
 *
 * The path is the same opaque media path as under the HTTP route `/media/`, and the host answers
 * it with the same code; a held (blocking) request is answered when its part exists, and a cancel
 * ends it early with no answer.
 */

export const MEDIA_SOCKET_PATH = '/media-socket';

/** A request message is small; anything larger is refused before it is parsed. */
export const MAX_MEDIA_SOCKET_MESSAGE_BYTES = 2048;

/** Requests one socket may hold open at once (a 6x6 wall holds about two a tile). */
export const MAX_MEDIA_SOCKET_IN_FLIGHT = 256;

const RequestId = z.number().int().min(0).max(0xffffffff);

export const MediaSocketRequestSchema = z.union([
  z
    .object({
      id: RequestId,
      path: z.string().min(1).max(200),
      query: z.string().max(200).default(''),
    })
    .strict(),
  z.object({ cancel: RequestId }).strict(),
]);

export type MediaSocketRequest = z.infer<typeof MediaSocketRequestSchema>;

export interface MediaSocketAnswer {
  readonly id: number;
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
}

const HEADER_BYTES = 7;

export function encodeMediaAnswer(answer: MediaSocketAnswer): Uint8Array {
  const type = new TextEncoder().encode(answer.contentType.slice(0, 255));
  const out = new Uint8Array(HEADER_BYTES + type.byteLength + answer.body.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, answer.id);
  view.setUint16(4, answer.status);
  view.setUint8(6, type.byteLength);
  out.set(type, HEADER_BYTES);
  out.set(answer.body, HEADER_BYTES + type.byteLength);
  return out;
}

/** Reads an answer; null for a message too short to be one. The body is a view, not a copy. */
export function decodeMediaAnswer(data: ArrayBuffer | Uint8Array): MediaSocketAnswer | null {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const typeLength = view.getUint8(6);
  if (bytes.byteLength < HEADER_BYTES + typeLength) return null;
  return {
    id: view.getUint32(0),
    status: view.getUint16(4),
    contentType: new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + typeLength)),
    body: bytes.subarray(HEADER_BYTES + typeLength),
  };
}
