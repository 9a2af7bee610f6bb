import type { ConsoleModule } from '../app/consoleModule';
import { useLayoutStore } from './layoutStore';

const refresh = () => void useLayoutStore.getState().refresh();

/** Saved wall layouts, the user's and the center's (the wall itself is the console's main view). */
export const layoutModule: ConsoleModule = {
  id: 'layouts',
  permission: 'layouts.own',
  load: () => useLayoutStore.getState().refresh(),
  reducers: {
    'layout.saved': refresh,
    'layout.deleted': refresh,
    'layout.center.changed': refresh,
  },
};
