import { CameraViewLine } from '../ui/CameraViewLine';
import { NotesTimeline } from '../ui/NotesTimeline';
import { useEffect, useState, type FormEvent } from 'react';
import { NewLinkSchema } from '../../shared/api/incidents';
import type { IncidentDetail, IncidentLink } from '../../shared/domain/incidents';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { agencyTime, preview, tipsterName } from '../tips/tipLabels';
import { useTipStore } from '../tips/tipStore';
import { useAlertStore } from '../alerts/alertStore';
import { openCase } from '../cases/caseStore';
import { useUiStore } from '../ui/uiStore';
import { ageText } from './incidentBoard';
import { priorityStyle, statusText } from './incidentLabels';
import { IncidentActions } from './IncidentActions';
import { openLinkedTip, useIncidentStore } from './incidentStore';
import { useNow } from './useNow';

function useCanWork(): boolean {
  return useSessionStore((s) => permissionsOf(s).includes('incidents.work'));
}

function Timeline({ detail, timeZone }: { detail: IncidentDetail; timeZone?: string }) {
  return (
    <section aria-label="Status changes">
      <h4>Timeline</h4>
      <ol className="incident-timeline" data-testid="incident-timeline">
        {detail.statusChanges.map((c, n) => (
          <li key={`${c.at}-${n}`} data-status={c.status}>
            <time dateTime={c.at}>{agencyTime(c.at, timeZone)}</time> {statusText(c.status)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Units({ detail }: { detail: IncidentDetail }) {
  return (
    <section aria-label="Units">
      <h4>Units</h4>
      {detail.units.length === 0 ? (
        <p className="muted">No units assigned.</p>
      ) : (
        <ul className="incident-unit-list" data-testid="incident-units">
          {detail.units.map((u) => (
            <li key={u.id}>
              <strong>{u.id}</strong> <span className="muted">{u.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Narrative({ detail, timeZone }: { detail: IncidentDetail; timeZone?: string }) {
  return (
    <section aria-label="Narrative">
      <h4>Narrative</h4>
      {detail.narrative.length === 0 ? (
        <p className="muted">No narrative from the CAD.</p>
      ) : (
        <ol className="incident-lines" data-testid="incident-narrative">
          {detail.narrative.map((l, n) => (
            <li key={`${l.at}-${n}`}>
              <span className="entry-head">
                {agencyTime(l.at, timeZone)} · {l.author}
              </span>
              <span className="entry-body">{l.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Notes({ detail, timeZone }: { detail: IncidentDetail; timeZone?: string }) {
  const canWork = useCanWork();
  const addNote = useIncidentStore((s) => s.addNote);
  const busy = useIncidentStore((s) => s.busy);
  return (
    <NotesTimeline
      title="Notes"
      prefix="incident"
      subject={detail.id}
      notes={detail.notes}
      timeZone={timeZone}
      canWork={canWork}
      busy={busy !== null}
      placeholder="Add a note for the center"
      addNote={addNote}
    />
  );
}

/** A tip link opens the tip in the Tips panel, a case link the case; an alert is its title. */
function LinkItem({ link }: { link: IncidentLink }) {
  const tip = useTipStore((s) => s.tips.find((t) => t.id === link.ref));
  const alert = useAlertStore((s) => (link.kind === 'alert' ? s.byId.get(link.ref) : undefined));
  const canReadCases = useSessionStore((s) => permissionsOf(s).includes('cases.read'));
  if (link.kind === 'alert') {
    return (
      <li data-testid="incident-link" data-kind="alert">
        Alert <strong>{alert ? alert.title : link.ref}</strong>{' '}
        <span className="muted">· {link.linkedBy}</span>
      </li>
    );
  }
  if (link.kind === 'case') {
    return (
      <li data-testid="incident-link" data-kind="case">
        {canReadCases ? (
          <button
            type="button"
            className="btn small link"
            onClick={() => void openCase(link.ref)}
            data-testid="incident-link-case"
          >
            Case {link.ref}
          </button>
        ) : (
          <>
            Case <strong>{link.ref}</strong>
          </>
        )}{' '}
        <span className="muted">· {link.linkedBy}</span>
      </li>
    );
  }
  return (
    <li data-testid="incident-link" data-kind="tip">
      <button
        type="button"
        className="btn small link"
        onClick={() => void openLinkedTip(link.ref)}
        data-testid="incident-link-tip"
      >
        Tip {tip ? `${tipsterName(tip.alias)}: ${preview(tip.body, 40)}` : link.ref}
      </button>{' '}
      <span className="muted">· {link.linkedBy}</span>
    </li>
  );
}

function Links({ detail }: { detail: IncidentDetail }) {
  const canWork = useCanWork();
  const link = useIncidentStore((s) => s.link);
  const busy = useIncidentStore((s) => s.busy);
  const tips = useTipStore((s) => s.tips);
  const [kind, setKind] = useState<'tip' | 'case'>('tip');
  const [ref, setRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRef('');
    setError(null);
  }, [detail.id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = NewLinkSchema.shape.ref.safeParse(ref);
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? 'not valid');
    const err = await link(kind, checked.data);
    if (err) setError(err.issues?.[0]?.message ?? err.message);
    else {
      setRef('');
      setError(null);
    }
  };
  return (
    <section aria-label="Links">
      <h4>Linked tips and cases</h4>
      {detail.links.length === 0 ? (
        <p className="muted">Nothing linked.</p>
      ) : (
        <ul className="incident-link-list" data-testid="incident-links">
          {detail.links.map((l) => (
            <LinkItem key={`${l.kind}:${l.ref}`} link={l} />
          ))}
        </ul>
      )}
      {canWork && (
        <form className="incident-link-form" onSubmit={(e) => void submit(e)}>
          <select
            aria-label="Link a"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value === 'case' ? 'case' : 'tip');
              setRef('');
            }}
            data-testid="incident-link-kind"
          >
            <option value="tip">Tip</option>
            <option value="case">Case number</option>
          </select>
          {kind === 'tip' ? (
            <select
              aria-label="Tip"
              value={ref}
              onChange={(e) => setRef(e.target.value)}
              data-testid="incident-link-ref"
            >
              <option value="">Choose a listed tip…</option>
              {tips.map((t) => (
                <option key={t.id} value={t.id}>
                  {tipsterName(t.alias)} · {preview(t.body, 50)}
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label="Case number"
              value={ref}
              maxLength={64}
              placeholder="e.g. 2026-004512"
              onChange={(e) => setRef(e.target.value)}
              data-testid="incident-link-ref"
            />
          )}
          <button
            type="submit"
            className="btn small"
            disabled={busy !== null || ref.trim() === ''}
            data-testid="incident-link-add"
          >
            Link
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

function CameraViews({ timeZone }: { timeZone?: string }) {
  const views = useIncidentStore((s) => s.views);
  return (
    <section aria-label="Camera views">
      <h4>Camera views</h4>
      {views.length === 0 ? (
        <p className="muted">No camera viewed for this incident yet.</p>
      ) : (
        <ul className="incident-view-list" data-testid="incident-views">
          {views.map((v, n) => (
            <CameraViewLine key={`${v.at}-${v.cameraId}-${n}`} view={v} timeZone={timeZone} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The open incident: what it is, where, how old; its timeline, units, narrative, notes, links and views. */
export function IncidentDetailView() {
  const selectedId = useIncidentStore((s) => s.selectedId);
  const detail = useIncidentStore((s) => s.detail);
  const detailError = useIncidentStore((s) => s.detailError);
  const actionError = useIncidentStore((s) => s.actionError);
  const select = useIncidentStore((s) => s.select);
  const showOnMap = useIncidentStore((s) => s.showOnMap);
  const setTab = useUiStore((s) => s.setTab);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  const now = useNow(1_000);
  if (!selectedId) return <p className="tip-none">Select an incident to open it.</p>;
  if (detailError) return <p className="error-text">{detailError}</p>;
  if (!detail) return <p className="tip-none">Loading the incident…</p>;
  const p = priorityStyle(detail.priority);
  return (
    <article
      className="incident-detail"
      data-testid="incident-detail"
      data-incident-id={detail.id}
      data-status={detail.status}
    >
      <header>
        <h3>
          <span className={`incident-priority ${p.key}`} title={p.word}>
            {p.symbol} {p.short}
          </span>{' '}
          {detail.callType.text} <span className="muted">({detail.callType.code})</span>
        </h3>
        <p className="tip-facts">
          <span data-testid="incident-detail-priority">{p.word}</span> ·{' '}
          <span data-testid="incident-detail-status">{statusText(detail.status)}</span> ·{' '}
          <span className="incident-age" data-testid="incident-detail-age">
            {detail.closedAt
              ? `closed after ${ageText(detail.receivedAt, Date.parse(detail.closedAt))}`
              : `open ${ageText(detail.receivedAt, now)}`}
          </span>{' '}
          · CAD {detail.number}
        </p>
        <p className="tip-facts">
          {detail.address ?? 'No address'}
          {detail.needsPlacement && (
            <span className="needs-placement"> · ⚑ needs placement on the map</span>
          )}
          {detail.outsideJurisdiction && <span> · outside jurisdiction</span>}
          {!detail.worked && <span> · not a call the center works</span>}
        </p>
        <div className="incident-detail-tools">
          {detail.position && (
            <button
              type="button"
              className="btn small"
              onClick={() => {
                showOnMap(detail);
                setTab('map');
              }}
              data-testid="incident-show-on-map"
            >
              ⌖ Show on map
            </button>
          )}
          <button
            type="button"
            className="btn small ghost"
            onClick={() => void select(null)}
            data-testid="incident-detail-close"
          >
            Back to the board
          </button>
        </div>
        <IncidentActions incident={detail} />
      </header>
      {actionError && (
        <p className="error-text" role="alert" data-testid="incident-action-error">
          {actionError}
        </p>
      )}
      <Units detail={detail} />
      <Timeline detail={detail} timeZone={timeZone} />
      <Narrative detail={detail} timeZone={timeZone} />
      <Notes detail={detail} timeZone={timeZone} />
      <Links detail={detail} />
      <CameraViews timeZone={timeZone} />
    </article>
  );
}
