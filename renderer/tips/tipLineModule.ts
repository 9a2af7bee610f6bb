import type { ConsoleModule } from '../app/consoleModule';
import { TipLineSettingsPanel } from './TipLineSettings';
import { useTipLineStore } from './tipLineStore';

/** The tip line's schedule and texts, for the agency's administrators (docs/tip-line.md). */
export const tipLineModule: ConsoleModule = {
  id: 'tip-line',
  permission: 'agency.manage',
  panel: {
    label: 'Tip line',
    key: 'H',
    activate: () => void useTipLineStore.getState().load(),
    Component: TipLineSettingsPanel,
  },
};
