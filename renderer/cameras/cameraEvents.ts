import { z } from 'zod';
import { CameraListItemSchema } from '../../shared/api/cameras';
import type { Camera } from './cameraStore';

/** What a camera event does to the console's camera set. */
export type CameraChange =
  | { readonly type: 'upsert'; readonly cameras: readonly Camera[] }
  | { readonly type: 'remove'; readonly ids: readonly string[] }
  /** Too much changed to apply piecemeal (an import): fetch the list again. */
  | { readonly type: 'reload' }
  | { readonly type: 'none' };

const WithCamera = z.object({ camera: CameraListItemSchema });

const upsertFrom = (payload: unknown): CameraChange => {
  const p = WithCamera.safeParse(payload);
  return p.success ? { type: 'upsert', cameras: [p.data.camera] } : { type: 'none' };
};

/** One reducer per server event type (STYLE.md "State"). */
export const CAMERA_EVENT_REDUCERS: Readonly<Record<string, (payload: unknown) => CameraChange>> = {
  'camera.created': upsertFrom,
  'camera.updated': upsertFrom,
  'camera.alarm': upsertFrom,
  'camera.retired': (payload) => {
    const p = WithCamera.safeParse(payload);
    return p.success ? { type: 'remove', ids: [p.data.camera.id] } : { type: 'none' };
  },
  'cameras.imported': () => ({ type: 'reload' }),
};
