import type { ConsoleModule } from '../app/consoleModule';
import type { Case } from '../../shared/domain/cases';
import { CasesPanel } from './CasesPanel';
import { useCaseStore } from './caseStore';

const apply = ({ case: c }: { readonly case: Case }) => useCaseStore.getState().apply(c);

/**
 * Cases and their assignment (docs/cases.md): the list (own work first), the open case, and for
 * lieutenants the workload view. "Assigned to you" is a notice from the event's own line.
 */
export const casesModule: ConsoleModule = {
  id: 'cases',
  permission: 'cases.read',
  panel: {
    label: 'Cases',
    key: 'K',
    help: [
      { keys: '↑ ↓ in the workload', does: 'select a case' },
      { keys: 'M, then ↑ ↓ and Enter (or 1 … 9)', does: 'move the selected case to an analyst' },
      { keys: 'Ctrl+Enter in a note', does: 'add the note' },
    ],
    Component: CasesPanel,
  },
  load: () => {
    useCaseStore.getState().reset();
    return useCaseStore.getState().load();
  },
  reducers: {
    'case.opened': apply,
    'case.updated': apply,
  },
};
