import type { View } from '../../shared/api/views';
import type { ViewReason } from '../../shared/domain/reasons';
import type { WallGrid, WallLayout } from '../../shared/domain/layouts';
import type { DockPreset } from '../../shared/domain/docking';
import { MAX_TILES, tileCount } from './wallGeometry';

/** A camera on a tile, with the reason it is being watched (asked once per camera and assignment). */
export interface WallTile {
  readonly cameraId: string;
  readonly reason: ViewReason;
  /** A view the host has already opened for this tile (docking): played instead of opening one. */
  readonly view?: View;
  /** Pinned by the analyst: docking leaves it on the wall. */
  readonly pinned?: boolean;
}

export interface WallModel {
  readonly grid: WallGrid;
  /** Always MAX_TILES long: cameras in slots past the grid's count wait, unshown and unpulled. */
  readonly tiles: readonly (WallTile | null)[];
  readonly maximized: number | null;
  /** The tile the keyboard acts on. */
  readonly selected: number;
}

export const EMPTY_WALL: WallModel = {
  grid: '2x2',
  tiles: Array.from({ length: MAX_TILES }, () => null),
  maximized: null,
  selected: 0,
};

const inGrid = (m: WallModel, index: number) =>
  Number.isInteger(index) && index >= 0 && index < tileCount(m.grid);

function withTile(m: WallModel, index: number, tile: WallTile | null): WallModel {
  const tiles = [...m.tiles];
  tiles[index] = tile;
  return { ...m, tiles };
}

/**
 * Put a camera on a tile. A camera already shown elsewhere on the wall moves there (the two
 * tiles swap), so one camera never pulls twice.
 */
export function place(m: WallModel, index: number, tile: WallTile): WallModel {
  if (!inGrid(m, index)) return m;
  const count = tileCount(m.grid);
  const elsewhere = m.tiles.findIndex(
    (t, i) => i < count && i !== index && t?.cameraId === tile.cameraId,
  );
  if (elsewhere >= 0) return withTile(swap(m, index, elsewhere), index, tile);
  return { ...withTile(m, index, tile), selected: index };
}

export function swap(m: WallModel, a: number, b: number): WallModel {
  if (!inGrid(m, a) || !inGrid(m, b) || a === b) return m;
  const tiles = [...m.tiles];
  [tiles[a], tiles[b]] = [tiles[b] ?? null, tiles[a] ?? null];
  const maximized = m.maximized === a ? b : m.maximized === b ? a : m.maximized;
  return { ...m, tiles, maximized, selected: b };
}

export function clear(m: WallModel, index: number): WallModel {
  if (!inGrid(m, index)) return m;
  const next = withTile(m, index, null);
  return m.maximized === index ? { ...next, maximized: null } : next;
}

export function setGrid(m: WallModel, grid: WallGrid): WallModel {
  const count = tileCount(grid);
  return {
    ...m,
    grid,
    maximized: m.maximized !== null && m.maximized < count ? m.maximized : null,
    selected: Math.min(m.selected, count - 1),
  };
}

export function select(m: WallModel, index: number): WallModel {
  return inGrid(m, index) ? { ...m, selected: index } : m;
}

/** Maximise a tile that shows a camera, or restore the grid if it is the one maximised. */
export function toggleMaximize(m: WallModel, index: number = m.selected): WallModel {
  if (!inGrid(m, index)) return m;
  if (m.maximized !== index && !m.tiles[index]) return m;
  return { ...m, maximized: m.maximized === index ? null : index, selected: index };
}

/** The first empty tile in reading order, else the selected one. */
export function firstFreeTile(m: WallModel): number {
  const count = tileCount(m.grid);
  const free = m.tiles.findIndex((t, i) => i < count && t === null);
  return free >= 0 ? free : m.selected;
}

/** Cameras to fill from `start` onwards, into empty tiles first, then over the oldest. */
export function fill(m: WallModel, tiles: readonly WallTile[]): WallModel {
  let next = m;
  const count = tileCount(m.grid);
  const targets = [
    ...Array.from({ length: count }, (_, i) => i).filter((i) => m.tiles[i] === null),
    ...Array.from({ length: count }, (_, i) => i).filter((i) => m.tiles[i] !== null),
  ];
  tiles.slice(0, count).forEach((t, k) => {
    const at = targets[k];
    if (at !== undefined) next = place(next, at, t);
  });
  return next;
}

export function cameraIdsOn(m: WallModel): readonly (string | null)[] {
  return m.tiles.slice(0, tileCount(m.grid)).map((t) => t?.cameraId ?? null);
}

/** The wall as a named layout stores it: camera ids per tile, no reasons. */
export function toLayout(m: WallModel): WallLayout {
  const ids = cameraIdsOn(m);
  let last = ids.length;
  while (last > 0 && ids[last - 1] === null) last--;
  return { grid: m.grid, tiles: ids.slice(0, last), maximized: m.maximized };
}

/**
 * A saved layout put back on the wall. Every camera in it is viewed for `reason` (the layout
 * carries none: the reason belongs to today's work, not to the layout).
 */
export function fromLayout(
  layout: WallLayout,
  reason: ViewReason,
  exists: (cameraId: string) => boolean,
): WallModel {
  const tiles: (WallTile | null)[] = Array.from({ length: MAX_TILES }, () => null);
  layout.tiles.forEach((id, i) => {
    if (id !== null && exists(id)) tiles[i] = { cameraId: id, reason };
  });
  const count = tileCount(layout.grid);
  const maximized = layout.maximized !== null && layout.maximized < count ? layout.maximized : null;
  return { grid: layout.grid, tiles, maximized, selected: maximized ?? 0 };
}

/** Pin or unpin a tile's camera: a pinned tile stays when cameras are docked. */
export function togglePin(m: WallModel, index: number): WallModel {
  const tile = m.tiles[index];
  if (!inGrid(m, index) || !tile) return m;
  return withTile(m, index, { ...tile, pinned: !tile.pinned });
}

/** Grids docking chooses from when it fits the wall to the cameras. */
const FIT_GRIDS: readonly WallGrid[] = ['2x2', '3x3', '4x4'];

export function pinnedTiles(m: WallModel): { readonly index: number; readonly tile: WallTile }[] {
  return m.tiles.flatMap((tile, index) =>
    tile?.pinned && index < tileCount(m.grid) ? [{ index, tile }] : [],
  );
}

/** The grid a dock of `cameras` uses beside `pinned` tiles: the preset, or the smallest that fits. */
export function dockGrid(preset: DockPreset, pinned: number, cameras: number): WallGrid {
  if (preset !== 'fit') return preset;
  return FIT_GRIDS.find((g) => tileCount(g) >= pinned + cameras) ?? '4x4';
}

/** How many cameras a dock may bring: the largest grid it may use, less the pinned tiles. */
export function dockRoom(m: WallModel, preset: DockPreset): number {
  const largest = preset === 'fit' ? tileCount('4x4') : tileCount(preset);
  return Math.max(0, largest - pinnedTiles(m).length);
}

/**
 * The wall after docking: pinned tiles stay (where they were if the grid still has that tile,
 * else in the first free one), the docked cameras fill the rest in rank order, and everything
 * else leaves the wall. A docked camera already pinned is not shown twice.
 */
export function dock(m: WallModel, docked: readonly WallTile[], preset: DockPreset): WallModel {
  const pinned = pinnedTiles(m);
  const pinnedIds = new Set(pinned.map((p) => p.tile.cameraId));
  const fresh = docked.filter((t) => !pinnedIds.has(t.cameraId));
  const grid = dockGrid(preset, pinned.length, fresh.length);
  const count = tileCount(grid);
  const tiles: (WallTile | null)[] = Array.from({ length: MAX_TILES }, () => null);
  const late: WallTile[] = [];
  for (const p of pinned) {
    if (p.index < count) tiles[p.index] = p.tile;
    else late.push(p.tile);
  }
  const queue = [...late, ...fresh];
  for (let i = 0; i < count && queue.length > 0; i++) {
    if (tiles[i] === null) tiles[i] = queue.shift()!;
  }
  return { grid, tiles, maximized: null, selected: 0 };
}
