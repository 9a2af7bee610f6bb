import type { ConsoleModule } from '../app/consoleModule';
import { OnShiftPanel } from './OnShiftPanel';
import { useOnShiftStore } from './onShiftStore';

/** Who is on shift: everyone signed in may see their colleagues' names and roles. */
export const onShiftModule: ConsoleModule = {
  id: 'on-shift',
  panel: {
    label: 'On shift',
    key: 'O',
    activate: () => void useOnShiftStore.getState().load(),
    Component: OnShiftPanel,
  },
};
