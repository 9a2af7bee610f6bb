import type { ConsoleModule } from '../app/consoleModule';
import { USER_FILTER_ID, UsersPanel } from './UsersPanel';
import { useUserAdminStore } from './userAdminStore';

const changed = () => useUserAdminStore.getState().changed();

/**
 * User accounts, for administrators (docs/users.md). Another administrator's change, a lockout
 * or an enrolment reaches the list through its event.
 */
export const usersModule: ConsoleModule = {
  id: 'users',
  permission: 'users.manage',
  panel: {
    label: 'Users',
    key: 'J',
    activate: () => {
      void useUserAdminStore.getState().load();
      document.getElementById(USER_FILTER_ID)?.focus();
    },
    help: [
      { keys: 'Tab', does: 'move between the filter, the accounts and their actions' },
      { keys: 'Esc', does: 'cancel a confirmation' },
    ],
    Component: UsersPanel,
  },
  reducers: {
    'user.created': changed,
    'user.updated': changed,
    'user.unlocked': changed,
    'user.locked': changed,
    'user.sessions_ended': changed,
  },
};
