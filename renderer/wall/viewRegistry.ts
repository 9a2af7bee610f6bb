import type { ViewUpdate } from '../../shared/api/views';
import { subscribe } from '../app/watchfloor';

/**
 * Routes the host's `views` pushes to the tile that opened the view, and tells other parts of
 * the console which camera is already open (a map pop-up takes its snapshot from the tile).
 */
type Listener = (update: ViewUpdate) => void;

const listeners = new Map<string, Listener>();
const openByCamera = new Map<string, string>();
let stop: (() => void) | null = null;

export function watchView(viewId: string, cameraId: string, listener: Listener): () => void {
  stop ??= subscribe('views', (u) => listeners.get(u.viewId)?.(u));
  listeners.set(viewId, listener);
  openByCamera.set(cameraId, viewId);
  return () => {
    listeners.delete(viewId);
    if (openByCamera.get(cameraId) === viewId) openByCamera.delete(cameraId);
  };
}

/** A view of this camera that a tile holds open right now, if any. */
export function openViewOf(cameraId: string): string | null {
  return openByCamera.get(cameraId) ?? null;
}
