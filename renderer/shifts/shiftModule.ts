import type { ConsoleModule } from '../app/consoleModule';
import { ShiftPanel } from './ShiftPanel';
import { useShiftStore } from './shiftStore';

/** The shift log (docs/shift-log.md), for those whose role reads it. */
export const shiftModule: ConsoleModule = {
  id: 'shifts',
  permission: 'shifts.read',
  panel: { label: 'Shift log', key: 'B', Component: ShiftPanel },
  load: () => useShiftStore.getState().reset(),
  reducers: {
    'shift.changed': (p) => useShiftStore.getState().changed(p.date, p.shift),
  },
};
