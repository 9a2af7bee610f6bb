import type { ConsoleModule } from '../app/consoleModule';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { useOnlineReportsStore } from '../onlineReports/onlineReportsStore';
import { useRegistrationsStore } from '../registrations/registrationsStore';
import { PublicPanel } from './PublicPanel';

/** Loads the sections the signed-in user may see. */
function loadSections(): Promise<unknown> {
  const held = permissionsOf(useSessionStore.getState());
  return Promise.all([
    held.includes('onlineReports.review') ? useOnlineReportsStore.getState().load() : null,
    held.includes('registrations.review') ? useRegistrationsStore.getState().load() : null,
  ]);
}

/**
 * The public portal's side in the console (docs/online-reports.md, docs/portal.md): the online
 * reports' review queue and the camera registrations, one panel with a section for each.
 */
export const publicModule: ConsoleModule = {
  id: 'public',
  permission: ['onlineReports.review', 'registrations.review'],
  panel: {
    label: 'Public',
    key: 'Z',
    activate: () => void loadSections(),
    Component: PublicPanel,
  },
  load: () => loadSections().then(() => undefined),
  reducers: {
    'onlineReport.submitted': ({ report }) => useOnlineReportsStore.getState().apply(report),
    'onlineReport.updated': ({ report }) => useOnlineReportsStore.getState().apply(report),
    'registration.confirmed': ({ registration }) =>
      useRegistrationsStore.getState().apply(registration),
    'registration.updated': ({ registration }) =>
      useRegistrationsStore.getState().apply(registration),
  },
};
