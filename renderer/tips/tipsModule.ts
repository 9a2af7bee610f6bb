import type { ConsoleModule, EventReducers } from '../app/consoleModule';
import { TipsPanel } from './TipsPanel';
import { useTipStore } from './tipStore';

const apply = useTipStore.getState;

const reducers: EventReducers = {
  'tip.received': (p) => apply().applyEvent('tip.received', p),
  'tip.updated': (p) => apply().applyEvent('tip.updated', p),
  'tip.assigned': (p) => apply().applyEvent('tip.assigned', p),
  'tip.attachmentChanged': (p) => apply().applyEvent('tip.attachmentChanged', p),
  'tip.replyChanged': (p) => apply().applyEvent('tip.replyChanged', p),
  'tipThread.updated': (p) => apply().applyEvent('tipThread.updated', p),
};

/** The anonymous text tip line: triage, replies and media (docs/tip-line.md). */
export const tipsModule: ConsoleModule = {
  id: 'tips',
  permission: 'tips.read',
  panel: {
    label: 'Tips',
    key: 'T',
    activate: () => useTipStore.getState().focusSearch(),
    Component: TipsPanel,
  },
  load: () => {
    useTipStore.getState().reset();
    return useTipStore.getState().load();
  },
  reducers,
};
