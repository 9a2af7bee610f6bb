import type { ConsoleModule } from '../app/consoleModule';
import { PullsPanel } from './PullsPanel';
import { canWorkPulls, usePullStore } from './pullStore';

/**
 * Camera pulls: analysts and lieutenants work them, supervisors read them, officers read the
 * ones they asked for (the server answers each from its own calls).
 */
export const pullsModule: ConsoleModule = {
  id: 'pulls',
  permission: ['pulls.read', 'pulls.read_own'],
  panel: {
    label: 'Pulls',
    key: 'U',
    Component: PullsPanel,
    help: [
      { keys: 'N', does: 'Log a radio pull (Ctrl+M in the form: pick the place on the map)' },
      { keys: '↑ ↓ or J K', does: 'Move between the candidate cameras of the open pull' },
      {
        keys: 'C F N D X U',
        does: 'Candidate outcome: contacted, footage obtained, no footage, declined, not relevant, not yet contacted',
      },
      { keys: 'O', does: "Reveal the candidate owner's contact (audited, the pull as reason)" },
    ],
    // The keyboard lands on "Log radio pull": Enter or N opens the form.
    activate: () => {
      if (canWorkPulls()) {
        requestAnimationFrame(() =>
          document.querySelector<HTMLElement>('[data-testid="pull-new"]')?.focus(),
        );
      }
    },
  },
  load: () => {
    usePullStore.getState().reset();
    return usePullStore.getState().load();
  },
  reducers: {
    'pull.logged': ({ pull }) => usePullStore.getState().apply(pull),
    'pull.updated': ({ pull }) => usePullStore.getState().apply(pull),
    'pull.candidateChanged': (change) => usePullStore.getState().applyCandidate(change),
  },
};
