import type { Incident } from '../../shared/domain/incidents';
import { DockNearestButton } from '../docking/DockNearestButton';

/** The actions on the open incident, under its heading. */
export function IncidentActions({ incident }: { readonly incident: Incident }) {
  return (
    <div
      className="incident-actions"
      role="group"
      aria-label="Incident actions"
      data-testid="incident-actions"
      data-incident-id={incident.id}
    >
      <DockNearestButton
        kind="incident"
        id={incident.id}
        dockable={incident.position !== null && incident.status !== 'closed'}
      />
    </div>
  );
}
