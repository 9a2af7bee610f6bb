import { useEffect, useState } from 'react';
import type { AgencyConfig } from '../../shared/domain/agency';
import {
  RETENTION_KIND_INFO,
  RETENTION_KINDS,
  type RetentionSettings,
} from '../../shared/domain/retention';
import type { PurgeRun } from '../../shared/api/retention';
import { call } from '../app/watchfloor';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { NumberField, type FormProps } from './fields';

type Loose<T> = { readonly [K in keyof T]?: unknown };

/** A run's counts in a line: what went, per kind, and what a hold kept. */
function describeRun(run: PurgeRun): string {
  const parts = Object.entries(run.counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, n]) => `${k} ${n}`);
  const when = new Date(run.finishedAt ?? run.startedAt).toLocaleString();
  const state = run.outcome ?? 'running';
  return `${state} ${when} by ${run.startedBy}: ${parts.length ? parts.join(', ') : 'nothing expired'}`;
}

/**
 * The purge on demand (administrators): starts a run, which goes on in the server, and shows the
 * last run's counts when it ends (docs/retention.md).
 */
function PurgeNow() {
  const allowed = useSessionStore((s) => permissionsOf(s).includes('retention.purge'));
  const [last, setLast] = useState<PurgeRun | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    const r = await call('retention.status', {});
    if (r.ok) {
      setLast(r.value.lastRun);
      setRunning(r.value.running);
    } else setError(r.error.message);
    return r.ok && r.value.running;
  };
  useEffect(() => void refresh(), []);
  // While a run goes on, its status is read again every few seconds until it ends.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh(), 3_000);
    return () => clearInterval(timer);
  }, [running]);

  if (!allowed) return null;
  const purge = async () => {
    setError(null);
    const r = await call('retention.purge', {});
    if (r.ok) {
      setLast(r.value.run);
      setRunning(true);
    } else setError(r.error.message);
  };
  return (
    <div className="retention-purge" data-testid="retention-purge">
      <p className="hint" data-testid="retention-last-run">
        Last purge: {last ? describeRun(last) : 'none yet'}. A purge runs every day by itself.
      </p>
      <button
        type="button"
        className="btn"
        disabled={running}
        onClick={() => void purge()}
        data-testid="retention-purge-now"
      >
        {running ? 'Purging…' : 'Purge expired data now'}
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The retention periods, each with its floor and what it counts from, and the purge button. */
export function RetentionForm({
  value,
  set,
  errors,
}: FormProps<Loose<RetentionSettings>> & { readonly saved: AgencyConfig }) {
  return (
    <>
      <p className="hint">
        Each kind of data is deleted once older than its period. A case under legal hold keeps
        everything linked to it. The audit trail is kept at least one year (CJIS 5.4.7) and is never
        purged.
      </p>
      {RETENTION_KINDS.map((kind) => {
        const info = RETENTION_KIND_INFO[kind];
        return (
          <NumberField
            key={kind}
            label={`${info.label} (days)`}
            path={kind}
            value={value[kind]}
            onChange={(v) => set([kind], v)}
            errors={errors}
            hint={`From when ${info.from}. At least ${info.floorDays} days: ${info.floorReason}. Default ${info.defaultDays}.`}
          />
        );
      })}
      <PurgeNow />
    </>
  );
}
