import type { ServerEvent } from '../../shared/api/events';
import { CAMERA_EVENT_REDUCERS, type CameraChange } from '../cameras/cameraEvents';
import { useCameraStore } from '../cameras/cameraStore';
import { useLayoutStore } from '../wall/layoutStore';
import { subscribe } from './watchfloor';

function applyCameraChange(change: CameraChange): void {
  const store = useCameraStore.getState();
  if (change.type === 'upsert') store.upsert(change.cameras);
  else if (change.type === 'remove') store.remove(change.ids);
  else if (change.type === 'reload') scheduleCameraReload();
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
/** An import burst is one reload, not one per event. */
function scheduleCameraReload(): void {
  if (reloadTimer) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    void useCameraStore.getState().load();
  }, 1_000);
}

/** Each server event type goes to the reducer that owns it; unknown types are ignored. */
const HANDLERS: Readonly<Record<string, (event: ServerEvent) => void>> = {
  ...Object.fromEntries(
    Object.entries(CAMERA_EVENT_REDUCERS).map(([type, reduce]) => [
      type,
      (e: ServerEvent) => applyCameraChange(reduce(e.payload)),
    ]),
  ),
  'layout.saved': () => void useLayoutStore.getState().refresh(),
  'layout.deleted': () => void useLayoutStore.getState().refresh(),
};

export function applyServerEvent(event: ServerEvent): void {
  HANDLERS[event.type]?.(event);
}

export function startServerEvents(): () => void {
  return subscribe('events', applyServerEvent);
}
