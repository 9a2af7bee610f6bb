import type { IncomingMessage } from 'node:http';
import type { RecordingsSource } from '../../shared/domain/cameras';
import type { MediaStore, StoredMedia } from '../media/mediaStore';
import { openUpstream, splitCredentials, UpstreamError } from '../relay/cameraUpstream';

/** ISO 8601 in UTC to the second, as NVR APIs take it (2026-11-29T19:00:00Z). */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The URL of a time range: `{start}`/`{end}` become ISO 8601 UTC times, `{start_unix}` /
 * `{end_unix}` unix seconds (Frigate's `/api/<camera>/start/{start_unix}/end/{end_unix}/clip.mp4`).
 * Each value is URL-encoded where it lands, so a template can put them in a path or a query.
 */
export function recordingsUrl(template: string, startMs: number, endMs: number): string {
  const values: Record<string, string> = {
    '{start_unix}': String(Math.floor(startMs / 1000)),
    '{end_unix}': String(Math.ceil(endMs / 1000)),
    '{start}': encodeURIComponent(isoSeconds(startMs)),
    '{end}': encodeURIComponent(isoSeconds(endMs)),
  };
  return template.replace(/\{(start|end)(_unix)?\}/g, (m) => values[m] ?? m);
}

/** A size cap as a person reads it: MB, or KB below one MB. */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

export class RecordingsFetchError extends Error {
  constructor(
    message: string,
    /** The HTTP status the recordings source answered, null when nothing answered. */
    readonly httpStatus: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Opens a range of a camera's recordings: the source's answer, checked to be an MP4, for the
 * caller to read to the end or destroy. Credentials go as Basic, or Digest when asked; redirects
 * are not followed (the live relay's rules, decision 0016). Errors are RecordingsFetchErrors whose
 * messages never name the source's address or credentials.
 */
export async function openRecording(
  source: RecordingsSource,
  range: { readonly startMs: number; readonly endMs: number },
  signal: AbortSignal,
): Promise<IncomingMessage> {
  let httpStatus: number | null = null;
  try {
    const { url, username, password } = splitCredentials(
      recordingsUrl(source.urlTemplate, range.startMs, range.endMs),
      source,
    );
    const res = await openUpstream(url, { username, password }, signal);
    httpStatus = res.statusCode ?? null;
    const contentType = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (contentType !== 'video/mp4' && contentType !== 'application/octet-stream') {
      res.resume();
      throw new RecordingsFetchError(
        `the recordings source answered ${contentType || 'an untyped reply'}, not an MP4`,
        httpStatus,
      );
    }
    return res;
  } catch (err) {
    throw recordingsError(err, signal, httpStatus);
  }
}

/** Any failure to read a recordings source, as a RecordingsFetchError. */
function recordingsError(
  err: unknown,
  signal: AbortSignal,
  httpStatus: number | null,
): RecordingsFetchError {
  if (err instanceof RecordingsFetchError) return err;
  if (err instanceof UpstreamError) {
    return new RecordingsFetchError(
      err.message.replace('the camera', 'the recordings source'),
      err.upstreamStatus,
    );
  }
  if (signal.aborted) {
    return new RecordingsFetchError('the recordings source did not finish in time', httpStatus);
  }
  return new RecordingsFetchError('the recordings source could not be read', httpStatus);
}

/**
 * Fetches a range of a camera's recordings into the media store (openRecording). A reply larger
 * than `maxBytes` is refused and nothing kept. The recordings test in the camera form
 * (docs/cameras-admin.md) fetches through here too, into a store of its own that it removes.
 */
export async function fetchRecordingInto(
  media: MediaStore,
  source: RecordingsSource,
  range: { readonly startMs: number; readonly endMs: number },
  opts: { readonly maxBytes: number; readonly timeoutMs: number },
): Promise<StoredMedia & { readonly contentType: string; readonly httpStatus: number }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  let httpStatus: number | null = null;
  try {
    const res = await openRecording(source, range, abort.signal);
    httpStatus = res.statusCode ?? null;
    const put = await media.putStream(res, { maxBytes: opts.maxBytes });
    if ('tooLarge' in put) {
      throw new RecordingsFetchError(
        `the recordings source sent more than ${sizeText(opts.maxBytes)}, the most a recording may be`,
        httpStatus,
      );
    }
    if (put.size === 0) {
      throw new RecordingsFetchError('the recordings source sent no video', httpStatus);
    }
    return { ...put, contentType: 'video/mp4', httpStatus: httpStatus ?? 200 };
  } catch (err) {
    throw recordingsError(err, abort.signal, httpStatus);
  } finally {
    clearTimeout(timer);
  }
}
