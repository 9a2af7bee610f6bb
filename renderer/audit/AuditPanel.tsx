import { useEffect, useState } from 'react';
import { useSessionStore, permissionsOf } from '../session/sessionStore';
import { useUiStore } from '../ui/uiStore';
import { useMapStore } from '../map/mapStore';
import { openCase } from '../cases/caseStore';
import { openLinkedTip, useIncidentStore } from '../incidents/incidentStore';
import { usePullStore } from '../pulls/pullStore';
import { agencyTime } from '../tips/tipLabels';
import { VIEW_REASONS, VIEW_REASON_LABELS } from '../../shared/domain/reasons';
import { AUDIT_FLAG_LABELS } from '../../shared/domain/auditFlags';
import type { AuditEntry, ReviewedFlag } from '../../shared/api/auditReview';
import { useAuditStore } from './auditStore';
import {
  flagEntriesFilter,
  flagsForReview,
  healthLine,
  linkFor,
  reasonCountLabel,
  reasonLine,
  referenceLink,
  targetLine,
  type FilterForm,
  type LinkAction,
} from './auditView';

/** Follows a link: another panel, the map, or the review narrowed to what was clicked. */
function follow(action: LinkAction): void {
  const ui = useUiStore.getState();
  switch (action.kind) {
    case 'map':
      ui.setTab('map');
      useMapStore.getState().openPopup(action.cameraId);
      return;
    case 'case':
      void openCase(action.number);
      return;
    case 'tip':
      void openLinkedTip(action.id);
      return;
    case 'incident':
      ui.setTab('incidents');
      void useIncidentStore.getState().select(action.id);
      return;
    case 'pull':
      ui.setTab('pulls');
      void usePullStore.getState().select(action.id);
      return;
    case 'filter': {
      const store = useAuditStore.getState();
      store.setForm(action.patch);
      void store.search();
    }
  }
}

function Filters() {
  const form = useAuditStore((s) => s.form);
  const setForm = useAuditStore((s) => s.setForm);
  const search = useAuditStore((s) => s.search);
  const busy = useAuditStore((s) => s.busy);
  const field = (name: keyof FilterForm, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={form[name]}
        data-testid={`audit-filter-${name}`}
        onChange={(e) => setForm({ [name]: e.target.value })}
      />
    </label>
  );
  return (
    <form
      className="audit-filters"
      onSubmit={(e) => {
        e.preventDefault();
        void search();
      }}
    >
      {field('from', 'From', 'datetime-local')}
      {field('to', 'To', 'datetime-local')}
      {field('actorId', 'User id')}
      {field('cameraId', 'Camera id')}
      {field('caseNumber', 'Case or incident number')}
      <label>
        Reason
        <select
          value={form.reasonCode}
          onChange={(e) => setForm({ reasonCode: e.target.value })}
          data-testid="audit-filter-reasonCode"
        >
          <option value="">any</option>
          {VIEW_REASONS.map((r) => (
            <option key={r} value={r}>
              {VIEW_REASON_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {field('reasonText', 'Words in the reason')}
      {field('action', 'Action (e.g. stream.grant)')}
      <label>
        Outcome
        <select value={form.outcome} onChange={(e) => setForm({ outcome: e.target.value })}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="denied">denied</option>
          <option value="failure">failure</option>
        </select>
      </label>
      <button type="submit" className="btn primary" disabled={busy}>
        Search
      </button>
    </form>
  );
}

function EntryRow({ entry, timeZone }: { entry: AuditEntry; timeZone: string | undefined }) {
  const permissions = useSessionStore(permissionsOf);
  const target = entry.target ? linkFor(entry.target, permissions) : null;
  const reference = entry.reason?.reference;
  return (
    <tr data-testid="audit-entry" className={entry.outcome !== 'success' ? 'audit-refused' : ''}>
      <td>{agencyTime(entry.at, timeZone)}</td>
      <td>
        {entry.actorId ? (
          <button
            type="button"
            className="btn small link"
            onClick={() => follow({ kind: 'filter', patch: { actorId: entry.actorId! } })}
          >
            {entry.actorName ?? entry.actorId}
          </button>
        ) : (
          (entry.actorName ?? 'system')
        )}
      </td>
      <td>
        {entry.action}
        {entry.outcome !== 'success' && <strong> ({entry.outcome})</strong>}
      </td>
      <td>
        {entry.target &&
          (target ? (
            <button
              type="button"
              className="btn small link"
              data-testid="audit-entry-target"
              onClick={() => follow(target)}
            >
              {targetLine(entry)}
            </button>
          ) : (
            targetLine(entry)
          ))}
      </td>
      <td>
        {reasonLine(entry.reason)}
        {reference && (
          <>
            {' '}
            <button
              type="button"
              className="btn small link"
              onClick={() => follow(referenceLink(reference, permissions))}
            >
              open {reference}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function Counts() {
  const counts = useAuditStore((s) => s.counts);
  const counting = useAuditStore((s) => s.counting);
  if (counting) {
    return (
      <p className="muted" role="status" data-testid="audit-counting">
        Counting the entries of the range…
      </p>
    );
  }
  if (!counts) return null;
  return (
    <div className="audit-counts">
      <table className="metrics-table" data-testid="audit-counts-users">
        <caption>Per user ({counts.total} entries)</caption>
        <tbody>
          {counts.byUser.map((u) => (
            <tr key={u.actorId ?? 'system'}>
              <th>{u.actorName ?? 'system'}</th>
              <td>{u.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="metrics-table" data-testid="audit-counts-reasons">
        <caption>Per reason</caption>
        <tbody>
          {counts.byReason.map((r) => (
            <tr key={r.code ?? 'none'}>
              <th>{reasonCountLabel(r.code)}</th>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FlagItem({ flag }: { flag: ReviewedFlag }) {
  const review = useAuditStore((s) => s.review);
  const [note, setNote] = useState('');
  return (
    <li data-testid="audit-flag" className={flag.review ? 'reviewed' : ''}>
      <strong>{AUDIT_FLAG_LABELS[flag.kind]}</strong> · {flag.date}
      <p>{flag.explanation}</p>
      <button
        type="button"
        className="btn small link"
        onClick={() => follow({ kind: 'filter', patch: flagEntriesFilter(flag) })}
      >
        show the entries
      </button>
      {flag.review ? (
        <p className="muted">
          Reviewed by {flag.review.reviewerName} at {flag.review.at}: {flag.review.note}
        </p>
      ) : (
        <form
          className="audit-review-form"
          onSubmit={(e) => {
            e.preventDefault();
            void review(flag.key, note).then((ok) => ok && setNote(''));
          }}
        >
          <input
            aria-label="Review note"
            placeholder="What the review found"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="btn small" disabled={note.trim() === ''}>
            Mark reviewed
          </button>
        </form>
      )}
    </li>
  );
}

/** The audit review: search the trail, read the counts, work the flags, export, and the chain. */
export function AuditPanel() {
  const agency = useSessionStore((s) => s.agency);
  const entries = useAuditStore((s) => s.entries);
  const next = useAuditStore((s) => s.next);
  const scope = useAuditStore((s) => s.scope);
  const flags = useAuditStore((s) => s.flags);
  const flagging = useAuditStore((s) => s.flagging);
  const health = useAuditStore((s) => s.health);
  const error = useAuditStore((s) => s.error);
  const busy = useAuditStore((s) => s.busy);
  const { search, more, exportRange, loadHealth } = useAuditStore.getState();
  const timeZone = agency?.timeZone;

  useEffect(() => {
    if (useAuditStore.getState().scope === null) void search();
    void loadHealth();
  }, [search, loadHealth]);

  const chain = healthLine(health, Date.now());
  return (
    <div className="metrics audit-review" data-testid="audit-review">
      <div className="metrics-head">
        <h2>Audit review</h2>
        <button
          type="button"
          className="btn small"
          disabled={busy}
          onClick={() => void exportRange()}
        >
          Export CSV (signed)
        </button>
      </div>
      <p className={chain.alarm ? 'error-text' : 'muted'} data-testid="audit-chain-health">
        Chain: {chain.text}
      </p>
      {scope === 'own_shifts' && (
        <p className="muted">You see people's entries during the shifts you were on.</p>
      )}
      <Filters />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <h3>Flags ({flags.filter((f) => f.review === null).length} to review)</h3>
      <ul className="audit-flags">
        {flagsForReview(flags).map((f) => (
          <FlagItem key={f.key} flag={f} />
        ))}
        {flags.length === 0 && (
          <li className="muted" role="status">
            {flagging ? 'Looking for flags over this range…' : 'No flags over this range.'}
          </li>
        )}
      </ul>
      <h3>Counts</h3>
      <Counts />
      <h3>Entries</h3>
      <div className="metrics-table-wrap">
        <table className="audit-entries">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>On</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <EntryRow key={e.id} entry={e} timeZone={timeZone} />
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 && <p className="muted">No entries match.</p>}
      {next !== null && (
        <button type="button" className="btn" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </div>
  );
}
