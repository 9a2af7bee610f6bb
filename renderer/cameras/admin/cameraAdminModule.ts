import type { ConsoleModule } from '../../app/consoleModule';
import { CameraAdminPanel } from './CameraAdminPanel';
import { useCameraAdminStore } from './cameraAdminStore';

/**
 * The list is reloaded when another admin changes the registry, once the panel has been opened
 * (an admin who never opens it fetches nothing); an open form is left alone.
 */
const refresh = () => {
  const s = useCameraAdminStore.getState();
  if (s.loaded) void s.search(s.query);
};

/** Camera administration for admins (docs/cameras-admin.md). */
export const cameraAdminModule: ConsoleModule = {
  id: 'camera-admin',
  permission: 'cameras.write',
  panel: {
    label: 'Camera admin',
    key: 'Q',
    activate: () => {
      const s = useCameraAdminStore.getState();
      void s.search(s.query);
    },
    Component: CameraAdminPanel,
  },
  reducers: {
    'camera.created': refresh,
    'camera.updated': refresh,
    'camera.retired': refresh,
    'cameras.imported': refresh,
  },
};
