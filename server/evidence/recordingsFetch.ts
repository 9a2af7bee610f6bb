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

export class RecordingsFetchError extends Error {}

/**
 * Fetches a range of a camera's recordings into the media store, with the credentials on file
 * (Basic, or Digest when asked; redirects not followed; the same rules as the live relay,
 * decision 0016). A reply larger than `maxBytes` is refused and nothing kept. Messages never
 * name the source's address or credentials.
 */
export async function fetchRecordingInto(
  media: MediaStore,
  source: RecordingsSource,
  range: { readonly startMs: number; readonly endMs: number },
  opts: { readonly maxBytes: number; readonly timeoutMs: number },
): Promise<StoredMedia & { readonly contentType: string }> {
  const { url, username, password } = splitCredentials(
    recordingsUrl(source.urlTemplate, range.startMs, range.endMs),
    source,
  );
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  try {
    const res = await openUpstream(url, { username, password }, abort.signal);
    const contentType = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (contentType !== 'video/mp4' && contentType !== 'application/octet-stream') {
      res.resume();
      throw new RecordingsFetchError(
        `the recordings source answered ${contentType || 'an untyped reply'}, not an MP4`,
      );
    }
    const put = await media.putStream(res, { maxBytes: opts.maxBytes });
    if ('tooLarge' in put) {
      throw new RecordingsFetchError(
        `the recordings source sent more than ${Math.round(opts.maxBytes / 1024 / 1024)} MB`,
      );
    }
    if (put.size === 0) throw new RecordingsFetchError('the recordings source sent no video');
    return { ...put, contentType: 'video/mp4' };
  } catch (err) {
    if (err instanceof RecordingsFetchError) throw err;
    if (err instanceof UpstreamError) {
      throw new RecordingsFetchError(err.message.replace('the camera', 'the recordings source'));
    }
    if (abort.signal.aborted) {
      throw new RecordingsFetchError('the recordings source did not finish in time');
    }
    throw new RecordingsFetchError('the recordings source could not be read');
  } finally {
    clearTimeout(timer);
  }
}
