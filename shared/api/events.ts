import { z } from 'zod';

/** One committed change, as the server streams it. Ids increase in commit order. */
export const ServerEventSchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type ServerEvent = z.infer<typeof ServerEventSchema>;

/** Messages on the event WebSocket, server to client. */
export const EventStreamMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: ServerEventSchema }),
  /** Sent once the replay of missed events is done and the stream is live. */
  z.object({ kind: z.literal('live'), lastId: z.number().int().nonnegative() }),
]);
export type EventStreamMessage = z.infer<typeof EventStreamMessageSchema>;
