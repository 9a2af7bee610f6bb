import { IncidentBoard } from './IncidentBoard';
import { IncidentDetailView } from './IncidentDetail';

/** The Incidents panel: the board above, the open incident below. */
export function IncidentsPanel() {
  return (
    <div className="incidents-panel" data-testid="incidents-panel">
      <div className="incident-board-wrap">
        <IncidentBoard />
      </div>
      <div className="incident-detail-wrap">
        <IncidentDetailView />
      </div>
    </div>
  );
}
