import type { ConsoleModule } from '../app/consoleModule';
import { AuditPanel } from './AuditPanel';
import { useAuditStore } from './auditStore';

/**
 * The audit review (docs/audit-review.md), for administrators and auditors, and supervisors for
 * their own shifts.
 */
export const auditModule: ConsoleModule = {
  id: 'audit',
  permission: 'audit.review',
  panel: { label: 'Audit review', key: 'V', Component: AuditPanel },
  load: () => useAuditStore.getState().reset(),
  reducers: {
    'audit.flag.reviewed': () => useAuditStore.getState().flagReviewed(),
    'audit.chain.checked': () => void useAuditStore.getState().loadHealth(),
  },
};
