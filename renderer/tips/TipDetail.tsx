import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { CaseReferenceSchema } from '../../shared/domain/reasons';
import type { Permission } from '../../shared/domain/roles';
import type { Tip, TipState } from '../../shared/domain/tips';
import type { CallError } from '../../shared/api/watchfloorApi';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { useUiStore } from '../ui/uiStore';
import { useOnShiftStore } from '../users/onShiftStore';
import type { TipDetail } from './tipEvents';
import {
  REPLY_STATE_TEXT,
  TIP_STATE_SYMBOL,
  agencyTime,
  preview,
  tipStateText,
  tipsterName,
} from './tipLabels';
import { TipMediaStrip } from './TipMedia';
import { useTipStore } from './tipStore';

const MAX_REPLY = 1600;

const TRIAGE: readonly { state: Exclude<TipState, 'new' | 'duplicate'>; label: string }[] = [
  { state: 'reviewing', label: 'Reviewing' },
  { state: 'actionable', label: 'Actionable' },
  { state: 'no_action', label: 'No action' },
];

function useCan(permission: Permission): boolean {
  return useSessionStore((s) => permissionsOf(s).includes(permission));
}

/** The tips this one may repeat: the others in its conversation, then the others listed. */
function duplicateCandidates(detail: TipDetail, listed: readonly Tip[]): Tip[] {
  const inThread = detail.entries.flatMap((e) => (e.kind === 'tip' ? [e.tip] : []));
  const seen = new Set<string>([detail.tip.id]);
  const out: Tip[] = [];
  for (const t of [...inThread, ...listed]) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    out.push(t);
  }
  return out;
}

function Triage({ detail }: { readonly detail: TipDetail }) {
  const tip = detail.tip;
  const listed = useTipStore((s) => s.tips);
  const busy = useTipStore((s) => s.busy);
  const setState = useTipStore((s) => s.setState);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  const [dupOf, setDupOf] = useState('');
  const candidates = useMemo(() => duplicateCandidates(detail, listed), [detail, listed]);
  useEffect(() => setDupOf(''), [tip.id]);
  return (
    <div className="tip-triage" role="group" aria-label="Triage">
      {TRIAGE.map((t) => (
        <button
          key={t.state}
          type="button"
          className="btn small"
          aria-pressed={tip.state === t.state}
          disabled={busy !== null || tip.state === t.state}
          onClick={() => void setState(tip.id, t.state)}
          data-testid={`tip-set-${t.state}`}
        >
          {TIP_STATE_SYMBOL[t.state]} {t.label}
        </button>
      ))}
      <span className="dup">
        <select
          aria-label="Duplicate of"
          value={dupOf}
          onChange={(e) => setDupOf(e.target.value)}
          data-testid="tip-duplicate-of"
        >
          <option value="">Duplicate of…</option>
          {candidates.map((t) => (
            <option key={t.id} value={t.id}>
              {tipsterName(t.alias)} · {agencyTime(t.receivedAt, timeZone)} · {preview(t.body, 40)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          disabled={busy !== null || !dupOf}
          onClick={() => void setState(tip.id, 'duplicate', dupOf)}
          data-testid="tip-set-duplicate"
        >
          {TIP_STATE_SYMBOL.duplicate} Mark duplicate
        </button>
      </span>
    </div>
  );
}

function Assign({ tip }: { readonly tip: Tip }) {
  const colleagues = useOnShiftStore((s) => s.users);
  const loadColleagues = useOnShiftStore((s) => s.load);
  const busy = useTipStore((s) => s.busy);
  const assign = useTipStore((s) => s.assign);
  const session = useSessionStore((s) => s.session);
  const me = session && session.status !== 'signed_out' ? session.user : null;
  useEffect(() => void loadColleagues(), [loadColleagues]);
  const value = tip.assignedTo?.id ?? '';
  const others = colleagues.filter((u) => u.userId !== me?.id);
  const assignedElsewhere =
    tip.assignedTo && tip.assignedTo.id !== me?.id && !others.some((u) => u.userId === value);
  return (
    <label className="tip-assign">
      Assigned to{' '}
      <select
        value={value}
        disabled={busy !== null}
        onChange={(e) => void assign(tip.id, e.target.value || null)}
        data-testid="tip-assign"
      >
        <option value="">Unassigned</option>
        {me && <option value={me.id}>Me ({me.displayName})</option>}
        {assignedElsewhere && tip.assignedTo && (
          <option value={tip.assignedTo.id}>{tip.assignedTo.name} (not on shift)</option>
        )}
        {others.map((u) => (
          <option key={u.userId} value={u.userId}>
            {u.displayName}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A case or incident number as typed: empty removes the link; otherwise the shared rules. */
export function checkReference(text: string): { value: string | null } | { error: string } {
  if (!text.trim()) return { value: null };
  const r = CaseReferenceSchema.safeParse(text);
  return r.success ? { value: r.data } : { error: r.error.issues[0]?.message ?? 'not valid' };
}

function issueFor(error: CallError | null, field: string): string | null {
  if (!error) return null;
  const issue = error.issues?.find((i) => i.path.split('.').includes(field));
  return issue ? issue.message : null;
}

function Links({ tip }: { readonly tip: Tip }) {
  const link = useTipStore((s) => s.link);
  const busy = useTipStore((s) => s.busy);
  const [incident, setIncident] = useState(tip.incidentNumber ?? '');
  const [caseNo, setCaseNo] = useState(tip.caseNumber ?? '');
  const [errors, setErrors] = useState<{ incident?: string; case?: string; form?: string }>({});
  useEffect(() => {
    setIncident(tip.incidentNumber ?? '');
    setCaseNo(tip.caseNumber ?? '');
    setErrors({});
  }, [tip.id, tip.incidentNumber, tip.caseNumber]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const i = checkReference(incident);
    const c = checkReference(caseNo);
    const next = {
      ...('error' in i ? { incident: `Incident number: ${i.error}` } : {}),
      ...('error' in c ? { case: `Case number: ${c.error}` } : {}),
    };
    setErrors(next);
    if ('error' in i || 'error' in c) return;
    const changes = {
      ...(i.value !== tip.incidentNumber ? { incidentNumber: i.value } : {}),
      ...(c.value !== tip.caseNumber ? { caseNumber: c.value } : {}),
    };
    if (Object.keys(changes).length === 0) return;
    const err = await link(tip.id, changes);
    if (err) {
      const inc = issueFor(err, 'incidentNumber');
      const cas = issueFor(err, 'caseNumber');
      setErrors({
        ...(inc ? { incident: `Incident number: ${inc}` } : {}),
        ...(cas ? { case: `Case number: ${cas}` } : {}),
        ...(!inc && !cas ? { form: err.message } : {}),
      });
    }
  };

  return (
    <form className="tip-links" onSubmit={(e) => void submit(e)} data-testid="tip-links">
      <div className="field">
        <label htmlFor="tip-incident">Incident number</label>
        <input
          id="tip-incident"
          value={incident}
          onChange={(e) => setIncident(e.target.value)}
          aria-invalid={!!errors.incident}
          aria-describedby="tip-links-hint"
          placeholder="e.g. 2026-004512"
          maxLength={60}
          data-testid="tip-incident"
        />
        {errors.incident && (
          <span className="error-text" role="alert">
            {errors.incident}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="tip-case">Case number</label>
        <input
          id="tip-case"
          value={caseNo}
          onChange={(e) => setCaseNo(e.target.value)}
          aria-invalid={!!errors.case}
          aria-describedby="tip-links-hint"
          maxLength={60}
          data-testid="tip-case"
        />
        {errors.case && (
          <span className="error-text" role="alert">
            {errors.case}
          </span>
        )}
      </div>
      <button
        type="submit"
        className="btn small"
        disabled={busy !== null}
        data-testid="tip-link-save"
      >
        Save links
      </button>
      <span id="tip-links-hint" className="hint">
        Letters, digits and dashes, 3 to 40 characters. Empty removes the link.
      </span>
      {errors.form && (
        <span className="error-text" role="alert">
          {errors.form}
        </span>
      )}
    </form>
  );
}

function ReplyBox({ detail }: { readonly detail: TipDetail }) {
  const reply = useTipStore((s) => s.reply);
  const busy = useTipStore((s) => s.busy);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setBody('');
    setError(null);
  }, [detail.tip.id]);
  const optedOut = detail.thread.optedOut;
  const length = body.trim().length;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (length === 0 || length > MAX_REPLY) return;
    const err = await reply(detail.tip.id, body);
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else {
      setBody('');
      setError(null);
    }
  };
  return (
    <form className="tip-reply" onSubmit={(e) => void send(e)} data-testid="tip-reply">
      <label htmlFor="tip-reply-body">
        Reply to {tipsterName(detail.thread.alias)} (the number is never shown)
      </label>
      <textarea
        id="tip-reply-body"
        value={body}
        rows={3}
        maxLength={MAX_REPLY}
        disabled={optedOut}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(e);
        }}
        data-testid="tip-reply-body"
      />
      <div className="reply-foot">
        {optedOut ? (
          <span className="hint" data-testid="tip-reply-disabled">
            The tipster opted out (STOP): no reply can be sent until they text START.
          </span>
        ) : (
          <span
            className={`hint${length > MAX_REPLY ? ' error-text' : ''}`}
            data-testid="tip-reply-count"
          >
            {length} / {MAX_REPLY} · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> sends
          </span>
        )}
        <button
          type="submit"
          className="btn small primary"
          disabled={optedOut || busy !== null || length === 0}
          data-testid="tip-reply-send"
        >
          Send reply
        </button>
      </div>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function Thread({ detail }: { readonly detail: TipDetail }) {
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  return (
    <ol className="tip-thread" aria-label="Conversation" data-testid="tip-thread">
      {detail.entries.map((e) =>
        e.kind === 'tip' ? (
          <li
            key={`t${e.tip.id}`}
            className={`entry from-tipster${e.tip.id === detail.tip.id ? ' current' : ''}`}
            data-testid="thread-tip"
          >
            <span className="entry-head">
              {tipsterName(e.tip.alias)} · {agencyTime(e.tip.receivedAt, timeZone)} ·{' '}
              {tipStateText(e.tip.state)}
              {e.tip.attachments.length > 0 ? ` · 📎 ${e.tip.attachments.length}` : ''}
            </span>
            <span className="entry-body">{e.tip.body || '(no text)'}</span>
          </li>
        ) : (
          <li key={`r${e.reply.id}`} className="entry to-tipster" data-testid="thread-reply">
            <span className="entry-head">
              {e.reply.sentBy ? e.reply.sentBy.name : '⚙ Automatic reply'} ·{' '}
              {agencyTime(e.reply.at, timeZone)} ·{' '}
              <span className={`reply-${e.reply.state}`} data-testid="reply-state">
                {REPLY_STATE_TEXT[e.reply.state]}
                {e.reply.state === 'failed' && e.reply.failure ? `: ${e.reply.failure}` : ''}
              </span>
            </span>
            <span className="entry-body">{e.reply.body}</span>
          </li>
        ),
      )}
    </ol>
  );
}

/** The open tip: its text and media, the conversation, and what the analyst can do with it. */
export function TipDetailView() {
  const detail = useTipStore((s) => s.detail);
  const selectedId = useTipStore((s) => s.selectedId);
  const detailError = useTipStore((s) => s.detailError);
  const actionError = useTipStore((s) => s.actionError);
  const showOnMap = useTipStore((s) => s.showOnMap);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  const canTriage = useCan('tips.triage');
  const canReply = useCan('tips.reply');
  const setTab = useUiStore((s) => s.setTab);
  if (!selectedId) return <p className="tip-none">Select a tip to read it.</p>;
  if (detailError) return <p className="error-text">{detailError}</p>;
  if (!detail) return <p className="tip-none">Loading the tip…</p>;
  const tip = detail.tip;
  return (
    <article className="tip-detail" data-testid="tip-detail" data-state={tip.state}>
      <header>
        <h3>
          {tipsterName(tip.alias)}{' '}
          <span className="muted">· {agencyTime(tip.receivedAt, timeZone)}</span>
        </h3>
        <p className="tip-facts">
          <span data-testid="tip-detail-state">{tipStateText(tip.state)}</span>
          {tip.stateChangedBy && (
            <span>
              {' '}
              by {tip.stateChangedBy.name}
              {tip.stateChangedAt ? ` at ${agencyTime(tip.stateChangedAt, timeZone)}` : ''}
            </span>
          )}
          {tip.duplicateOf && <span> · repeats another tip</span>}
          {tip.outsideHours && <span> · received outside staffed hours</span>}
          {detail.thread.optedOut && <span> · ⊘ opted out</span>}
        </p>
        {tip.sharedLocation && (
          <button
            type="button"
            className="btn small"
            onClick={() => {
              showOnMap(tip);
              setTab('map');
            }}
            data-testid="tip-show-on-map"
          >
            ⌖ Show on map
          </button>
        )}
      </header>
      <p className="tip-body" data-testid="tip-body">
        {tip.body || '(no text)'}
      </p>
      <TipMediaStrip tip={tip} />
      {actionError && (
        <p className="error-text" role="alert" data-testid="tip-action-error">
          {actionError}
        </p>
      )}
      {canTriage && <Triage detail={detail} />}
      {canTriage && <Assign tip={tip} />}
      {canTriage && <Links tip={tip} />}
      {!canTriage && (tip.incidentNumber || tip.caseNumber) && (
        <p>
          {tip.incidentNumber && `Incident ${tip.incidentNumber} `}
          {tip.caseNumber && `Case ${tip.caseNumber}`}
        </p>
      )}
      <Thread detail={detail} />
      {canReply && <ReplyBox detail={detail} />}
    </article>
  );
}
