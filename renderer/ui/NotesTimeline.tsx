import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { CallError } from '../../shared/api/watchfloorApi';
import { agencyTime } from '../tips/tipLabels';

/** The longest note a case or an incident takes (their schemas say the same). */
export const MAX_NOTE = 4000;

export interface TimelineNote {
  readonly id: string;
  readonly at: string;
  readonly authorName: string;
  readonly text: string;
}

/**
 * An append-only notes timeline with its "add a note" form: the one used by cases and incidents.
 * `subject` names the record (the form clears when it changes) and `prefix` the test ids and
 * classes (`case-note`, `incident-note-text`, ...), so each page keeps its own.
 */
export function NotesTimeline({
  title,
  prefix,
  subject,
  notes,
  before,
  timeZone,
  canWork,
  busy,
  placeholder,
  addNote,
}: {
  readonly title: string;
  readonly prefix: 'case' | 'incident';
  readonly subject: string;
  readonly notes: readonly TimelineNote[];
  /** Lines shown before the notes (a case's opening). */
  readonly before?: ReactNode;
  readonly timeZone: string | undefined;
  readonly canWork: boolean;
  readonly busy: boolean;
  readonly placeholder: string;
  readonly addNote: (text: string) => Promise<CallError | null>;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText('');
    setError(null);
  }, [subject]);
  const length = text.trim().length;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (length === 0 || length > MAX_NOTE) return;
    const err = await addNote(text);
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else {
      setText('');
      setError(null);
    }
  };
  return (
    <section aria-label={title}>
      <h4>{title}</h4>
      <ol className={`${prefix}-lines`} data-testid={`${prefix}-notes`}>
        {before}
        {notes.map((n) => (
          <li key={n.id} data-testid={`${prefix}-note`}>
            <span className="entry-head">
              {agencyTime(n.at, timeZone)} · {n.authorName}
            </span>
            <span className="entry-body">{n.text}</span>
          </li>
        ))}
      </ol>
      {canWork && (
        <form className={`${prefix}-note-form`} onSubmit={(e) => void submit(e)}>
          <label htmlFor={`${prefix}-note-text`} className="sr-only">
            Add a note
          </label>
          <textarea
            id={`${prefix}-note-text`}
            rows={2}
            maxLength={MAX_NOTE}
            placeholder={placeholder}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
            data-testid={`${prefix}-note-text`}
          />
          <button
            type="submit"
            className="btn small primary"
            disabled={busy || length === 0}
            data-testid={`${prefix}-note-add`}
          >
            Add note
          </button>
          {error && (
            <span className="error-text" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </section>
  );
}
