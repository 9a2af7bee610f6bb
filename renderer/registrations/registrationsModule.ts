import type { ConsoleModule } from '../app/consoleModule';
import { RegistrationsPanel } from './RegistrationsPanel';
import { useRegistrationsStore } from './registrationsStore';

/**
 * The portal's camera registrations (docs/portal.md). The cameras themselves reach every map by
 * `camera.created`; this panel is for the administrator who settles look-alikes.
 */
export const registrationsModule: ConsoleModule = {
  id: 'registrations',
  permission: 'registrations.review',
  panel: {
    label: 'Registrations',
    key: 'Z',
    activate: () => void useRegistrationsStore.getState().load(),
    Component: RegistrationsPanel,
  },
  load: () => useRegistrationsStore.getState().load(),
  reducers: {
    'registration.confirmed': ({ registration }) =>
      useRegistrationsStore.getState().apply(registration),
    'registration.updated': ({ registration }) =>
      useRegistrationsStore.getState().apply(registration),
  },
};
