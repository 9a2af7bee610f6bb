import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { RecordingRange } from '../../shared/api/cameras';
import { openRecording, RecordingsFetchError } from '../evidence/recordingsFetch';
import { findRecordingsSource } from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';
import { useOwnGrant } from './grantUse';

/** How long a recordings source has to start answering a tile. */
const OPEN_TIMEOUT_MS = 30_000;

/** A range may end a little after the server's now: the console's clock is not the server's. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Opens a stretch of a camera's recordings for its grant's holder to play on a tile, older than
 * the console's own replay buffer (docs/console.md, "Replay in clock time"). The grant must be
 * the caller's own, for recordings, still open; the owner's policy on recordings is asked again
 * now (grantUse.ts); the camera needs a recordings source. Each stretch played is one audit row,
 * `camera.recording_view`, with the grant (and so the reason and case) and the range; a refusal by
 * the policy carries its sentence. The answer streams the source's MP4 as it comes, never kept.
 */
export async function openRecordingView(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
  range: RecordingRange,
): Promise<IncomingMessage> {
  const startMs = Date.parse(range.start);
  const endMs = Date.parse(range.end);
  const value = await useOwnGrant(ctx, who, grantId, {
    grantAccess: 'recordings',
    wrongGrant: 'Recordings are played under a recordings grant: this is not one.',
    access: 'recordings',
    action: 'camera.recording_view',
    details: { start: range.start, end: range.end },
    check: (at) => {
      if (endMs > at.getTime() + CLOCK_SLACK_MS) {
        throw new HttpError(409, 'That stretch ends in the future: there is nothing recorded yet.');
      }
    },
    resource: async (tx, camera) => {
      const source = await findRecordingsSource(tx, cameraSecretsOf(ctx.config), camera.id);
      if (!source) {
        throw new HttpError(409, `"${camera.name}" has no recordings source on file.`);
      }
      return source;
    },
  });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), OPEN_TIMEOUT_MS);
  try {
    return await openRecording(value.resource, { startMs, endMs }, abort.signal);
  } catch (err) {
    if (!(err instanceof RecordingsFetchError)) throw err;
    throw new HttpError(409, `The recordings could not be played: ${err.message}.`);
  } finally {
    clearTimeout(timer);
  }
}

/** Passes bytes on until `maxBytes`, then fails: a source that sends too much is cut off. */
export function byteCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) done(new Error(`the recording is larger than ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
}
