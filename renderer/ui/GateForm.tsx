import { useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input of a sign-in or unlock form. */
export function Field({
  id,
  label,
  hint,
  ...input
}: {
  readonly id: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** What went wrong with the last attempt, read out by screen readers. */
export function FormError({
  error,
  testId,
}: {
  readonly error: string | null;
  readonly testId: string;
}) {
  if (!error) return null;
  return (
    <p className="error-text" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

/** A submit handler that runs one attempt at a time and says when one is running. */
export function useOneAtATime(attempt: () => Promise<void>): {
  readonly busy: boolean;
  readonly submit: (e: FormEvent) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await attempt();
    } finally {
      setBusy(false);
    }
  };
  return { busy, submit };
}
