import type { ConsoleModule } from '../app/consoleModule';
import { EvidencePanel } from './EvidencePanel';
import { useEvidenceStore } from './evidenceStore';

/**
 * Evidence (docs/evidence.md): a case's files, signed packages and officers' links for the
 * center; for an officer, opening a link they were sent. Everyone who may view recordings sees
 * the agency key's fingerprint.
 */
export const evidenceModule: ConsoleModule = {
  id: 'evidence',
  permission: 'recordings.view',
  panel: {
    label: 'Evidence',
    key: 'E',
    activate: () => void useEvidenceStore.getState().loadKey(),
    Component: EvidencePanel,
  },
  load: () => useEvidenceStore.getState().loadKey(),
  reducers: {
    // A colleague kept footage, exported or shared: the case shown reads its evidence again.
    'evidence.changed': ({ caseNumber }) => {
      const shown = useEvidenceStore.getState().evidence;
      if (shown?.caseNumber === caseNumber) void useEvidenceStore.getState().loadCase(caseNumber);
    },
  },
};
