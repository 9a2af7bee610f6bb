import { z } from 'zod';
import type { WebSocket } from 'ws';
import type { RouteModule } from '../http/api';
import { ServerEventSchema, type EventStreamMessage } from '../../shared/api/events';
import { ApiErrorSchema } from '../../shared/api/errors';
import { EventCursor, listEventsAfter } from './eventHub';
import { authenticate, bearerToken } from '../http/guard';
import { refuseCursorBeyondNewest } from './cursorBounds';

const Cursor = z.coerce
  .number()
  .int('after is a whole event id')
  .min(0, 'after is 0 or a past event id')
  .max(Number.MAX_SAFE_INTEGER);

/** The supervisor's name for a stream's periodic session check. */
export const STREAM_RECHECK_TASK = 'events.stream.recheck';

export const eventRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/events',
    {
      config: { access: 'events.read' },
      preHandler: async (req) => refuseCursorBeyondNewest(ctx.store, req.query.after),
      schema: {
        summary: 'Page through committed events after an id',
        tags: ['events'],
        querystring: z.object({
          after: Cursor.default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: {
          200: z.object({ events: z.array(ServerEventSchema), lastId: z.number().int() }),
          400: ApiErrorSchema,
        },
      },
    },
    async (req) => {
      const events = await listEventsAfter(ctx.store, req.query.after, req.query.limit);
      return {
        events,
        lastId: events.length ? events[events.length - 1]!.id : req.query.after,
      };
    },
  );

  api.get(
    '/v1/events/stream',
    {
      websocket: true,
      // The console opens this by itself and reopens it when its token expires: not activity.
      config: { access: 'events.read', countsAsActivity: false },
      preHandler: async (req) => refuseCursorBeyondNewest(ctx.store, req.query.after),
      schema: {
        summary:
          'WebSocket: replays events after the given id, then streams new ones live (no gap, no duplicate)',
        tags: ['events'],
        querystring: z.object({ after: Cursor.default(0) }),
      },
    },
    (socket: WebSocket, req) => {
      const send = (msg: EventStreamMessage) =>
        new Promise<void>((resolve, reject) =>
          socket.send(JSON.stringify(msg), (err) => (err ? reject(err) : resolve())),
        );
      const cursor = new EventCursor(ctx.store, req.query.after, async (events) => {
        for (const event of events) await send({ kind: 'event', event });
      });
      let unsubscribe: (() => void) | null = null;
      const close = (code: number, reason: string) => {
        cursor.close();
        unsubscribe?.();
        void recheck.cancel();
        if (socket.readyState === socket.OPEN) socket.close(code, reason);
      };
      // Checks, never touches: an open console left alone must still idle out (CJIS 5.5.5). A
      // check that fails because the database is away is retried by the supervisor; the
      // stream stays open and catches up when the database returns.
      const recheck = ctx.tasks.every(STREAM_RECHECK_TASK, ctx.timing.streamRecheckMs, async () => {
        const auth = await authenticate(ctx, bearerToken(req), 'check');
        if ('reason' in auth) close(4401, auth.reason.slice(0, 120));
      });
      socket.on('close', () => close(1000, 'closed'));
      socket.on('error', () => close(1011, 'error'));
      // Subscribe before the replay, so a commit that lands during it is not missed.
      unsubscribe = ctx.hub.subscribe(() => {
        cursor.pump().catch((err) => {
          req.log.warn({ err }, 'event stream delivery failed');
          close(1011, 'delivery failed');
        });
      });
      void (async () => {
        try {
          await cursor.pump();
          await send({ kind: 'live', lastId: cursor.position });
          // Anything committed between the replay and the marker is picked up here.
          await cursor.pump();
        } catch (err) {
          req.log.warn({ err }, 'event stream replay failed');
          close(1011, 'replay failed');
        }
      })();
    },
  );
};
