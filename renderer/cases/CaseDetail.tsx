import { CameraViewLine } from '../ui/CameraViewLine';
import { NotesTimeline } from '../ui/NotesTimeline';
import type { Pull } from '../../shared/domain/pulls';
import { PRODUCT_KIND_LABELS } from '../../shared/domain/products';
import { useEffect, useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../shared/api/cases';
import {
  CASE_STATUSES,
  caseOverdue,
  type CaseLink,
  type CaseLinkKind,
  type CaseStatus,
} from '../../shared/domain/cases';
import { useAlertStore } from '../alerts/alertStore';
import { useIncidentStore, openLinkedTip } from '../incidents/incidentStore';
import { useNow } from '../incidents/useNow';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { agencyTime, preview, tipsterName } from '../tips/tipLabels';
import { useTipStore } from '../tips/tipStore';
import { useUiStore } from '../ui/uiStore';
import {
  CASE_STATUS_LABEL,
  analystsText,
  casePriorityText,
  caseStatusText,
  caseTypeText,
  dueText,
} from './caseLabels';
import { useCaseStore } from './caseStore';
import { CaseFields, caseFieldsBody, useCaseFields } from './CaseFields';
import { LegalHoldLine } from '../retention/LegalHold';

function useSignedInId(): string | null {
  return useSessionStore((s) =>
    s.session && s.session.status !== 'signed_out' ? s.session.user.id : null,
  );
}

/** Lieutenants work any case; an analyst the cases assigned to them. */
function useCanWork(detail: CaseDetail): { work: boolean; assign: boolean } {
  const permissions = useSessionStore(permissionsOf);
  const me = useSignedInId();
  const assign = permissions.includes('cases.assign');
  const work =
    permissions.includes('cases.work') && (assign || detail.analysts.some((a) => a.id === me));
  return { work, assign };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <span className="error-text" role="alert">
      {error}
    </span>
  ) : null;
}

/** The statuses the asker may set: closing, and opening a closed case again, are a lieutenant's. */
function StatusActions({ detail, assign }: { detail: CaseDetail; assign: boolean }) {
  const setStatus = useCaseStore((s) => s.setStatus);
  const update = useCaseStore((s) => s.update);
  const busy = useCaseStore((s) => s.busy);
  const allowed = CASE_STATUSES.filter(
    (s) => s !== detail.status && (assign || (s !== 'closed' && detail.status !== 'closed')),
  );
  if (allowed.length === 0) return null;
  return (
    <div className="case-status-actions" role="group" aria-label="Set the status">
      {allowed.map((s: CaseStatus) => (
        <button
          key={s}
          type="button"
          className="btn small"
          disabled={busy !== null}
          // A lieutenant's close goes with the case's other fields; an analyst's status alone.
          onClick={() => void (assign ? update({ status: s }) : setStatus(s))}
          data-testid={`case-status-${s}`}
        >
          {s === 'closed' ? 'Close' : detail.status === 'closed' ? 'Reopen as' : 'Mark'}{' '}
          {caseStatusText(s)}
        </button>
      ))}
    </div>
  );
}

/** A lieutenant's change of title, type, priority, lead investigator and due date. */
function EditFields({ detail, onDone }: { detail: CaseDetail; onDone: () => void }) {
  const update = useCaseStore((s) => s.update);
  const busy = useCaseStore((s) => s.busy);
  const [values, set] = useCaseFields({
    title: detail.title,
    type: detail.type,
    priority: detail.priority,
    lead: detail.leadInvestigator ?? '',
    due: detail.dueDate ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const err = await update(caseFieldsBody(values));
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else onDone();
  };
  return (
    <form className="case-form compact" onSubmit={(e) => void submit(e)} data-testid="case-edit">
      <CaseFields values={values} set={set} testIdPrefix="case-edit" />
      <div className="actions">
        <button type="submit" className="btn small primary" disabled={busy !== null}>
          Save
        </button>
        <button type="button" className="btn small ghost" onClick={onDone}>
          Cancel
        </button>
        <ErrorLine error={error} />
      </div>
    </form>
  );
}

/** Who is assigned: a lieutenant ticks the analysts (the workload view's people). */
function AssignAnalysts({ detail, onDone }: { detail: CaseDetail; onDone: () => void }) {
  const workload = useCaseStore((s) => s.workload);
  const loadWorkload = useCaseStore((s) => s.loadWorkload);
  const assign = useCaseStore((s) => s.assign);
  const busy = useCaseStore((s) => s.busy);
  const [chosen, setChosen] = useState<readonly string[]>(detail.analysts.map((a) => a.id));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (workload === null) void loadWorkload();
  }, [workload, loadWorkload]);
  const toggle = (id: string) =>
    setChosen(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const err = await assign(chosen);
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else onDone();
  };
  return (
    <form className="case-assign" onSubmit={(e) => void submit(e)} data-testid="case-assign">
      <fieldset>
        <legend>Analysts assigned</legend>
        {(workload?.rows ?? []).map((r) => (
          <label key={r.user.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(r.user.id)}
              onChange={() => toggle(r.user.id)}
            />
            {r.user.name} <span className="muted">({r.openCases} open)</span>
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="btn small primary" disabled={busy !== null}>
          Assign
        </button>
        <button type="button" className="btn small ghost" onClick={onDone}>
          Cancel
        </button>
        <ErrorLine error={error} />
      </div>
    </form>
  );
}

function Notes({ detail, canWork }: { detail: CaseDetail; canWork: boolean }) {
  const addNote = useCaseStore((s) => s.addNote);
  const busy = useCaseStore((s) => s.busy);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <NotesTimeline
      title="Timeline"
      prefix="case"
      subject={detail.number}
      notes={detail.notes}
      before={
        <li>
          <span className="entry-head">
            {agencyTime(detail.openedAt, timeZone)} · {detail.openedBy}
          </span>
          <span className="entry-body">Opened the case.</span>
        </li>
      }
      timeZone={timeZone}
      canWork={canWork}
      busy={busy !== null}
      placeholder="Add a note (Ctrl+Enter adds it)"
      addNote={addNote}
    />
  );
}

const KIND_WORD: Readonly<Record<CaseLinkKind, string>> = {
  incident: 'Incident',
  tip: 'Tip',
  alert: 'Alert',
};

/** A linked incident or tip opens in its own panel; an alert is its title. */
function LinkItem({ link }: { link: CaseLink }) {
  const setTab = useUiStore((s) => s.setTab);
  const open =
    link.kind === 'incident'
      ? () => {
          setTab('incidents');
          void useIncidentStore.getState().select(link.ref);
        }
      : link.kind === 'tip'
        ? () => void openLinkedTip(link.ref)
        : null;
  return (
    <li data-testid="case-link" data-kind={link.kind}>
      {open ? (
        <button
          type="button"
          className="btn small link"
          onClick={open}
          data-testid="case-link-open"
        >
          {KIND_WORD[link.kind]} {link.label}
        </button>
      ) : (
        <span>
          {KIND_WORD[link.kind]} <strong>{link.label}</strong>
        </span>
      )}{' '}
      <span className="muted">· {link.linkedBy}</span>
    </li>
  );
}

/** The records a link may name, as this console already holds them. */
function useLinkChoices(kind: CaseLinkKind): { id: string; label: string }[] {
  const incidents = useIncidentStore((s) => s.byId);
  const tips = useTipStore((s) => s.tips);
  const alerts = useAlertStore((s) => s.byId);
  if (kind === 'incident') {
    return [...incidents.values()].map((i) => ({
      id: i.id,
      label: `${i.number} · ${i.callType.text}`,
    }));
  }
  if (kind === 'tip') {
    return tips.map((t) => ({
      id: t.id,
      label: `${tipsterName(t.alias)} · ${preview(t.body, 50)}`,
    }));
  }
  return [...alerts.values()].map((a) => ({ id: a.id, label: a.title }));
}

function Links({ detail, canWork }: { detail: CaseDetail; canWork: boolean }) {
  const link = useCaseStore((s) => s.link);
  const busy = useCaseStore((s) => s.busy);
  const [kind, setKind] = useState<CaseLinkKind>('incident');
  const [ref, setRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const choices = useLinkChoices(kind);
  useEffect(() => {
    setRef('');
    setError(null);
  }, [detail.number]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (ref === '') return;
    const err = await link(kind, ref);
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else {
      setRef('');
      setError(null);
    }
  };
  return (
    <section aria-label="Links">
      <h4>Linked incidents, tips and alerts</h4>
      {detail.links.length === 0 ? (
        <p className="muted">Nothing linked.</p>
      ) : (
        <ul data-testid="case-links">
          {detail.links.map((l) => (
            <LinkItem key={`${l.kind}:${l.ref}`} link={l} />
          ))}
        </ul>
      )}
      {canWork && (
        <form className="case-link-form" onSubmit={(e) => void submit(e)}>
          <select
            aria-label="Link a"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as CaseLinkKind);
              setRef('');
            }}
            data-testid="case-link-kind"
          >
            <option value="incident">Incident</option>
            <option value="tip">Tip</option>
            <option value="alert">Alert</option>
          </select>
          <select
            aria-label="Which one"
            value={ref}
            onChange={(e) => setRef(e.target.value)}
            data-testid="case-link-ref"
          >
            <option value="">Choose one listed in the console…</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
          <button
            type="submit"
            className="btn small"
            disabled={busy !== null || ref === ''}
            data-testid="case-link-add"
          >
            Link
          </button>
          <ErrorLine error={error} />
        </form>
      )}
    </section>
  );
}

function CameraViews({ detail }: { detail: CaseDetail }) {
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <section aria-label="Camera views">
      <h4>Camera views for this case</h4>
      {detail.cameraViews.length === 0 ? (
        <p className="muted">No camera viewed with this case number as the reason yet.</p>
      ) : (
        <ul data-testid="case-views">
          {detail.cameraViews.map((v, n) => (
            <CameraViewLine key={`${v.at}-${v.cameraId}-${n}`} view={v} timeZone={timeZone} />
          ))}
        </ul>
      )}
    </section>
  );
}

const PULL_STATUS_WORDS: Readonly<Record<Pull['status'], string>> = {
  open: '○ Open',
  in_progress: '◐ In progress',
  fulfilled: '● Fulfilled',
  closed_unfulfilled: '✕ Closed, no footage',
};

/** The camera pulls logged under the case's number. */
function CasePulls({ detail }: { detail: CaseDetail }) {
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <section aria-label="Camera pulls">
      <h4>Camera pulls for this case</h4>
      {detail.pulls.length === 0 ? (
        <p className="muted">No camera pull logged under this case number yet.</p>
      ) : (
        <ul data-testid="case-pulls">
          {detail.pulls.map((p) => (
            <li key={p.id} data-pull-id={p.id}>
              <strong>{p.number}</strong> · {PULL_STATUS_WORDS[p.status]} · {p.urgency} ·{' '}
              {agencyTime(p.requestedAt, timeZone)}
              <span className="muted">
                {' '}
                · footage from {p.counts.footageObtained} of {p.counts.total} cameras · {p.lookFor}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The assist reports and bulletins made for the case. */
function CaseProducts({ detail }: { detail: CaseDetail }) {
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <section aria-label="Products">
      <h4>Products</h4>
      {detail.products.length === 0 ? (
        <p className="muted">No assist report or bulletin made for this case yet.</p>
      ) : (
        <ul data-testid="case-products">
          {detail.products.map((p) => (
            <li key={p.id} data-product-id={p.id}>
              <strong>{p.number}</strong> {PRODUCT_KIND_LABELS[p.kind]}: {p.title}
              <span className="muted">
                {' '}
                · {p.status === 'approved'
                  ? `✓ approved by ${p.approvedByName ?? '?'}`
                  : '✎ draft'}{' '}
                · {p.authorName} · {agencyTime(p.createdAt, timeZone)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The open case: what it is and who has it; its timeline, links and camera views. */
export function CaseDetailView() {
  const selected = useCaseStore((s) => s.selected);
  const detail = useCaseStore((s) => s.detail);
  const detailError = useCaseStore((s) => s.detailError);
  if (!selected) return <p className="case-none">Select a case to open it.</p>;
  if (detailError) return <p className="error-text">{detailError}</p>;
  if (!detail) return <p className="case-none">Loading the case…</p>;
  return <CaseDetailBody detail={detail} />;
}

function CaseDetailBody({ detail }: { detail: CaseDetail }) {
  const select = useCaseStore((s) => s.select);
  const actionError = useCaseStore((s) => s.actionError);
  const timeZone = useSessionStore((s) => s.agency?.timeZone ?? 'UTC');
  const now = useNow(60_000);
  const { work, assign } = useCanWork(detail);
  const [editing, setEditing] = useState<'fields' | 'analysts' | null>(null);
  useEffect(() => setEditing(null), [detail.number]);
  const overdue = caseOverdue(detail, now, timeZone);
  return (
    <article
      className="case-detail"
      data-testid="case-detail"
      data-number={detail.number}
      data-status={detail.status}
    >
      <header>
        <h3>
          Case {detail.number} · {detail.title}
        </h3>
        <p className="case-facts">
          <span data-testid="case-detail-status">{caseStatusText(detail.status)}</span> ·{' '}
          <span className={`case-priority ${detail.priority}`}>
            {casePriorityText(detail.priority)}
          </span>{' '}
          · {caseTypeText(detail)} ·{' '}
          <span className={overdue ? 'overdue-text' : undefined} data-testid="case-detail-due">
            {dueText(detail.dueDate, overdue)}
          </span>
        </p>
        <p className="case-facts">
          Lead investigator: {detail.leadInvestigator ?? 'not named'} · Analysts:{' '}
          <span data-testid="case-detail-analysts">{analystsText(detail)}</span>
        </p>
        <p className="case-facts muted">
          Opened {agencyTime(detail.openedAt, timeZone)} by {detail.openedBy}
          {detail.closedAt
            ? ` · ${CASE_STATUS_LABEL.closed} ${agencyTime(detail.closedAt, timeZone)}`
            : ''}
        </p>
        <div className="case-detail-tools">
          {work && <StatusActions detail={detail} assign={assign} />}
          {assign && (
            <>
              <button
                type="button"
                className="btn small"
                aria-expanded={editing === 'fields'}
                onClick={() => setEditing(editing === 'fields' ? null : 'fields')}
                data-testid="case-edit-open"
              >
                Edit
              </button>
              <button
                type="button"
                className="btn small"
                aria-expanded={editing === 'analysts'}
                onClick={() => setEditing(editing === 'analysts' ? null : 'analysts')}
                data-testid="case-assign-open"
              >
                Assign
              </button>
            </>
          )}
          <button
            type="button"
            className="btn small ghost"
            onClick={() => void select(null)}
            data-testid="case-detail-close"
          >
            Back to the list
          </button>
        </div>
        {editing === 'fields' && <EditFields detail={detail} onDone={() => setEditing(null)} />}
        {editing === 'analysts' && (
          <AssignAnalysts detail={detail} onDone={() => setEditing(null)} />
        )}
      </header>
      {actionError && (
        <p className="error-text" role="alert" data-testid="case-action-error">
          {actionError}
        </p>
      )}
      <LegalHoldLine number={detail.number} />
      <Notes detail={detail} canWork={work} />
      <Links detail={detail} canWork={work} />
      <CameraViews detail={detail} />
      <CasePulls detail={detail} />
      <CaseProducts detail={detail} />
    </article>
  );
}
