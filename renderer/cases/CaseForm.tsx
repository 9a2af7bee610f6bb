import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  CASE_PRIORITIES,
  CASE_TYPES,
  CASE_TYPE_LABELS,
  type CasePriority,
  type CaseType,
} from '../../shared/domain/cases';
import { casePriorityText } from './caseLabels';
import { useCaseStore } from './caseStore';

/** A lieutenant opens a case: the number comes from the agency's format when it is saved. */
export function CaseForm() {
  const create = useCaseStore((s) => s.create);
  const busy = useCaseStore((s) => s.busy);
  const workload = useCaseStore((s) => s.workload);
  const setView = useCaseStore((s) => s.setView);
  const titleRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<CaseType>('other');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [lead, setLead] = useState('');
  const [due, setDue] = useState('');
  const [analystIds, setAnalystIds] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const toggle = (id: string) =>
    setAnalystIds(
      analystIds.includes(id) ? analystIds.filter((x) => x !== id) : [...analystIds, id],
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const err = await create({
      title,
      type,
      priority,
      leadInvestigator: lead.trim() === '' ? null : lead,
      dueDate: due === '' ? null : due,
      analystIds: [...analystIds],
    });
    if (err) setError(err.issues?.map((i) => i.message).join('; ') || err.message);
  };
  return (
    <form className="case-form" onSubmit={(e) => void submit(e)} data-testid="case-form">
      <h3>Open a case</h3>
      <label>
        Title
        <input
          ref={titleRef}
          required
          value={title}
          maxLength={200}
          placeholder="e.g. Burglary series, Ardmore"
          onChange={(e) => setTitle(e.target.value)}
          data-testid="case-form-title"
        />
      </label>
      <label>
        Type
        <select
          value={type}
          onChange={(e) => setType(e.target.value as CaseType)}
          data-testid="case-form-type"
        >
          {CASE_TYPES.map((t) => (
            <option key={t} value={t}>
              {CASE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {casePriorityText(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lead investigator (name or badge)
        <input value={lead} maxLength={120} onChange={(e) => setLead(e.target.value)} />
      </label>
      <label>
        Due date
        <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
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
          disabled={busy !== null || title.trim() === ''}
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
