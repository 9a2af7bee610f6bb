import { agencyModule, agencySettingsModule } from '../agency/agencyModule';
import { alertModule } from '../alerts/alertModule';
import { cameraModule } from '../cameras/cameraModule';
import { cameraAdminModule } from '../cameras/admin/cameraAdminModule';
import { casesModule } from '../cases/casesModule';
import { dockingModule } from '../docking/dockingModule';
import { evidenceModule } from '../evidence/evidenceModule';
import { incidentModule } from '../incidents/incidentModule';
import { mapModule } from '../map/mapModule';
import { tipLineModule } from '../tips/tipLineModule';
import { integrationsModule } from '../integrations/integrationsModule';
import { tipsModule } from '../tips/tipsModule';
import { onShiftModule } from '../users/onShiftModule';
import { usersModule } from '../users/usersModule';
import { pullsModule } from '../pulls/pullsModule';
import { shiftModule } from '../shifts/shiftModule';
import { metricsModule } from '../metrics/metricsModule';
import { productsModule } from '../products/productsModule';
import { publicModule } from '../portal/publicModule';
import { layoutModule } from '../wall/layoutModule';
import { auditModule } from '../audit/auditModule';
import type { Permission } from '../../shared/domain/roles';
import { moduleAllowed, type ConsoleModule, type ConsolePanel } from './consoleModule';

/**
 * Every domain's part of the console, in tab order. The shell (Console.tsx), the keyboard map,
 * the help screen and the event dispatcher all read this list; a new domain adds one line.
 */
export const CONSOLE_MODULES: readonly ConsoleModule[] = [
  agencyModule,
  mapModule,
  cameraModule,
  tipsModule,
  incidentModule,
  dockingModule,
  alertModule,
  casesModule,
  pullsModule,
  onShiftModule,
  shiftModule,
  metricsModule,
  productsModule,
  layoutModule,
  tipLineModule,
  integrationsModule,
  agencySettingsModule,
  evidenceModule,
  usersModule,
  auditModule,
  publicModule,
  cameraAdminModule,
];

/** A module's panel as the shell shows it. */
export interface ShownPanel extends ConsolePanel {
  readonly id: string;
}

/** The panels a user with these permissions sees, in tab order. */
export function panelsFor(permissions: readonly Permission[] | null): ShownPanel[] {
  return CONSOLE_MODULES.flatMap((m) =>
    m.panel && moduleAllowed(m, permissions) ? [{ id: m.id, ...m.panel }] : [],
  );
}

/** The modules a user with these permissions gets. */
export function modulesFor(permissions: readonly Permission[] | null): ConsoleModule[] {
  return CONSOLE_MODULES.filter((m) => moduleAllowed(m, permissions));
}
