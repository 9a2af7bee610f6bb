import { useState, type FormEvent } from 'react';
import { INGEST_SCOPES, type IngestScope } from '../../shared/domain/roles';
import { useIntegrationStore } from './integrationStore';

const SCOPE_LABELS: Readonly<Record<IngestScope, string>> = {
  cad: 'CAD incidents',
  lpr: 'LPR hits',
  gunshot: 'Gunshot detections',
  tracks: 'Tracks (monitoring, drones)',
  cap: 'CAP alerts',
};

const when = (iso: string | null) => (iso === null ? 'never' : new Date(iso).toLocaleString());

/** Integration keys: create one (its key shown once), see when each last posted, revoke. */
export function IntegrationsPanel() {
  const integrations = useIntegrationStore((s) => s.integrations);
  const error = useIntegrationStore((s) => s.error);
  const newKey = useIntegrationStore((s) => s.newKey);
  const create = useIntegrationStore((s) => s.create);
  const revoke = useIntegrationStore((s) => s.revoke);
  const dismissKey = useIntegrationStore((s) => s.dismissKey);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<IngestScope>('cad');
  const [confirming, setConfirming] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create(name.trim(), scope).then((ok) => ok && setName(''));
  };

  return (
    <section className="integrations" data-testid="integrations-panel">
      <h2>Integrations</h2>
      <p className="hint">
        Machines that post incidents and alerts, each with its own key (docs/integrations.md).
      </p>
      {newKey && (
        <div className="new-key" role="alert" data-testid="integration-new-key">
          <p>
            The key of <strong>{newKey.name}</strong>. It is shown this once: only its hash is kept.
            Give it to the machine&apos;s operator now.
          </p>
          <code>{newKey.key}</code>
          <button type="button" className="btn small" onClick={dismissKey}>
            I have saved it
          </button>
        </div>
      )}
      <form onSubmit={submit} className="integration-form">
        <input
          aria-label="Name"
          placeholder="e.g. County CAD"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={64}
        />
        <select
          aria-label="Scope"
          value={scope}
          onChange={(e) => setScope(e.target.value as IngestScope)}
        >
          {INGEST_SCOPES.map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABELS[s]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn small" disabled={name.trim() === ''}>
          Create key
        </button>
      </form>
      {error && <p className="error-text">{error}</p>}
      <ul className="integration-list">
        {integrations.map((i) => (
          <li key={i.id} data-testid="integration-row" className={i.revokedAt ? 'revoked' : ''}>
            <span className="integration-name">{i.name}</span>
            <span className="muted">{SCOPE_LABELS[i.scope]}</span>
            <span className="muted">
              created by {i.createdBy}, {when(i.createdAt)} · last post {when(i.lastUsedAt)}
            </span>
            {i.revokedAt ? (
              <span className="muted">✕ revoked {when(i.revokedAt)}</span>
            ) : confirming === i.id ? (
              <span>
                Its next post will be refused.{' '}
                <button
                  type="button"
                  className="btn small"
                  onClick={() => {
                    setConfirming(null);
                    void revoke(i.id);
                  }}
                >
                  Revoke
                </button>{' '}
                <button
                  type="button"
                  className="btn small ghost"
                  onClick={() => setConfirming(null)}
                >
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="btn small" onClick={() => setConfirming(i.id)}>
                Revoke…
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
