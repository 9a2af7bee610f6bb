import {
  RecordingsSourceSchema,
  SourceDescriptorSchema,
  type RecordingsSource,
  type SourceDescriptor,
} from '../../shared/domain/cameras';
import {
  redactSourceUrl,
  restoreRedactedQuery,
  urlUserinfo,
} from '../../shared/domain/cameraAdmin';
import type { RecordingsInput, SourceInput } from '../../shared/api/cameras';
import type { CameraSecrets } from './cameraSecrets';

/**
 * How a source is kept: `descriptor` is the source with its secret parts taken out (what the
 * admin sees and what the demo's queries read); `sealed` is the whole source, credentials
 * included, sealed under the camera key, or null when the source has no secret part.
 */
export interface StoredSource {
  readonly descriptor: Record<string, unknown>;
  readonly sealed: string | null;
}

/** A source as it is read back from a row; jsonb may come back parsed or as text. */
export interface SourceRow {
  readonly descriptor: unknown;
  readonly sealed: string | null;
}

/** A source with its secret parts taken out, and whether it had any. */
export function redacted(
  source: Record<string, unknown>,
  urlFields: readonly string[],
): { descriptor: Record<string, unknown>; secret: boolean } {
  const { username, password, ...rest } = source;
  let secret = username !== undefined || password !== undefined;
  const descriptor: Record<string, unknown> = { ...rest };
  for (const field of urlFields) {
    const value = descriptor[field];
    if (typeof value !== 'string') continue;
    const shown = redactSourceUrl(value);
    if (shown !== value) secret = true;
    descriptor[field] = shown;
  }
  return { descriptor, secret };
}

export function storeLiveSource(
  secrets: CameraSecrets,
  cameraId: string,
  source: SourceDescriptor,
): StoredSource {
  const { descriptor, secret } = redacted({ ...source }, ['url', 'substreamUrl', 'ptzUrl']);
  return {
    descriptor,
    sealed: secret ? secrets.seal(JSON.stringify(source), { cameraId, source: 'live' }) : null,
  };
}

export function storeRecordingsSource(
  secrets: CameraSecrets,
  cameraId: string,
  source: RecordingsSource,
): StoredSource {
  const { descriptor, secret } = redacted({ ...source }, ['urlTemplate']);
  return {
    descriptor,
    sealed: secret
      ? secrets.seal(JSON.stringify(source), { cameraId, source: 'recordings' })
      : null,
  };
}

const parsedJson = (raw: unknown): unknown => (typeof raw === 'string' ? JSON.parse(raw) : raw);

/** The live source with its credentials, for the relay and the source test only. */
export function openLiveSource(
  secrets: CameraSecrets,
  cameraId: string,
  row: SourceRow,
): SourceDescriptor {
  const raw =
    row.sealed === null
      ? parsedJson(row.descriptor)
      : JSON.parse(secrets.open(row.sealed, { cameraId, source: 'live' }));
  return SourceDescriptorSchema.parse(raw);
}

/** The recordings source with its credentials, for the server's own fetch and its test only. */
export function openRecordingsSource(
  secrets: CameraSecrets,
  cameraId: string,
  row: SourceRow,
): RecordingsSource {
  const raw =
    row.sealed === null
      ? parsedJson(row.descriptor)
      : JSON.parse(secrets.open(row.sealed, { cameraId, source: 'recordings' }));
  return RecordingsSourceSchema.parse(raw);
}

/** The stored (redacted) descriptor as an object: what an admin may see of a source. */
export function shownDescriptor(row: SourceRow): Record<string, unknown> {
  return (parsedJson(row.descriptor) ?? {}) as Record<string, unknown>;
}

/** The credentials of a kept source: its fields, else what its URL carried. */
function keptCredentials(kept: { url: string; username?: string; password?: string }): {
  username?: string;
  password?: string;
} {
  const inUrl = urlUserinfo(kept.url);
  const username = kept.username ?? (inUrl.username || undefined);
  const password = kept.password ?? (inUrl.password || undefined);
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** A live source from a change: with `keepCredentials`, the credentials on file carry over. */
export function liveSourceFromInput(
  input: SourceInput,
  kept: SourceDescriptor | null,
): SourceDescriptor {
  const { keepCredentials, ...source } = input;
  if (!keepCredentials || !kept) return source;
  return {
    ...source,
    url: restoreRedactedQuery(source.url, kept.url),
    ...(source.substreamUrl === undefined
      ? {}
      : { substreamUrl: restoreRedactedQuery(source.substreamUrl, kept.substreamUrl ?? kept.url) }),
    ...(source.ptzUrl === undefined
      ? {}
      : { ptzUrl: restoreRedactedQuery(source.ptzUrl, kept.ptzUrl ?? kept.url) }),
    ...keptCredentials(kept),
  };
}

/** A recordings source from a change: with `keepCredentials`, the credentials on file carry over. */
export function recordingsSourceFromInput(
  input: RecordingsInput,
  kept: RecordingsSource | null,
): RecordingsSource {
  const { keepCredentials, ...source } = input;
  if (!keepCredentials || !kept) return source;
  return {
    ...source,
    urlTemplate: restoreRedactedQuery(source.urlTemplate, kept.urlTemplate),
    ...keptCredentials({ url: kept.urlTemplate, ...kept }),
  };
}
