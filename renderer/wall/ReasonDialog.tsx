import { useEffect, useState, type FormEvent } from 'react';
import {
  VIEW_REASONS,
  VIEW_REASON_LABELS,
  ViewReasonSchema,
  reasonNeedsReference,
  type ViewReasonCode,
} from '../../shared/domain/reasons';
import { useReasonStore } from './reasonStore';

const TITLES = {
  view: 'Why are you viewing this camera?',
  layout: 'Why are you viewing these cameras?',
  snapshot: 'Why do you need a snapshot of this camera?',
  owner_contact: 'Why do you need the owner’s contact?',
  tip_media: 'Why are you opening this tip’s photos and videos?',
  alert_evidence: 'Why are you opening this alert’s images?',
  working_case: 'What are you working on?',
} as const;

/**
 * The structured reason for viewing video or an owner's contact: a fixed list, and a case or
 * incident number for all but situational awareness. Filled in with the assignment being
 * worked, so the usual answer is one key press.
 */
export function ReasonDialog() {
  const request = useReasonStore((s) => s.request);
  const current = useReasonStore((s) => s.memory.current);
  const answer = useReasonStore((s) => s.answer);
  const [code, setCode] = useState<ViewReasonCode>('active_incident');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  // Focus goes back where the analyst was (the search box, a tile, the map) when the dialog closes.
  useEffect(() => {
    if (!request) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, [request]);

  useEffect(() => {
    if (!request) return;
    setCode(current?.code ?? 'active_incident');
    setReference(current?.reference ?? '');
    setNote('');
    setError(null);
  }, [request, current]);

  if (!request) return null;
  const needsRef = reasonNeedsReference(code);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = ViewReasonSchema.safeParse({
      code,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Check the reason');
      return;
    }
    answer(parsed.data);
  };

  const names = request.cameraNames;
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && answer(null)}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="reason-title"
        data-testid="reason-dialog"
        data-purpose={request.purpose}
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            answer(null);
          }
        }}
      >
        <h2 id="reason-title">{TITLES[request.purpose]}</h2>
        <div className="camera-names" data-testid="reason-cameras">
          {request.purpose === 'working_case'
            ? 'Cameras you put up next are viewed under it without asking again, each view recorded with it.'
            : names.length <= 4
              ? names.join(', ')
              : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`}
        </div>
        <fieldset className="reason-options" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="sr-only">Reason</legend>
          {VIEW_REASONS.map((r) => (
            <label key={r} className="reason-option">
              <input
                type="radio"
                name="reason"
                value={r}
                checked={code === r}
                onChange={() => setCode(r)}
                data-testid={`reason-${r}`}
              />
              {VIEW_REASON_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="reason-reference">
            Case or incident number{needsRef ? '' : ' (optional)'}
          </label>
          <input
            id="reason-reference"
            data-testid="reason-reference"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            aria-invalid={!!error}
            required={needsRef}
            autoFocus
            placeholder="e.g. 2026-004512"
          />
        </div>
        <div className="field">
          <label htmlFor="reason-note">Note (optional)</label>
          <input
            id="reason-note"
            data-testid="reason-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={500}
          />
          <span className="hint">
            {request.purpose === 'owner_contact'
              ? 'Each reveal of an owner’s contact is recorded in the audit trail.'
              : request.purpose === 'tip_media'
                ? 'Recorded with every opening of a tip’s media in the audit trail. You will not be asked again for tip media under this case during your shift.'
                : request.purpose === 'alert_evidence'
                  ? 'Recorded with every opening of an alert’s images in the audit trail. You will not be asked again for alert images under this case during your shift.'
                  : 'Recorded with every view in the audit trail. It becomes your working case: the cameras you put up next are viewed under it without asking, until you switch or end it in the top bar.'}
          </span>
        </div>
        {error && (
          <p className="error-text" role="alert" data-testid="reason-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            className="btn"
            onClick={() => answer(null)}
            data-testid="reason-cancel"
          >
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="reason-submit">
            {request.purpose === 'owner_contact'
              ? 'Reveal'
              : request.purpose === 'working_case'
                ? 'Work this case'
                : 'View'}
          </button>
        </div>
      </form>
    </div>
  );
}
