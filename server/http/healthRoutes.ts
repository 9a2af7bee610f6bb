import { z } from 'zod';
import type { RouteModule } from './api';
import { lastEventId } from '../events/eventHub';

export const healthRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/health',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Liveness and store reachability',
        tags: ['system'],
        response: {
          200: z.object({
            status: z.literal('ok'),
            store: z.enum(['pglite', 'postgres']),
            lastEventId: z.number().int(),
            time: z.string(),
          }),
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      store: ctx.store.kind,
      lastEventId: await lastEventId(ctx.store),
      time: new Date(ctx.clock.now()).toISOString(),
    }),
  );
};
