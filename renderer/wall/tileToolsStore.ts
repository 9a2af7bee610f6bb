import { create } from 'zustand';
import type { PtzCommand } from '../../shared/api/cameras';
import { NO_ZOOM, ZOOM_STEP, zoomAt, type TileZoom } from './tileZoom';

/**
 * The tile tools' state (docs/console.md, "Tile tools"): each tile's digital zoom, by tile index,
 * so that it survives a maximise and a restore; and what the keyboard asks of the selected tile
 * (a frame step in its replay, a PTZ step), as requests its tile takes up.
 */
interface TileToolsStore {
  readonly zoom: Readonly<Record<number, TileZoom>>;
  /** Tiles with a replay open: the frame-step keys act on them. */
  readonly replaying: Readonly<Record<number, true>>;
  readonly frameStepRequest: { readonly index: number; readonly step: -1 | 1; readonly n: number };
  readonly ptzRequest: { readonly index: number; readonly command: PtzCommand; readonly n: number };
  setZoom(index: number, zoom: TileZoom): void;
  /** A keyboard or button step about the tile's centre. */
  zoomStep(index: number, step: 1 | -1): void;
  resetZoom(index: number): void;
  setReplaying(index: number, open: boolean): void;
  requestFrameStep(index: number, step: -1 | 1): void;
  requestPtz(index: number, command: PtzCommand): void;
}

export const useTileToolsStore = create<TileToolsStore>()((set, get) => ({
  zoom: {},
  replaying: {},
  frameStepRequest: { index: -1, step: 1, n: 0 },
  ptzRequest: { index: -1, command: 'home', n: 0 },
  setZoom: (index, zoom) => set({ zoom: { ...get().zoom, [index]: zoom } }),
  zoomStep: (index, step) =>
    get().setZoom(
      index,
      zoomAt(get().zoom[index] ?? NO_ZOOM, step === 1 ? ZOOM_STEP : 1 / ZOOM_STEP, 0.5, 0.5),
    ),
  resetZoom: (index) => {
    if (!get().zoom[index]) return;
    const rest = { ...get().zoom };
    delete rest[index];
    set({ zoom: rest });
  },
  setReplaying: (index, open) => {
    const rest = { ...get().replaying };
    if (open) rest[index] = true;
    else delete rest[index];
    set({ replaying: rest });
  },
  requestFrameStep: (index, step) =>
    set({ frameStepRequest: { index, step, n: get().frameStepRequest.n + 1 } }),
  requestPtz: (index, command) =>
    set({ ptzRequest: { index, command, n: get().ptzRequest.n + 1 } }),
}));
