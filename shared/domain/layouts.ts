import { z } from 'zod';

/** Wall grids: even grids, and one large tile with five or seven small ones around it. */
export const WALL_GRIDS = ['1x1', '2x2', '3x3', '4x4', '6x6', '1+5', '1+7'] as const;
export const WallGridSchema = z.enum(WALL_GRIDS);
export type WallGrid = z.infer<typeof WallGridSchema>;

export const TILE_COUNTS: Readonly<Record<WallGrid, number>> = {
  '1x1': 1,
  '2x2': 4,
  '3x3': 9,
  '4x4': 16,
  '6x6': 36,
  '1+5': 6,
  '1+7': 8,
};

export const LayoutNameSchema = z
  .string()
  .trim()
  .min(1, 'a layout needs a name')
  .max(60, 'a layout name has at most 60 characters')
  .regex(/^[\p{L}\p{N} ._()-]+$/u, 'a layout name is letters, digits, spaces and . _ ( ) -');

/** A saved wall: which camera sits in which tile. */
export const WallLayoutSchema = z
  .object({
    grid: WallGridSchema,
    /** One entry per tile, in reading order; null for an empty tile. */
    tiles: z.array(z.string().max(64).nullable()).max(36),
    maximized: z.number().int().min(0).max(35).nullable().default(null),
  })
  .refine((l) => l.tiles.length <= TILE_COUNTS[l.grid], {
    message: 'more tiles than the grid has',
    path: ['tiles'],
  });
export type WallLayout = z.infer<typeof WallLayoutSchema>;

export const SavedLayoutSchema = z.object({
  name: z.string(),
  layout: WallLayoutSchema,
  updatedAt: z.string(),
});
export type SavedLayout = z.infer<typeof SavedLayoutSchema>;
