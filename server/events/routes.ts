import { z } from 'zod';
import type { WebSocket } from 'ws';
import type { RouteModule } from '../http/api';
import { ServerEventSchema, type EventStreamMessage } from '../../shared/api/events';
import { ApiErrorSchema } from '../../shared/api/errors';
import { EventCursor, listEventsAfter } from './eventHub';
import { authenticateFull, bearerToken } from '../http/guard';

const Cursor = z.coerce
  .number()
  .int('after is a whole event id')
  .min(0, 'after is 0 or a past event id')
  .max(Number.MAX_SAFE_INTEGER);

/** How often a long-lived stream re-checks that its session is still alive. */
const SESSION_RECHECK_MS = 30_000;

export const eventRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/events',
    {
      config: { access: 'events.read' },
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
      config: { access: 'events.read' },
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
        clearInterval(recheck);
        if (socket.readyState === socket.OPEN) socket.close(code, reason);
      };
      const recheck = setInterval(() => {
        // A recheck is not the person's activity: an unattended console must still idle out.
        void authenticateFull(ctx, bearerToken(req), { activity: false }).then((auth) => {
          if ('reason' in auth) close(4401, auth.reason.slice(0, 120));
        });
      }, SESSION_RECHECK_MS);
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
