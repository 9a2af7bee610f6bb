/**
 * The shapes a wall can take. A layout is a CSS grid of `columns` x `rows` cells; each tile
 * occupies a rectangle of them. The "1+N" layouts give the first tile a large area, the way
 * control rooms keep the camera that matters in the middle of attention.
 */
import { WALL_GRIDS, type WallGrid } from '../../shared/domain/layouts';

export type LayoutId = WallGrid;
export const LAYOUT_IDS = WALL_GRIDS;

export interface TileRect {
  readonly col: number;
  readonly row: number;
  readonly colSpan: number;
  readonly rowSpan: number;
}

export interface LayoutGeometry {
  readonly id: LayoutId;
  readonly label: string;
  readonly columns: number;
  readonly rows: number;
  readonly tiles: readonly TileRect[];
}

/** The most tiles any layout has: the wall keeps this many slots. */
export const MAX_TILES = 36;

function grid(id: LayoutId, n: number): LayoutGeometry {
  const tiles: TileRect[] = [];
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++) tiles.push({ col, row, colSpan: 1, rowSpan: 1 });
  return { id, label: `${n} × ${n}`, columns: n, rows: n, tiles };
}

/** One large tile of (n-1) x (n-1) cells in the top left, small tiles down the right and along the bottom. */
function onePlus(id: LayoutId, n: number): LayoutGeometry {
  const big = n - 1;
  const tiles: TileRect[] = [{ col: 0, row: 0, colSpan: big, rowSpan: big }];
  for (let row = 0; row < big; row++) tiles.push({ col: big, row, colSpan: 1, rowSpan: 1 });
  for (let col = 0; col < n; col++) tiles.push({ col, row: big, colSpan: 1, rowSpan: 1 });
  return { id, label: `1 + ${tiles.length - 1}`, columns: n, rows: n, tiles };
}

export const LAYOUTS: Readonly<Record<LayoutId, LayoutGeometry>> = {
  '1x1': grid('1x1', 1),
  '2x2': grid('2x2', 2),
  '3x3': grid('3x3', 3),
  '4x4': grid('4x4', 4),
  '6x6': grid('6x6', 6),
  '1+5': onePlus('1+5', 3),
  '1+7': onePlus('1+7', 4),
};

export function tileCount(id: LayoutId): number {
  return LAYOUTS[id].tiles.length;
}

/** The layout after `id` when cycling with the keyboard, wrapping around. */
export function nextLayout(id: LayoutId, step: 1 | -1 = 1): LayoutId {
  const i = LAYOUT_IDS.indexOf(id);
  const n = LAYOUT_IDS.length;
  return LAYOUT_IDS[(i + step + n) % n]!;
}

/**
 * Whether a tile is small enough that a substream serves it as well as the main stream would.
 * A tile that covers more than half the wall in both directions deserves the main stream.
 */
export function tileIsLarge(id: LayoutId, index: number): boolean {
  const g = LAYOUTS[id];
  const t = g.tiles[index];
  if (!t) return false;
  return t.colSpan * 2 > g.columns && t.rowSpan * 2 > g.rows;
}
