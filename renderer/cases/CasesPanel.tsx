import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { CaseDetailView } from './CaseDetail';
import { CaseForm } from './CaseForm';
import { CaseFiltersBar, CaseList } from './CaseList';
import { useCaseStore, type CaseView } from './caseStore';
import { WorkloadView } from './Workload';

const VIEWS: readonly { readonly id: CaseView; readonly label: string }[] = [
  { id: 'list', label: 'Cases' },
  { id: 'workload', label: 'Workload' },
  { id: 'new', label: 'New case' },
];

/** The Cases panel: the list and the open case; lieutenants also open cases and see workload. */
export function CasesPanel() {
  const view = useCaseStore((s) => s.view);
  const setView = useCaseStore((s) => s.setView);
  const canAssign = useSessionStore((s) => permissionsOf(s).includes('cases.assign'));
  const shown = canAssign ? view : 'list';
  return (
    <div className={`cases-panel view-${shown}`} data-testid="cases-panel">
      {canAssign && (
        <div className="case-views" role="toolbar" aria-label="Cases views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className="btn small"
              aria-pressed={shown === v.id}
              onClick={() => setView(v.id)}
              data-testid={`case-view-${v.id}`}
            >
              {v.label}
            </button>
          ))}
        </div>
      )}
      {shown === 'list' && (
        <div className="case-list-view">
          <CaseFiltersBar />
          <CaseList />
          <div className="case-detail-wrap">
            <CaseDetailView />
          </div>
        </div>
      )}
      {shown === 'workload' && <WorkloadView />}
      {shown === 'new' && <CaseForm />}
    </div>
  );
}
