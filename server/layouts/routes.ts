import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import {
  LayoutNameSchema,
  SavedLayoutSchema,
  WallLayoutSchema,
  type SavedLayout,
} from '../../shared/domain/layouts';

/** A user may keep this many named layouts. */
const MAX_LAYOUTS_PER_USER = 100;

interface LayoutRow {
  name: string;
  layout: unknown;
  updated_at: Date | string;
}

const fromRow = (r: LayoutRow): SavedLayout => ({
  name: r.name,
  layout: WallLayoutSchema.parse(typeof r.layout === 'string' ? JSON.parse(r.layout) : r.layout),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const NameParams = z.object({ name: LayoutNameSchema });

export const layoutRoutes: RouteModule = (api, ctx) => {
  api.get(
    '/v1/layouts',
    {
      config: { access: 'layouts.own' },
      schema: {
        summary: "The caller's saved wall layouts",
        tags: ['layouts'],
        response: { 200: z.object({ layouts: z.array(SavedLayoutSchema) }) },
      },
    },
    async (req) => {
      const res = await ctx.store.query<LayoutRow>(
        'select name, layout, updated_at from wall_layouts where user_id = $1 order by name',
        [principalOf(req).userId],
      );
      return { layouts: res.rows.map(fromRow) };
    },
  );

  api.put(
    '/v1/layouts/:name',
    {
      config: { access: 'layouts.own' },
      schema: {
        summary: 'Save (or replace) a named wall layout',
        tags: ['layouts'],
        params: NameParams,
        body: z.object({ layout: WallLayoutSchema }),
        response: { 200: SavedLayoutSchema, 400: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { value } = await ctx.record({
        apply: async ({ tx, at }) => {
          const count = await tx.query<{ n: number }>(
            'select count(*)::int as n from wall_layouts where user_id = $1 and name <> $2',
            [p.userId, req.params.name],
          );
          if (Number(count.rows[0]!.n) >= MAX_LAYOUTS_PER_USER) {
            throw new HttpError(
              409,
              `You already have ${MAX_LAYOUTS_PER_USER} saved layouts: delete one first.`,
            );
          }
          const res = await tx.query<LayoutRow>(
            `insert into wall_layouts (user_id, name, layout, updated_at) values ($1, $2, $3, $4)
             on conflict (user_id, name) do update set layout = excluded.layout, updated_at = excluded.updated_at
             returning name, layout, updated_at`,
            [p.userId, req.params.name, JSON.stringify(req.body.layout), at.toISOString()],
          );
          return fromRow(res.rows[0]!);
        },
        audit: {
          actorId: p.userId,
          actorName: p.username,
          action: 'layout.save',
          targetType: 'layout',
          targetId: req.params.name,
          outcome: 'success',
        },
        event: { type: 'layout.saved', payload: { userId: p.userId, name: req.params.name } },
      });
      return value;
    },
  );

  api.delete(
    '/v1/layouts/:name',
    {
      config: { access: 'layouts.own' },
      schema: {
        summary: 'Delete a saved wall layout',
        tags: ['layouts'],
        params: NameParams,
        response: { 204: z.null(), 400: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      await ctx.record({
        apply: async ({ tx }) => {
          const res = await tx.query('delete from wall_layouts where user_id = $1 and name = $2', [
            p.userId,
            req.params.name,
          ]);
          if (res.rowCount === 0)
            throw new HttpError(404, `You have no layout named "${req.params.name}".`);
        },
        audit: {
          actorId: p.userId,
          actorName: p.username,
          action: 'layout.delete',
          targetType: 'layout',
          targetId: req.params.name,
          outcome: 'success',
        },
        event: { type: 'layout.deleted', payload: { userId: p.userId, name: req.params.name } },
      });
      return reply.status(204).send(null);
    },
  );
};
