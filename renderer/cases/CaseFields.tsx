import { useState, type Ref } from 'react';
import {
  CASE_PRIORITIES,
  CASE_TYPES,
  CASE_TYPE_LABELS,
  type CasePriority,
  type CaseType,
} from '../../shared/domain/cases';
import { casePriorityText } from './caseLabels';

/** What the new-case and edit forms ask for, as the inputs hold it. */
export interface CaseFieldValues {
  readonly title: string;
  readonly type: CaseType;
  readonly priority: CasePriority;
  readonly lead: string;
  readonly due: string;
}

/** The form's state, starting from `initial`. */
export function useCaseFields(initial: CaseFieldValues) {
  const [values, setValues] = useState(initial);
  const set = (change: Partial<CaseFieldValues>) => setValues((v) => ({ ...v, ...change }));
  return [values, set] as const;
}

/** The fields as the case routes take them: empty lead and due date are "none". */
export function caseFieldsBody(v: CaseFieldValues) {
  return {
    title: v.title,
    type: v.type,
    priority: v.priority,
    leadInvestigator: v.lead.trim() === '' ? null : v.lead,
    dueDate: v.due === '' ? null : v.due,
  };
}

/** Title, type, priority, lead investigator and due date: one set of inputs for both forms. */
export function CaseFields({
  values,
  set,
  testIdPrefix,
  titleRef,
}: {
  readonly values: CaseFieldValues;
  readonly set: (change: Partial<CaseFieldValues>) => void;
  readonly testIdPrefix: string;
  readonly titleRef?: Ref<HTMLInputElement>;
}) {
  return (
    <>
      <label>
        Title
        <input
          ref={titleRef}
          required
          value={values.title}
          maxLength={200}
          placeholder="e.g. Burglary series, Ardmore"
          onChange={(e) => set({ title: e.target.value })}
          data-testid={`${testIdPrefix}-title`}
        />
      </label>
      <label>
        Type
        <select
          value={values.type}
          onChange={(e) => set({ type: e.target.value as CaseType })}
          data-testid={`${testIdPrefix}-type`}
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
        <select
          value={values.priority}
          onChange={(e) => set({ priority: e.target.value as CasePriority })}
        >
          {CASE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {casePriorityText(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lead investigator (name or badge)
        <input
          value={values.lead}
          maxLength={120}
          onChange={(e) => set({ lead: e.target.value })}
        />
      </label>
      <label>
        Due date
        <input type="date" value={values.due} onChange={(e) => set({ due: e.target.value })} />
      </label>
    </>
  );
}
