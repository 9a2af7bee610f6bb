import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  CANDIDATE_ACTION_LABELS,
  CANDIDATE_OUTCOME_LABELS,
  MAX_PULL_RADIUS_M,
  OPEN_PULL_STATUSES,
  PULL_STATUS_LABELS,
  PULL_URGENCIES,
  type Pull,
  type PullCandidate,
} from '../../shared/domain/pulls';
import { useSessionStore } from '../session/sessionStore';
import { useUiStore } from '../ui/uiStore';
import { useIncidentStore } from '../incidents/incidentStore';
import { candidateKeyAction, keyOfOutcome, OUTCOME_KEYS } from './candidateKeys';
import { emptyDraft, pullFromDraft, type PullDraft } from './pullDraft';
import { requesterLine, sortPulls } from './pullOrder';
import { canExportEvidence, canWorkPulls, usePullStore } from './pullStore';

const RADII_M = [300, 500, 1000, MAX_PULL_RADIUS_M] as const;

const when = (iso: string) =>
  new Date(iso).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);

function useViewerId(): string | null {
  return useSessionStore((s) =>
    s.session && s.session.status !== 'signed_out' ? s.session.user.id : null,
  );
}

// ----------------------------------------------------------------------------------------------
// The "log radio pull" form

function LogPullForm() {
  const picked = usePullStore((s) => s.picked);
  const busy = usePullStore((s) => s.busy);
  const actionError = usePullStore((s) => s.actionError);
  const incidents = useIncidentStore((s) => s.byId);
  const [draft, setDraft] = useState<PullDraft>(() => emptyDraft(Date.now()));
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const openIncidents = useMemo(
    () => [...incidents.values()].filter((i) => i.closedAt === null),
    [incidents],
  );
  const set = <K extends keyof PullDraft>(k: K, v: PullDraft[K]) => setDraft({ ...draft, [k]: v });
  const fieldError = (k: string) =>
    errors[k] ? (
      <span className="error-text" role="alert" data-testid={`pull-error-${k}`}>
        {errors[k]}
      </span>
    ) : null;

  const pickOnMap = () => {
    usePullStore.getState().startPicking();
    useUiStore.getState().setTab('map');
  };

  const incident = draft.incidentId ? incidents.get(draft.incidentId) : undefined;
  // Near an incident, the incident's place is the pull's until another is picked on the map.
  const place = picked ?? incident?.position ?? null;
  const submit = async () => {
    const made = pullFromDraft(
      { ...draft, address: draft.address || (picked ? '' : (incident?.address ?? '')) },
      place,
    );
    if (!made.ok) return setErrors(made.errors);
    setErrors({});
    await usePullStore.getState().create(made.pull);
  };

  return (
    <form
      className="pull-form"
      data-testid="pull-form"
      aria-label="Log a radio pull"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          usePullStore.getState().stopLogging();
        }
        // Ctrl+M: pick the location on the map without leaving the keyboard.
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'm') {
          e.preventDefault();
          pickOnMap();
        }
      }}
    >
      <h3>Log radio pull</h3>
      <div className="pull-form-row">
        <label>
          Officer
          <input
            ref={first}
            value={draft.officerName}
            onChange={(e) => set('officerName', e.target.value)}
            placeholder="name"
            data-testid="pull-officer"
          />
        </label>
        <label>
          Badge
          <input
            value={draft.badge}
            onChange={(e) => set('badge', e.target.value)}
            size={6}
            data-testid="pull-badge"
          />
        </label>
        <label>
          Unit
          <input
            value={draft.unit}
            onChange={(e) => set('unit', e.target.value)}
            size={6}
            data-testid="pull-unit"
          />
        </label>
      </div>
      {fieldError('officerName')}
      {fieldError('badge')}
      <div className="pull-form-row">
        <label>
          Case number
          <input
            value={draft.caseNumber}
            onChange={(e) => set('caseNumber', e.target.value)}
            placeholder="e.g. 2026-004512"
            data-testid="pull-case"
          />
        </label>
        <label>
          Incident
          <select
            value={draft.incidentId}
            onChange={(e) => set('incidentId', e.target.value)}
            data-testid="pull-incident"
          >
            <option value="">none</option>
            {openIncidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.number} {i.callType.text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {fieldError('caseNumber')}
      <div className="pull-form-row">
        <button type="button" className="btn small" onClick={pickOnMap} data-testid="pull-pick">
          ⌖ {picked ? 'Pick again' : 'Pick on map'} (Ctrl+M)
        </button>
        <span className="muted" data-testid="pull-picked">
          {picked
            ? `${picked.lat.toFixed(5)}, ${picked.lon.toFixed(5)}`
            : incident?.position
              ? `at incident ${incident.number}${incident.address ? `, ${incident.address}` : ''}`
              : 'no location yet'}
        </span>
        <label>
          Address
          <input
            value={draft.address}
            onChange={(e) => set('address', e.target.value)}
            data-testid="pull-address"
          />
        </label>
      </div>
      {fieldError('location')}
      <div className="pull-form-row">
        <label>
          From
          <input
            type="datetime-local"
            value={draft.from}
            onChange={(e) => set('from', e.target.value)}
            data-testid="pull-from"
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={draft.to}
            onChange={(e) => set('to', e.target.value)}
            data-testid="pull-to"
          />
        </label>
        <label>
          Radius
          <select
            value={draft.radiusM}
            onChange={(e) => set('radiusM', Number(e.target.value))}
            data-testid="pull-radius"
          >
            {RADII_M.map((r) => (
              <option key={r} value={r}>
                {metres(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {fieldError('from')}
      {fieldError('to')}
      <label className="pull-look-for">
        Look for
        <textarea
          value={draft.lookFor}
          onChange={(e) => set('lookFor', e.target.value)}
          rows={2}
          data-testid="pull-look-for"
          onKeyDown={(e) => {
            // Enter logs the pull; Shift+Enter starts a new line.
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      {fieldError('lookFor')}
      <fieldset className="pull-urgency">
        <legend>Urgency</legend>
        {PULL_URGENCIES.map((u) => (
          <label key={u}>
            <input
              type="radio"
              name="urgency"
              value={u}
              checked={draft.urgency === u}
              onChange={() => set('urgency', u)}
            />
            {u}
          </label>
        ))}
      </fieldset>
      {actionError && (
        <p className="error-text" role="alert" data-testid="pull-form-error">
          {actionError}
        </p>
      )}
      <div className="pull-form-row">
        <button
          type="submit"
          className="btn primary"
          disabled={busy === 'create'}
          data-testid="pull-submit"
        >
          Log pull
        </button>
        <button
          type="button"
          className="btn ghost"
          onClick={() => usePullStore.getState().stopLogging()}
        >
          Cancel (Esc)
        </button>
      </div>
    </form>
  );
}

// ----------------------------------------------------------------------------------------------
// The list

function PullRow({ pull, selected, mine }: { pull: Pull; selected: boolean; mine: boolean }) {
  const open = () => void usePullStore.getState().select(pull.id);
  const closed = !OPEN_PULL_STATUSES.includes(pull.status);
  return (
    <li
      className={`pull-row${selected ? ' selected' : ''}${closed ? ' closed' : ''}`}
      data-testid="pull-row"
      data-pull-id={pull.id}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      }}
    >
      <span className={`pull-urgency-badge ${pull.urgency}`}>{pull.urgency}</span>
      <strong>{pull.number}</strong>
      <span>{PULL_STATUS_LABELS[pull.status]}</span>
      <span className="muted">{requesterLine(pull)}</span>
      <span className="muted">
        {pull.caseNumber ?? ''}
        {pull.caseNumber && pull.incidentNumber ? ' · ' : ''}
        {pull.incidentNumber ? `CAD ${pull.incidentNumber}` : ''}
      </span>
      <span className="muted" title="candidates: fetch now / agency / contact owner">
        {pull.counts.fetchNow}/{pull.counts.agency}/{pull.counts.contactOwner}
      </span>
      <span className="muted">
        {mine ? 'mine' : pull.assignedTo.name} · {when(pull.requestedAt)}
      </span>
    </li>
  );
}

// ----------------------------------------------------------------------------------------------
// The open pull and its candidates

function OutcomeButtons({ candidate }: { candidate: PullCandidate }) {
  const busy = usePullStore((s) => s.busy);
  return (
    <span className="pull-outcomes">
      {OUTCOME_KEYS.map(({ outcome }) => (
        <button
          key={outcome}
          type="button"
          className="btn small"
          aria-pressed={candidate.outcome === outcome}
          disabled={busy !== null}
          title={`${CANDIDATE_OUTCOME_LABELS[outcome]} (${keyOfOutcome(outcome)})`}
          data-testid={`outcome-${outcome}`}
          onClick={(e) => {
            e.stopPropagation();
            void usePullStore.getState().setOutcome(candidate.cameraId, outcome);
          }}
        >
          {CANDIDATE_OUTCOME_LABELS[outcome]} <kbd>{keyOfOutcome(outcome)}</kbd>
        </button>
      ))}
    </span>
  );
}

function CandidateRow({
  candidate: c,
  current,
  work,
}: {
  candidate: PullCandidate;
  current: boolean;
  work: boolean;
}) {
  const revealed = usePullStore((s) => (s.revealed?.cameraId === c.cameraId ? s.revealed : null));
  const busy = usePullStore((s) => s.busy);
  const canFetch = usePullStore((s) => s.detail?.pull.caseNumber != null) && canExportEvidence();
  return (
    <li
      className={`pull-candidate ${c.action}${current ? ' current' : ''}${c.inRadius ? '' : ' outside'}`}
      data-testid="pull-candidate"
      data-camera-id={c.cameraId}
      data-action={c.action}
      data-outcome={c.outcome}
      aria-current={current}
      onClick={() => usePullStore.getState().setCursor(c.cameraId)}
    >
      <div className="pull-candidate-head">
        <span className="pull-rank">{c.rank}</span>
        <strong>{c.name}</strong>
        <span className="muted">
          {c.kind} · {metres(c.distanceM)}
          {c.inRadius ? '' : ' · outside the radius now'}
        </span>
      </div>
      <div className={`pull-action ${c.action}`} data-testid="pull-candidate-action">
        {CANDIDATE_ACTION_LABELS[c.action]}
        {c.actionNote ? <span className="muted"> — {c.actionNote}</span> : null}
      </div>
      <div className="pull-candidate-outcome" data-testid="pull-candidate-outcome">
        {CANDIDATE_OUTCOME_LABELS[c.outcome]}
        {c.outcomeAt ? ` · ${c.outcomeBy ?? ''} ${clock(c.outcomeAt)}` : ''}
      </div>
      {work && current && <OutcomeButtons candidate={c} />}
      {work && current && canFetch && c.action !== 'contact_owner' && (
        <button
          type="button"
          className="btn small"
          data-testid="pull-fetch"
          disabled={busy !== null}
          title="Fetch this camera's recordings for the pull's window, kept with the case"
          onClick={(e) => {
            e.stopPropagation();
            void usePullStore.getState().fetchFootage(c.cameraId);
          }}
        >
          {busy === 'fetch' ? 'Fetching…' : 'Fetch footage'}
        </button>
      )}
      {work && current && c.hasOwnerContact && (
        <button
          type="button"
          className="btn small"
          data-testid="pull-reveal-owner"
          title="Reveal the owner's contact for this pull (audited) (O)"
          onClick={(e) => {
            e.stopPropagation();
            void usePullStore.getState().revealOwner(c.cameraId);
          }}
        >
          Owner contact <kbd>O</kbd>
        </button>
      )}
      {revealed && (
        <div className="pull-owner" data-testid="pull-owner">
          {revealed.owner.name}
          {revealed.owner.phone ? ` · ${revealed.owner.phone}` : ''}
          {revealed.owner.email ? ` · ${revealed.owner.email}` : ''}
          <span className="muted"> (reveal recorded)</span>
        </div>
      )}
      {c.history.length > 0 && (
        <ol className="pull-history" data-testid="pull-history">
          {c.history.map((h, i) => (
            <li key={i}>
              {when(h.at)} {h.byName}: {CANDIDATE_OUTCOME_LABELS[h.outcome]}
              {h.note ? ` — ${h.note}` : ''}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

function PullDetailView() {
  const detail = usePullStore((s) => s.detail);
  const detailError = usePullStore((s) => s.detailError);
  const cursor = usePullStore((s) => s.cursor);
  const busy = usePullStore((s) => s.busy);
  const actionError = usePullStore((s) => s.actionError);
  const setTab = useUiStore((s) => s.setTab);
  const [closing, setClosing] = useState('');
  const work = canWorkPulls();

  if (detailError) return <p className="error-text">{detailError}</p>;
  if (!detail) return <p className="muted">Select a pull to see its cameras.</p>;
  const { pull, candidates } = detail;
  const open = OPEN_PULL_STATUSES.includes(pull.status);

  const onKeys = (e: KeyboardEvent<HTMLOListElement>) => {
    const action = candidateKeyAction(e);
    if (!action) return;
    // The list's keys are its own while it has the focus: the wall does not see them.
    e.preventDefault();
    e.stopPropagation();
    const store = usePullStore.getState();
    if (action.type === 'move') return store.moveCursor(action.step);
    if (!work || !store.cursor) return;
    if (action.type === 'reveal') {
      const c = candidates.find((x) => x.cameraId === store.cursor);
      if (c?.hasOwnerContact) void store.revealOwner(c.cameraId);
      return;
    }
    void store.setOutcome(store.cursor, action.outcome);
  };

  return (
    <div className="pull-detail" data-testid="pull-detail" data-pull-id={pull.id}>
      <header>
        <h3>
          {pull.number} · {PULL_STATUS_LABELS[pull.status]}
        </h3>
        <p>
          <span className={`pull-urgency-badge ${pull.urgency}`}>{pull.urgency}</span>{' '}
          {requesterLine(pull)} · {pull.caseNumber ? `case ${pull.caseNumber}` : ''}
          {pull.incidentNumber ? ` CAD ${pull.incidentNumber}` : ''}
        </p>
        <p>
          {pull.address ?? `${pull.position.lat.toFixed(5)}, ${pull.position.lon.toFixed(5)}`} ·{' '}
          {when(pull.windowStart)} – {clock(pull.windowEnd)} · within {metres(pull.radiusM)}
        </p>
        <p className="pull-look-for-text">{pull.lookFor}</p>
        <p className="muted">
          Assigned to {pull.assignedTo.name} · logged by {pull.loggedBy.name} {when(pull.loggedAt)}
          {pull.closingNote ? ` · ${pull.closingNote}` : ''}
        </p>
        <div className="pull-detail-tools">
          <button
            type="button"
            className="btn small"
            onClick={() => {
              usePullStore.getState().showOnMap(pull.position);
              setTab('map');
            }}
            data-testid="pull-show-map"
          >
            Show on map
          </button>
          {work && open && (
            <>
              <label>
                Radius{' '}
                <select
                  value={pull.radiusM}
                  disabled={busy !== null}
                  onChange={(e) => void usePullStore.getState().setRadius(Number(e.target.value))}
                  data-testid="pull-detail-radius"
                >
                  {[...new Set([pull.radiusM, ...RADII_M])]
                    .sort((a, b) => a - b)
                    .map((r) => (
                      <option key={r} value={r}>
                        {metres(r)}
                      </option>
                    ))}
                </select>
              </label>
              {pull.caseNumber && canExportEvidence() && (
                <button
                  type="button"
                  className="btn small"
                  disabled={busy !== null}
                  title={`A signed evidence package of this pull's footage, kept with case ${pull.caseNumber}`}
                  onClick={() => void usePullStore.getState().exportEvidence()}
                  data-testid="pull-export"
                >
                  {busy === 'export' ? 'Exporting…' : 'Export package'}
                </button>
              )}
              <button
                type="button"
                className="btn small primary"
                disabled={busy !== null}
                onClick={() => void usePullStore.getState().fulfil()}
                data-testid="pull-fulfil"
              >
                Fulfilled
              </button>
              <input
                value={closing}
                onChange={(e) => setClosing(e.target.value)}
                placeholder="why unfulfilled"
                aria-label="Why the pull is closed unfulfilled"
                data-testid="pull-close-note"
              />
              <button
                type="button"
                className="btn small"
                disabled={busy !== null || closing.trim() === ''}
                onClick={() => void usePullStore.getState().close(closing.trim())}
                data-testid="pull-close"
              >
                Close unfulfilled
              </button>
            </>
          )}
        </div>
        {actionError && (
          <p className="error-text" role="alert" data-testid="pull-action-error">
            {actionError}
          </p>
        )}
      </header>
      <p className="muted">
        {candidates.length} camera{candidates.length === 1 ? '' : 's'}
        {work ? ' · ↑↓ to move, C F N D X U for the outcome, O for the owner' : ''}
      </p>
      <ol
        className="pull-candidates"
        data-testid="pull-candidates"
        tabIndex={0}
        aria-label="Candidate cameras"
        onKeyDown={onKeys}
      >
        {candidates.map((c) => (
          <CandidateRow
            key={c.cameraId}
            candidate={c}
            current={c.cameraId === cursor}
            work={work}
          />
        ))}
      </ol>
    </div>
  );
}

/**
 * The Pulls panel: the pulls (the viewer's open ones first), the "log radio pull" form, and the
 * open pull with its candidate cameras and their outcomes. Officers read their own, nothing more.
 */
export function PullsPanel() {
  const byId = usePullStore((s) => s.byId);
  const error = usePullStore((s) => s.error);
  const selectedId = usePullStore((s) => s.selectedId);
  const logging = usePullStore((s) => s.logging);
  const viewerId = useViewerId();
  const pulls = useMemo(() => sortPulls(byId.values(), viewerId), [byId, viewerId]);
  const work = canWorkPulls();

  return (
    <div
      className="pulls-panel"
      data-testid="pulls-panel"
      onKeyDown={(e) => {
        const inField = ['INPUT', 'TEXTAREA', 'SELECT'].includes((e.target as HTMLElement).tagName);
        if (work && !logging && !inField && e.key === 'n' && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          e.stopPropagation();
          usePullStore.getState().startLogging();
        }
      }}
    >
      <header className="pulls-head">
        <h2>{work ? 'Camera pulls' : 'My camera pulls'}</h2>
        {work && !logging && (
          <button
            type="button"
            className="btn small primary"
            onClick={() => usePullStore.getState().startLogging()}
            data-testid="pull-new"
            title="Log a radio pull (N)"
          >
            Log radio pull <kbd>N</kbd>
          </button>
        )}
      </header>
      {error && <p className="error-text">{error}</p>}
      {logging && <LogPullForm />}
      <ul className="pull-list" data-testid="pull-list">
        {pulls.map((p) => (
          <PullRow
            key={p.id}
            pull={p}
            selected={p.id === selectedId}
            mine={p.assignedTo.id === viewerId}
          />
        ))}
        {pulls.length === 0 && <li className="muted">No pulls.</li>}
      </ul>
      <PullDetailView />
    </div>
  );
}
