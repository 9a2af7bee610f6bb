import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CaseFields, caseFieldsBody, useCaseFields } from './CaseFields';
import { useCaseStore } from './caseStore';

/** A lieutenant opens a case: the number comes from the agency's format when it is saved. */
export function CaseForm() {
  const create = useCaseStore((s) => s.create);
  const busy = useCaseStore((s) => s.busy);
  const workload = useCaseStore((s) => s.workload);
  const setView = useCaseStore((s) => s.setView);
  const titleRef = useRef<HTMLInputElement>(null);
  const [values, set] = useCaseFields({
    title: '',
    type: 'other',
    priority: 'normal',
    lead: '',
    due: '',
  });
  const [analystIds, setAnalystIds] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const toggle = (id: string) =>
    setAnalystIds(
      analystIds.includes(id) ? analystIds.filter((x) => x !== id) : [...analystIds, id],
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const err = await create({ ...caseFieldsBody(values), analystIds: [...analystIds] });
    if (err) setError(err.issues?.map((i) => i.message).join('; ') || err.message);
  };
  return (
    <form className="case-form" onSubmit={(e) => void submit(e)} data-testid="case-form">
      <h3>Open a case</h3>
      <CaseFields values={values} set={set} testIdPrefix="case-form" titleRef={titleRef} />
      <fieldset>
        <legend>Analysts assigned</legend>
        {(workload?.rows ?? []).length === 0 && <p className="muted">Loading the analysts…</p>}
        {(workload?.rows ?? []).map((r) => (
          <label key={r.user.id} className="check">
            <input
              type="checkbox"
              checked={analystIds.includes(r.user.id)}
              onChange={() => toggle(r.user.id)}
            />
            {r.user.name}{' '}
            <span className="muted">
              ({r.openCases} open{r.overdueCases > 0 ? `, ${r.overdueCases} overdue` : ''})
            </span>
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button
          type="submit"
          className="btn primary"
          disabled={busy !== null || values.title.trim() === ''}
          data-testid="case-form-submit"
        >
          Open the case
        </button>
        <button type="button" className="btn ghost" onClick={() => setView('list')}>
          Cancel
        </button>
        {error && (
          <span className="error-text" role="alert" data-testid="case-form-error">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
