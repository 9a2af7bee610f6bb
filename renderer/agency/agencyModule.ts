import type { ConsoleModule } from '../app/consoleModule';
import { useSessionStore } from '../session/sessionStore';
import { AgencySettingsPanel } from './AgencySettingsPanel';
import { reloadAgency, useAgencySettingsStore } from './agencySettingsStore';

/**
 * The agency's configuration in every console: loaded at sign-in (the map, the time zone, the
 * idle lock read it) and read again whenever an administrator changes a section.
 */
export const agencyModule: ConsoleModule = {
  id: 'agency',
  load: () => useSessionStore.getState().loadAgency(),
  reducers: {
    'agency.changed': (p) => reloadAgency(p.section),
  },
};

/** The administrator's editor of the agency's settings (docs/agency-settings.md). */
export const agencySettingsModule: ConsoleModule = {
  id: 'agency-settings',
  permission: 'agency.manage',
  panel: {
    label: 'Agency settings',
    key: 'Y',
    activate: () => void useAgencySettingsStore.getState().load(),
    Component: AgencySettingsPanel,
  },
};
