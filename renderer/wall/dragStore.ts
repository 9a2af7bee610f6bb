import { create } from 'zustand';

/**
 * A camera being dragged with the pointer from the map's canvas (which has no DOM element per
 * camera to drag): the ghost follows the pointer and the tile under it lights up.
 */
export interface PointerDrag {
  readonly cameraId: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** The tile under the pointer, if any. */
  readonly overTile: number | null;
}

interface DragStore {
  readonly drag: PointerDrag | null;
  set(drag: PointerDrag | null): void;
}

export const useDragStore = create<DragStore>()((set) => ({
  drag: null,
  set: (drag) => set({ drag }),
}));

/** The wall tile at a point on the screen, if any. */
export function tileAt(x: number, y: number): number | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-tile-index]');
  const n = el ? Number(el.dataset.tileIndex) : NaN;
  return Number.isInteger(n) ? n : null;
}

/** MIME types for HTML drag and drop between the list, the pop-up and the tiles. */
export const DRAG_CAMERA = 'application/x-watchfloor-camera';
export const DRAG_TILE = 'application/x-watchfloor-tile';
