import { useEffect, useState } from 'react';
import { useSessionStore, permissionsOf } from '../session/sessionStore';
import {
  SHIFT_ENTRY_KINDS,
  SHIFT_ENTRY_KIND_LABELS,
  SHIFT_SUMMARY_LABELS,
  shiftAt,
  shiftInstance,
  timeInShift,
  type ShiftEntryKind,
  type ShiftSummary,
} from '../../shared/domain/shifts';
import { formatIsoDate, parseIsoDate } from '../../shared/time/zonedTime';
import { useShiftStore } from './shiftStore';
import { localTime } from './shiftFormat';

/** The shift log: pick a shift, read what the record says, write what it cannot know. */
export function ShiftPanel() {
  const agency = useSessionStore((s) => s.agency);
  const permissions = useSessionStore(permissionsOf);
  const choice = useShiftStore((s) => s.choice);
  const log = useShiftStore((s) => s.log);
  const error = useShiftStore((s) => s.error);
  const busy = useShiftStore((s) => s.busy);
  const choose = useShiftStore((s) => s.choose);
  const canLog = permissions.includes('shifts.log');
  const canSign = permissions.includes('shifts.signoff');
  const timeZone = agency?.timeZone ?? 'UTC';

  useEffect(() => {
    if (!agency || useShiftStore.getState().choice) return;
    const now = shiftAt(agency.shifts, Date.now(), agency.timeZone);
    void choose({ date: formatIsoDate(now.date), shift: now.shift.name });
  }, [agency, choose]);

  if (!agency) return <p className="muted">Loading the agency's shifts…</p>;
  return (
    <div className="shift-log" data-testid="shift-log">
      <div className="shift-head">
        <h2>Shift log</h2>
        <input
          type="date"
          aria-label="Shift date"
          value={choice?.date ?? ''}
          onChange={(e) =>
            e.target.value &&
            void choose({ date: e.target.value, shift: choice?.shift ?? agency.shifts[0]!.name })
          }
        />
        <select
          aria-label="Shift"
          value={choice?.shift ?? ''}
          onChange={(e) => choice && void choose({ date: choice.date, shift: e.target.value })}
        >
          {agency.shifts.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name} (from {s.start})
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          onClick={() => void useShiftStore.getState().downloadReport()}
        >
          Report (PDF)
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {log && (
        <>
          <p className="muted">
            {localTime(log.startsAt, timeZone)} to {localTime(log.endsAt, timeZone)} ·{' '}
            {log.signedOff
              ? `Signed off by ${log.signedOff.byName} at ${localTime(log.signedOff.at, timeZone)}`
              : 'Not signed off'}
          </p>
          <h3>From the record</h3>
          <table className="shift-summary">
            <tbody>
              {(Object.keys(SHIFT_SUMMARY_LABELS) as (keyof ShiftSummary)[]).map((k) => (
                <tr key={k}>
                  <th scope="row">{SHIFT_SUMMARY_LABELS[k]}</th>
                  <td data-testid={`shift-summary-${k}`}>{log.summary[k]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>On shift</h3>
          <p>
            {log.staff.length === 0
              ? 'Nobody signed in.'
              : log.staff.map((p) => `${p.displayName} (${p.role})`).join(', ')}
          </p>
          <h3>Log</h3>
          <ul className="shift-entries">
            {log.entries.map((e) => (
              <li
                key={e.id}
                className={e.addendum ? 'addendum' : undefined}
                data-testid="shift-entry"
              >
                <span className="muted">
                  {e.addendum
                    ? `Addendum ${localTime(e.writtenAt, timeZone)}`
                    : localTime(e.at, timeZone)}
                </span>{' '}
                <strong>{SHIFT_ENTRY_KIND_LABELS[e.kind]}</strong> · {e.authorName}: {e.text}
              </li>
            ))}
            {log.entries.length === 0 && <li className="muted">No entries yet.</li>}
          </ul>
          {canLog && (
            <EntryForm
              addendum={log.signedOff !== null}
              busy={busy}
              resolveTime={(hhmm) => {
                if (!choice || !hhmm) return undefined;
                const instance = shiftInstance(
                  agency.shifts,
                  parseIsoDate(choice.date),
                  choice.shift,
                  timeZone,
                );
                const [h, m] = hhmm.split(':').map(Number);
                const at = instance && timeInShift(instance, h ?? 0, m ?? 0, timeZone);
                return at ? new Date(at).toISOString() : null;
              }}
            />
          )}
          {canSign && log.signedOff === null && <SignOff busy={busy} />}
        </>
      )}
    </div>
  );
}

function EntryForm(props: {
  addendum: boolean;
  busy: boolean;
  /** The instant of a time of day in this shift; null when outside it. */
  resolveTime: (hhmm: string) => string | null | undefined;
}) {
  const [kind, setKind] = useState<ShiftEntryKind>('notable_event');
  const [text, setText] = useState('');
  const [time, setTime] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    const store = useShiftStore.getState();
    let ok: boolean;
    if (props.addendum) ok = await store.addAddendum({ kind, text });
    else {
      const at = props.resolveTime(time);
      if (at === null) {
        setProblem('That time is not within this shift.');
        return;
      }
      ok = await store.addEntry({ kind, text, ...(at ? { at } : {}) });
    }
    setProblem(null);
    if (ok) {
      setText('');
      setTime('');
    }
  };
  return (
    <form
      className="shift-entry-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{props.addendum ? 'Add an addendum (the shift is signed off)' : 'Add an entry'}</h3>
      <select
        aria-label="Entry kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as ShiftEntryKind)}
      >
        {SHIFT_ENTRY_KINDS.map((k) => (
          <option key={k} value={k}>
            {SHIFT_ENTRY_KIND_LABELS[k]}
          </option>
        ))}
      </select>
      {!props.addendum && (
        <input
          type="time"
          aria-label="When (leave empty for now)"
          value={time}
          onChange={(e) => setTime(e.target.value)}
        />
      )}
      <textarea
        aria-label="Entry text"
        value={text}
        maxLength={4000}
        onChange={(e) => setText(e.target.value)}
      />
      {problem && <p className="error-text">{problem}</p>}
      <button type="submit" className="btn primary" disabled={props.busy || text.trim() === ''}>
        {props.addendum ? 'Add addendum' : 'Add entry'}
      </button>
    </form>
  );
}

function SignOff(props: { busy: boolean }) {
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="shift-signoff">
      <h3>Sign off</h3>
      <textarea
        aria-label="Sign-off note"
        value={note}
        maxLength={4000}
        onChange={(e) => setNote(e.target.value)}
      />
      {confirming ? (
        <>
          <p>Signing off locks the log and its figures; later corrections are addenda.</p>
          <button
            type="button"
            className="btn primary"
            disabled={props.busy}
            onClick={() =>
              void useShiftStore
                .getState()
                .signOff(note)
                .then(() => setConfirming(false))
            }
          >
            Sign off now
          </button>
          <button type="button" className="btn ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="btn" onClick={() => setConfirming(true)}>
          Sign off the shift…
        </button>
      )}
    </div>
  );
}
