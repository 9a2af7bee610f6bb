import type { ConsoleModule } from '../app/consoleModule';
import type { Incident } from '../../shared/domain/incidents';
import { IncidentBoard } from './IncidentBoard';
import { useIncidentStore } from './incidentStore';

const apply = ({ incident }: { readonly incident: Incident }) =>
  useIncidentStore.getState().apply(incident);

/** The incident board: CAD incidents in progress, for those whose role reads them. */
export const incidentModule: ConsoleModule = {
  id: 'incidents',
  permission: 'incidents.read',
  panel: { label: 'Incidents', key: 'I', Component: IncidentBoard },
  load: () => useIncidentStore.getState().load(),
  reducers: {
    'incident.opened': apply,
    'incident.updated': apply,
    'incident.closed': apply,
  },
};
