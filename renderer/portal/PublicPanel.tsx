import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { OnlineReportsSection } from '../onlineReports/OnlineReportsSection';
import { RegistrationsPanel } from '../registrations/RegistrationsPanel';

/**
 * What comes in from the public portal (docs/portal.md, docs/online-reports.md): online reports
 * for their reviewers, camera registrations for the administrators who settle look-alikes. Each
 * section shows only to the holders of its permission.
 */
export function PublicPanel() {
  const permissions = useSessionStore(permissionsOf);
  return (
    <div className="public-panel" data-testid="public-panel">
      {permissions.includes('onlineReports.review') && <OnlineReportsSection />}
      {permissions.includes('registrations.review') && <RegistrationsPanel />}
    </div>
  );
}
