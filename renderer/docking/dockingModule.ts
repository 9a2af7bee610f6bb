import type { ConsoleModule } from '../app/consoleModule';
import { DockingPanel } from './DockingPanel';
import { dockRequested } from './dockActions';

/** Docking: the nearest cameras of incidents (and alerts) on the wall, by hand or by rule. */
export const dockingModule: ConsoleModule = {
  id: 'docking',
  permission: 'streams.view',
  panel: { label: 'Docked', key: 'D', Component: DockingPanel },
  reducers: { 'docking.requested': dockRequested },
};
