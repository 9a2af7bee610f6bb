import type { ConsoleModule, EventReducers } from '../app/consoleModule';
import { useUiStore } from '../ui/uiStore';
import { CameraList } from './CameraList';
import { CAMERA_EVENT_REDUCERS, type CameraChange } from './cameraEvents';
import { useCameraStore } from './cameraStore';

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

const reducers: EventReducers = {
  'camera.created': (p) => applyCameraChange(CAMERA_EVENT_REDUCERS['camera.created'](p)),
  'camera.updated': (p) => applyCameraChange(CAMERA_EVENT_REDUCERS['camera.updated'](p)),
  'camera.alarm': (p) => applyCameraChange(CAMERA_EVENT_REDUCERS['camera.alarm'](p)),
  'camera.retired': (p) => applyCameraChange(CAMERA_EVENT_REDUCERS['camera.retired'](p)),
  'cameras.imported': (p) => applyCameraChange(CAMERA_EVENT_REDUCERS['cameras.imported'](p)),
};

/** The camera registry: every camera in memory for the map and the search list. */
export const cameraModule: ConsoleModule = {
  id: 'cameras',
  permission: 'cameras.read',
  panel: {
    label: 'Cameras',
    key: '/',
    activate: () => useUiStore.getState().focusSearch(),
    Component: CameraList,
  },
  load: () => useCameraStore.getState().load(),
  reducers,
};
