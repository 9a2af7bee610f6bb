import type { ConsoleModule } from '../app/consoleModule';
import type { Incident } from '../../shared/domain/incidents';
import { IncidentsPanel } from './IncidentsPanel';
import { useIncidentStore } from './incidentStore';

const apply = ({ incident }: { readonly incident: Incident }) =>
  useIncidentStore.getState().apply(incident);

/** CAD incidents in progress: the board and the incident's detail, for those whose role reads them. */
export const incidentModule: ConsoleModule = {
  id: 'incidents',
  permission: 'incidents.read',
  panel: { label: 'Incidents', key: 'I', Component: IncidentsPanel },
  load: () => {
    useIncidentStore.getState().reset();
    return useIncidentStore.getState().load();
  },
  reducers: {
    'incident.opened': apply,
    'incident.updated': apply,
    'incident.closed': apply,
  },
};
