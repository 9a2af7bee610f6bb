import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { SavedLayout, WallLayout } from '../../shared/domain/layouts';
import {
  countOtherCenterLayouts,
  countOtherLayouts,
  deleteCenterLayout,
  deleteLayout,
  upsertCenterLayout,
  upsertLayout,
} from './layoutRepository';

/** A user may keep this many named layouts. */
export const MAX_LAYOUTS_PER_USER = 100;
/** The center keeps this many: a short list everyone can learn, with hotkeys for the first. */
export const MAX_CENTER_LAYOUTS = 30;

/** Saves (or replaces) one of the actor's own layouts. */
export async function saveLayout(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  name: string,
  layout: WallLayout,
): Promise<SavedLayout> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      if ((await countOtherLayouts(tx, actor.id, name)) >= MAX_LAYOUTS_PER_USER) {
        throw new HttpError(
          409,
          `You already have ${MAX_LAYOUTS_PER_USER} saved layouts: delete one first.`,
        );
      }
      return upsertLayout(tx, actor.id, name, layout, at);
    },
    audit: auditBy(actor, {
      action: 'layout.save',
      targetType: 'layout',
      targetId: name,
      outcome: 'success',
    }),
    event: { type: 'layout.saved', payload: { userId: actor.id, name } },
  });
  return value;
}

/** Deletes one of the actor's own layouts; 404 if there is none by that name. */
export async function removeLayout(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  name: string,
): Promise<void> {
  await ctx.record({
    apply: async ({ tx }) => {
      if (!(await deleteLayout(tx, actor.id, name))) {
        throw new HttpError(404, `You have no layout named "${name}".`);
      }
    },
    audit: auditBy(actor, {
      action: 'layout.delete',
      targetType: 'layout',
      targetId: name,
      outcome: 'success',
    }),
    event: { type: 'layout.deleted', payload: { userId: actor.id, name } },
  });
}

/** Saves (or replaces) one of the center's layouts, offered to every console. */
export async function saveCenterLayout(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  name: string,
  layout: WallLayout,
): Promise<SavedLayout> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      if ((await countOtherCenterLayouts(tx, name)) >= MAX_CENTER_LAYOUTS) {
        throw new HttpError(
          409,
          `The center already has ${MAX_CENTER_LAYOUTS} layouts: delete one first.`,
        );
      }
      return upsertCenterLayout(tx, actor.id, name, layout, at);
    },
    audit: auditBy(actor, {
      action: 'layout.center.save',
      targetType: 'layout',
      targetId: name,
      outcome: 'success',
      details: { grid: layout.grid, cameras: layout.tiles.filter((t) => t !== null).length },
    }),
    event: { type: 'layout.center.changed', payload: { name } },
  });
  return value;
}

/** Deletes one of the center's layouts; 404 if there is none by that name. */
export async function removeCenterLayout(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  name: string,
): Promise<void> {
  await ctx.record({
    apply: async ({ tx }) => {
      if (!(await deleteCenterLayout(tx, name))) {
        throw new HttpError(404, `The center has no layout named "${name}".`);
      }
    },
    audit: auditBy(actor, {
      action: 'layout.center.delete',
      targetType: 'layout',
      targetId: name,
      outcome: 'success',
    }),
    event: { type: 'layout.center.changed', payload: { name } },
  });
}
