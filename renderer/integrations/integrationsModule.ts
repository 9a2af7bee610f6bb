import type { ConsoleModule } from '../app/consoleModule';
import { IntegrationsPanel } from './IntegrationsPanel';
import { useIntegrationStore } from './integrationStore';

/** Integration keys for the ingest endpoints, for administrators (docs/integrations.md). */
export const integrationsModule: ConsoleModule = {
  id: 'integrations',
  permission: 'integrations.manage',
  panel: {
    label: 'Integrations',
    key: 'G',
    activate: () => void useIntegrationStore.getState().load(),
    Component: IntegrationsPanel,
  },
};
