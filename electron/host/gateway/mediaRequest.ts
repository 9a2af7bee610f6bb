/**
 * The gateway's answer to a media request, independent of the transport: Electron's
 * `protocol.handle('wf-media', ...)` and the web host's HTTP route both turn a request path into a
 * call to `StreamGateway.handleMediaRequest` and the answer back into their own response.
 *
 * Media paths are opaque: `<id>/<name>`, where the id is a random token the gateway issued and the
 * name is one of a handful of fixed forms. Nothing in a path ever reaches the file system.
 */

export interface MediaResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export type MediaQuery = URLSearchParams | Readonly<Record<string, string | string[] | undefined>>;

export type MediaTarget =
  | { readonly kind: 'live-playlist' }
  | { readonly kind: 'replay-playlist' }
  | { readonly kind: 'init'; readonly id: number }
  | { readonly kind: 'segment'; readonly msn: number }
  | { readonly kind: 'part'; readonly seq: number }
  | { readonly kind: 'snapshot' };

export interface ParsedMediaPath {
  readonly id: string;
  readonly target: MediaTarget;
}

const MAX_PATH_LENGTH = 160;
const PATH_FORM = /^\/?([A-Za-z0-9_-]{16,64})\/([a-z0-9.-]{1,40})$/;
const MAX_INDEX = 2 ** 40;

function index(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,13}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_INDEX ? n : null;
}

/** Parses a media path; null for anything that is not exactly one of the gateway's forms. */
export function parseMediaPath(path: string): ParsedMediaPath | null {
  if (path.length > MAX_PATH_LENGTH) return null;
  const match = PATH_FORM.exec(path);
  if (!match) return null;
  const id = match[1]!;
  const name = match[2]!;
  if (name === 'live.m3u8') return { id, target: { kind: 'live-playlist' } };
  if (name === 'replay.m3u8') return { id, target: { kind: 'replay-playlist' } };
  if (name === 'snapshot.jpg') return { id, target: { kind: 'snapshot' } };
  const numbered = /^(init|seg|part)-(\d+)\.(mp4|m4s)$/.exec(name);
  if (!numbered) return null;
  const n = index(numbered[2]);
  if (n === null) return null;
  const [, kind, , ext] = numbered;
  if (kind === 'init' && ext === 'mp4') return { id, target: { kind: 'init', id: n } };
  if (kind === 'seg' && ext === 'm4s') return { id, target: { kind: 'segment', msn: n } };
  if (kind === 'part' && ext === 'm4s') return { id, target: { kind: 'part', seq: n } };
  return null;
}

export function queryValue(query: MediaQuery, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

export function playlistResponse(text: string): MediaResponse {
  return {
    status: 200,
    headers: { 'content-type': PLAYLIST_TYPE, 'cache-control': 'no-store' },
    body: Buffer.from(text, 'utf8'),
  };
}

export function bytesResponse(body: Uint8Array, contentType: string): MediaResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'cache-control': 'private, max-age=60' },
    body,
  };
}

/** An error answer with a message a person can read. */
export function errorResponse(status: number, message: string): MediaResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Buffer.from(message + '\n', 'utf8'),
  };
}

/** A WHATWG Response for Electron's `protocol.handle` (and anything else that speaks fetch). */
export function toWebResponse(response: MediaResponse): Response {
  return new Response(response.status === 204 ? null : response.body.slice(), {
    status: response.status,
    headers: response.headers,
  });
}
