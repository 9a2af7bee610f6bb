import { z } from 'zod';
import type { WebSocket } from 'ws';
import type { RouteModule } from '../http/api';
import {
  EVENT_ENDPOINTS,
  EventCursorSchema,
  type EventStreamMessage,
} from '../../shared/api/events';
import { EventCursor, listAdmittedAfter } from './eventHub';
import { admitFor } from './eventAudience';
import { authenticateFull, principalOf } from '../http/guard';
import { bearerToken } from '../http/bearerToken';
import { serve } from '../http/serve';
import { refuseCursorBeyondNewest } from './cursorBounds';

/** The supervisor's name for a stream's periodic session check. */
export const STREAM_RECHECK_TASK = 'events.stream.recheck';

export const eventRoutes: RouteModule = (api, ctx) => {
  serve(api, EVENT_ENDPOINTS.page, async ({ req, query }) => {
    await refuseCursorBeyondNewest(ctx.store, query.after);
    return listAdmittedAfter(ctx.store, query.after, query.limit, admitFor(principalOf(req)));
  });

  api.get(
    '/v1/events/stream',
    {
      websocket: true,
      // The console opens this by itself and reopens it when its token expires: not activity.
      config: { access: 'events.read', countsAsActivity: false },
      preHandler: async (req) => refuseCursorBeyondNewest(ctx.store, req.query.after),
      schema: {
        summary:
          'WebSocket: replays events after the given id, then streams new ones live (no gap, no duplicate); only the events meant for the caller',
        tags: ['events'],
        querystring: z.object({ after: EventCursorSchema.default(0) }),
      },
    },
    (socket: WebSocket, req) => {
      const send = (msg: EventStreamMessage) =>
        new Promise<void>((resolve, reject) =>
          socket.send(JSON.stringify(msg), (err) => (err ? reject(err) : resolve())),
        );
      const cursor = new EventCursor(
        ctx.store,
        req.query.after,
        async (events) => {
          for (const event of events) await send({ kind: 'event', event });
        },
        admitFor(principalOf(req)),
      );
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
        const auth = await authenticateFull(ctx, bearerToken(req), 'check');
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
