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
import { authenticate, bearerToken, principalOf } from '../http/guard';
import { serve } from '../http/serve';

/** How often a long-lived stream re-checks that its session is still alive. */
const SESSION_RECHECK_MS = 30_000;

export const eventRoutes: RouteModule = (api, ctx) => {
  serve(api, EVENT_ENDPOINTS.page, async ({ req, query }) =>
    listAdmittedAfter(ctx.store, query.after, query.limit, admitFor(principalOf(req))),
  );

  api.get(
    '/v1/events/stream',
    {
      websocket: true,
      config: { access: 'events.read' },
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
        clearInterval(recheck);
        if (socket.readyState === socket.OPEN) socket.close(code, reason);
      };
      const recheck = setInterval(() => {
        void authenticate(ctx, bearerToken(req)).then((auth) => {
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
