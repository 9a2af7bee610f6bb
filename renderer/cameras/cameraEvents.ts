import type { EventPayload } from '../../shared/api/eventCatalog';
import type { Camera } from './cameraStore';

/** What a camera event does to the console's camera set. */
export type CameraChange =
  | { readonly type: 'upsert'; readonly cameras: readonly Camera[] }
  | { readonly type: 'remove'; readonly ids: readonly string[] }
  /** Too much changed to apply piecemeal (an import): fetch the list again. */
  | { readonly type: 'reload' }
  | { readonly type: 'none' };

type CameraEventType =
  'camera.created' | 'camera.updated' | 'camera.alarm' | 'camera.retired' | 'cameras.imported';

/**
 * One pure reducer per camera event type (docs/architecture.md, "State"): what the event does to
 * the camera set. Payloads arrive checked against the event catalog.
 */
export const CAMERA_EVENT_REDUCERS: {
  readonly [T in CameraEventType]: (payload: EventPayload<T>) => CameraChange;
} = {
  'camera.created': (p) => ({ type: 'upsert', cameras: [p.camera] }),
  'camera.updated': (p) => ({ type: 'upsert', cameras: [p.camera] }),
  'camera.alarm': (p) => ({ type: 'upsert', cameras: [p.camera] }),
  'camera.retired': (p) => ({ type: 'remove', ids: [p.camera.id] }),
  'cameras.imported': () => ({ type: 'reload' }),
};
