import { z } from 'zod';
import { endpoint, serverCall } from './contract';

/**
 * One committed change, as the server streams it. Ids increase in commit order. On the wire the
 * payload is a plain object; eventCatalog.ts types it by `type`.
 */
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

/** `after=`: 0, or the id of an event already seen. */
export const EventCursorSchema = z.coerce
  .number()
  .int('after is a whole event id')
  .min(0, 'after is 0 or a past event id')
  .max(Number.MAX_SAFE_INTEGER);

export const MAX_EVENT_PAGE = 1000;

export const EventPageSchema = z.object({
  events: z.array(ServerEventSchema),
  /** Resume after this id: the last event this page looked at, shown or not. */
  lastId: z.number().int(),
});

export const EVENT_ENDPOINTS = {
  page: endpoint({
    method: 'GET',
    path: '/v1/events',
    access: 'events.read',
    summary: 'Page through committed events after an id (only those meant for the caller)',
    tags: ['events'],
    query: z.object({
      after: EventCursorSchema.default(0),
      limit: z.coerce.number().int().min(1).max(MAX_EVENT_PAGE).default(200),
    }),
    response: EventPageSchema,
  }),
};

export const EVENT_CALLS = {
  /** Events after an id, for a view that was not listening (the `events` subscription is live). */
  'events.since': serverCall(
    EVENT_ENDPOINTS.page,
    z
      .object({
        after: z.number().int().nonnegative(),
        limit: z.number().int().min(1).max(MAX_EVENT_PAGE).optional(),
      })
      .strict(),
  ),
};
