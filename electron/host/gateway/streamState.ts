import { z } from 'zod';

/**
 * What every viewer of a stream is told about it. Reasons are written for an operator ("the camera
 * refused the credentials") and never carry a source URL or credentials.
 */
export const StreamStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('starting') }),
  z.object({ kind: z.literal('live') }),
  z.object({ kind: z.literal('reconnecting'), attempt: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('failed'), reason: z.string() }),
  z.object({ kind: z.literal('revoked'), reason: z.string() }),
  z.object({ kind: z.literal('stopped') }),
]);
export type StreamState = z.infer<typeof StreamStateSchema>;

export const StreamVariantSchema = z.enum(['main', 'sub']);
/** `main` for a maximised tile; `sub` for grid tiles (the camera's substream, or a scaled copy). */
export type StreamVariant = z.infer<typeof StreamVariantSchema>;

/** Terminal states: the stream will not deliver again under this media id. */
export function isFinal(state: StreamState): boolean {
  return state.kind === 'failed' || state.kind === 'revoked' || state.kind === 'stopped';
}
