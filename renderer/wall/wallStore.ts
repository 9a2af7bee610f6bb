import { create } from 'zustand';
import type { WallGrid } from '../../shared/domain/layouts';
import type { DockPreset } from '../../shared/domain/docking';
import {
  EMPTY_WALL,
  clear,
  dock,
  fill,
  togglePin,
  place,
  select,
  setGrid,
  swap,
  toggleMaximize,
  type WallModel,
  type WallTile,
} from './wallModel';

export interface WallStore extends WallModel {
  /** The wall is shown in another window (another display); this one shows a placeholder. */
  readonly poppedOut: boolean;
  setGrid(grid: WallGrid): void;
  place(index: number, tile: WallTile): void;
  fill(tiles: readonly WallTile[]): void;
  swap(a: number, b: number): void;
  clear(index: number): void;
  select(index: number): void;
  toggleMaximize(index?: number): void;
  replace(model: WallModel): void;
  setPoppedOut(poppedOut: boolean): void;
  togglePin(index: number): void;
  dock(tiles: readonly WallTile[], preset: DockPreset): void;
}

export const useWallStore = create<WallStore>()((set, get) => {
  const apply = (f: (m: WallModel) => WallModel) => set(f(get()));
  return {
    ...EMPTY_WALL,
    poppedOut: false,
    setGrid: (grid) => apply((m) => setGrid(m, grid)),
    place: (index, tile) => apply((m) => place(m, index, tile)),
    fill: (tiles) => apply((m) => fill(m, tiles)),
    swap: (a, b) => apply((m) => swap(m, a, b)),
    clear: (index) => apply((m) => clear(m, index)),
    select: (index) => apply((m) => select(m, index)),
    toggleMaximize: (index) => apply((m) => toggleMaximize(m, index)),
    replace: (model) =>
      set({
        grid: model.grid,
        tiles: model.tiles,
        maximized: model.maximized,
        selected: model.selected,
      }),
    setPoppedOut: (poppedOut) => set({ poppedOut }),
    togglePin: (index) => apply((m) => togglePin(m, index)),
    dock: (tiles, preset) => apply((m) => dock(m, tiles, preset)),
  };
});

export const wallModelOf = (s: WallStore): WallModel => ({
  grid: s.grid,
  tiles: s.tiles,
  maximized: s.maximized,
  selected: s.selected,
});
