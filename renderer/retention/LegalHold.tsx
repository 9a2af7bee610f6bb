import { useEffect, useState, type FormEvent } from 'react';
import type { LegalHold } from '../../shared/api/retention';
import { call } from '../app/watchfloor';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { agencyTime } from '../tips/tipLabels';

/**
 * A case's legal hold on its page (docs/retention.md): whether the purge must keep everything
 * linked to the case, and, for lieutenants and administrators, setting or lifting it with a
 * reason (audited by the server).
 */
export function LegalHoldLine({ number }: { readonly number: string }) {
  const canHold = useSessionStore((s) => permissionsOf(s).includes('cases.hold'));
  const timeZone = useSessionStore((s) => s.agency?.timeZone ?? 'UTC');
  const [hold, setHold] = useState<LegalHold | null>(null);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setHold(null);
    setEditing(false);
    void call('cases.legalHold', { number }).then((r) => {
      if (!current) return;
      if (r.ok) setHold(r.value);
      else setError(r.error.message);
    });
    return () => {
      current = false;
    };
  }, [number]);

  if (!hold) return error ? <p className="error-text">{error}</p> : null;
  if (!hold.held && !canHold) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('cases.setLegalHold', { number, held: !hold.held, reason });
    if (r.ok) {
      setHold(r.value);
      setEditing(false);
      setReason('');
      setError(null);
    } else setError(r.error.message);
  };
  return (
    <section aria-label="Legal hold" className="case-legal-hold" data-testid="case-legal-hold">
      {hold.held ? (
        <p className="case-facts" data-testid="case-legal-hold-state">
          <strong>Legal hold</strong>: nothing linked to this case is purged. Set by {hold.setBy}
          {hold.setAt ? ` ${agencyTime(hold.setAt, timeZone)}` : ''}: {hold.reason}
        </p>
      ) : (
        <p className="case-facts muted" data-testid="case-legal-hold-state">
          No legal hold: linked data is purged when its retention period ends.
        </p>
      )}
      {canHold && !editing && (
        <button
          type="button"
          className="btn small"
          onClick={() => setEditing(true)}
          data-testid="case-legal-hold-open"
        >
          {hold.held ? 'Lift legal hold' : 'Place legal hold'}
        </button>
      )}
      {canHold && editing && (
        <form onSubmit={(e) => void submit(e)} className="case-legal-hold-form">
          <label htmlFor="case-legal-hold-reason">
            Why (a preservation letter, litigation ended)
          </label>
          <input
            id="case-legal-hold-reason"
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
            data-testid="case-legal-hold-reason"
          />
          <button type="submit" className="btn small primary" disabled={reason.trim() === ''}>
            {hold.held ? 'Lift the hold' : 'Place the hold'}
          </button>
          <button type="button" className="btn small ghost" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
