import type { Incident } from '../../shared/domain/incidents';

/**
 * The actions on the open incident, under its heading. The "Dock nearest cameras" action goes
 * here: a component that takes the incident and renders its button, added to this row.
 */
export function IncidentActions({ incident }: { readonly incident: Incident }) {
  return (
    <div
      className="incident-actions"
      role="group"
      aria-label="Incident actions"
      data-testid="incident-actions"
      data-incident-id={incident.id}
    />
  );
}
