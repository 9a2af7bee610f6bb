import type { Readable } from 'node:stream';
import { ALERT_ENDPOINTS } from '../../../shared/api/alerts';
import { CAMERA_ENDPOINTS } from '../../../shared/api/cameras';
import { EVIDENCE_ENDPOINTS } from '../../../shared/api/evidence';
import { ONLINE_REPORT_ENDPOINTS } from '../../../shared/api/onlineReports';
import { TIP_ENDPOINTS, TIP_MEDIA_VARIANTS, type TipMediaVariant } from '../../../shared/api/tips';
import { requestUrl } from '../../../shared/api/contract';
import { HostCallError } from '../calls/hostCallError';
import type { ServerStream } from '../serverLink/serverHttp';

/**
 * The media of records, streamed from the server to the console through the host: a tip's photos
 * and videos (docs/tip-line.md), an alert's evidence, such as an LPR hit's plate image
 * (docs/integrations.md), and the files a reporter attached to an online report
 * (docs/online-reports.md). The page never talks to the server and never holds a token for it.
 * The console opens a grant with `tips.openMedia`, `alerts.openEvidence` (a reason, audited) or
 * `onlineReports.openFiles` (audited); the host remembers the grants its session opened and
 * serves, under one root, only theirs:
 *
 * - `<root><token>/<n>/<variant>`: a file of a tip's media, by the grant's token;
 * - `<root>alert/<alert id>/<n>/original`: an image of an alert's evidence;
 * - `<root>evidence/<link token>/0/original`: the clip of an evidence link an officer opened
 *   (docs/evidence.md);
 * - `<root>online-report/<report id>/<n>/original`: a photo or PDF of an online report;
 * - `<root>recording/<grant id>/<start ms>-<end ms>/original`: a stretch of a camera's recordings
 *   played on a tile under that recordings grant (views.recording; docs/console.md);
 *
 * through the session's link, passing on the status, type, length, range and disposition headers
 * and nothing else.
 */

/** Grant tokens are URL-safe base64 (letters, digits, `-` and `_`), as the server issues them. */
const TIP_PATH = new RegExp(
  `^([A-Za-z0-9_-]{20,200})/([0-9]{1,2})/(${TIP_MEDIA_VARIANTS.join('|')})$`,
);
/** An alert's evidence: its id (a UUID) and the image's number; it has one form. */
const ALERT_PATH =
  /^alert\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9]{1,2})\/(original)$/;

/** An evidence link's clip: the link's token (43 URL-safe base64 characters); one file. */
const EVIDENCE_PATH = /^evidence\/([A-Za-z0-9_-]{43})\/(0)\/(original)$/;

/** An online report's file: the report's id (a UUID) and the file's number; one form. */
const ONLINE_REPORT_PATH =
  /^online-report\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9]{1,2})\/(original)$/;

/** A stretch of a camera's recordings: the recordings grant's id and the range, in unix ms. */
const RECORDING_PATH =
  /^recording\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9]{1,15})-([0-9]{1,15})\/(original)$/;

export type RecordMediaKind = 'tip' | 'alert' | 'evidence' | 'online-report' | 'recording';

export interface TipMediaPath {
  readonly kind: RecordMediaKind;
  /** The tip grant's or evidence link's token, or the alert's or report's id. */
  readonly token: string;
  readonly n: number;
  readonly variant: TipMediaVariant;
  /** A recording's range, in unix milliseconds. */
  readonly range?: { readonly startMs: number; readonly endMs: number };
}

/** The path of a stretch of recordings under a recordings grant (RECORDING_PATH). */
export function recordingMediaPath(grantId: string, startMs: number, endMs: number): string {
  return `recording/${grantId}/${startMs}-${endMs}/original`;
}

/**
 * Parses `<token>/<n>/<variant>`, `alert/<id>/<n>/original`, `evidence/<token>/0/original`,
 * `online-report/<id>/<n>/original` or `recording/<grant id>/<start>-<end>/original`; null for
 * anything else.
 */
export function parseTipMediaPath(path: string): TipMediaPath | null {
  const tip = TIP_PATH.exec(path);
  if (tip)
    return { kind: 'tip', token: tip[1]!, n: Number(tip[2]), variant: tip[3] as TipMediaVariant };
  const alert = ALERT_PATH.exec(path);
  if (alert) return { kind: 'alert', token: alert[1]!, n: Number(alert[2]), variant: 'original' };
  const evidence = EVIDENCE_PATH.exec(path);
  if (evidence) return { kind: 'evidence', token: evidence[1]!, n: 0, variant: 'original' };
  const recording = RECORDING_PATH.exec(path);
  if (recording) {
    return {
      kind: 'recording',
      token: recording[1]!,
      n: 0,
      variant: 'original',
      range: { startMs: Number(recording[2]), endMs: Number(recording[3]) },
    };
  }
  const report = ONLINE_REPORT_PATH.exec(path);
  if (report) {
    return { kind: 'online-report', token: report[1]!, n: Number(report[2]), variant: 'original' };
  }
  return null;
}

/**
 * The key a grant is remembered by: a tip grant's token, `alert/<id>` for an alert's evidence,
 * `evidence/<token>` for an evidence link, `online-report/<id>` for a report's files.
 */
export function grantKey(kind: RecordMediaKind, token: string): string {
  return kind === 'tip' ? token : `${kind}/${token}`;
}

/** The server's address of one file of a parsed path. */
function serverPath(parsed: TipMediaPath): string {
  switch (parsed.kind) {
    case 'tip':
      return requestUrl(TIP_ENDPOINTS.media, {
        params: { token: parsed.token, n: String(parsed.n), variant: parsed.variant },
      });
    case 'alert':
      return requestUrl(ALERT_ENDPOINTS.evidence, {
        params: { id: parsed.token, n: String(parsed.n) },
      });
    case 'evidence':
      return requestUrl(EVIDENCE_ENDPOINTS.linkVideo, { params: { token: parsed.token } });
    case 'online-report':
      return requestUrl(ONLINE_REPORT_ENDPOINTS.file, {
        params: { id: parsed.token, n: String(parsed.n) },
      });
    case 'recording':
      return requestUrl(CAMERA_ENDPOINTS.recording, {
        params: { id: parsed.token },
        query: {
          start: new Date(parsed.range!.startMs).toISOString(),
          end: new Date(parsed.range!.endMs).toISOString(),
        },
      });
  }
}

/** The grants one session opened, until they expire or the session ends. */
export class TipMediaGrants {
  private readonly grants = new Map<string, number>();

  opened(grant: { readonly token: string; readonly expiresAt: string }, now: number): void {
    this.prune(now);
    const expires = Date.parse(grant.expiresAt);
    if (Number.isFinite(expires) && expires > now) this.grants.set(grant.token, expires);
  }

  owns(token: string, now: number): boolean {
    const expires = this.grants.get(token);
    return expires !== undefined && expires > now;
  }

  clear(): void {
    this.grants.clear();
  }

  private prune(now: number): void {
    for (const [token, expires] of this.grants) if (expires <= now) this.grants.delete(token);
  }
}

/** What the media route needs of the signed-in session. */
export interface TipMediaSession {
  stream(
    path: string,
    options: { readonly headers?: Readonly<Record<string, string>>; readonly signal?: AbortSignal },
  ): Promise<ServerStream>;
}

/** The answer to pass on: a status, the headers to send, and the bytes (or a short text). */
export interface TipMediaAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readable | string;
}

/**
 * Record media is private: never kept by a cache, never sniffed into something else, and never a
 * page that runs on the console's origin, even opened on its own in a tab.
 */
const PRIVATE: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
};

function text(status: number, message: string): TipMediaAnswer {
  return {
    status,
    headers: { ...PRIVATE, 'content-type': 'text/plain; charset=utf-8' },
    body: `${message}\n`,
  };
}

/**
 * Only what a photo, a video or a PDF is: a page on the console's origin must never come from
 * here.
 */
function mediaType(value: string | undefined): string {
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return /^(image|video)\/[a-z0-9.+-]+$/.test(type) || type === 'application/pdf'
    ? type
    : 'application/octet-stream';
}

/** A download's disposition as the server words it (server/media/contentDisposition.ts). */
const NAMED_ATTACHMENT =
  /^attachment; filename="[A-Za-z0-9 ._()-]{1,120}"; filename\*=UTF-8''[A-Za-z0-9%._~!-]{1,1500}$/;

/**
 * A photo or a video is shown in place; anything else is saved, never shown. The server's
 * attachment passes on when it has the plain form it is made in, for the file's name.
 */
function disposition(type: string, value: string | undefined): string {
  if (value && NAMED_ATTACHMENT.test(value)) return value;
  return /^(image|video)\//.test(type) ? 'inline' : 'attachment';
}

/** One `bytes=` range as the browser sent it; anything else is not passed on. */
function rangeHeader(range: string | undefined): Record<string, string> {
  return range && /^bytes=\d*-\d*$/.test(range) ? { range } : {};
}

const single = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/**
 * Fetches one file of a grant from the server for a console request. `owns` says whether this
 * session opened the grant (by its grantKey). Never throws: a refusal is a short text answer.
 */
export async function fetchTipMedia(
  session: TipMediaSession,
  owns: (token: string) => boolean,
  path: string,
  range: string | undefined,
  signal?: AbortSignal,
): Promise<TipMediaAnswer> {
  const parsed = parseTipMediaPath(path);
  if (!parsed || !owns(grantKey(parsed.kind, parsed.token))) return text(404, 'no such media');
  const url = serverPath(parsed);
  let reply: ServerStream;
  try {
    reply = await session.stream(url, {
      headers: rangeHeader(range),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof HostCallError) {
      const status = { signed_out: 401, locked: 423, offline: 503 }[err.code as string] ?? 502;
      return text(status, err.message);
    }
    return text(502, 'The RTCC server could not be reached.');
  }
  const { status, headers } = reply;
  const contentRange = single(headers['content-range']);
  const rangeOut: Record<string, string> =
    contentRange && /^bytes [0-9*/-]+$/.test(contentRange) ? { 'content-range': contentRange } : {};
  if (status === 416) {
    reply.body.resume();
    return { status, headers: { ...PRIVATE, ...rangeOut }, body: '' };
  }
  if (status !== 200 && status !== 206) {
    reply.body.resume();
    return text(status === 404 || status === 403 ? status : 502, 'no such media');
  }
  const out: Record<string, string> = { ...PRIVATE, ...rangeOut };
  out['content-type'] = mediaType(single(headers['content-type']));
  out['content-disposition'] = disposition(
    out['content-type'],
    single(headers['content-disposition']),
  );
  const length = single(headers['content-length']);
  if (length && /^\d+$/.test(length)) out['content-length'] = length;
  if (single(headers['accept-ranges']) === 'bytes') out['accept-ranges'] = 'bytes';
  return { status, headers: out, body: reply.body };
}
