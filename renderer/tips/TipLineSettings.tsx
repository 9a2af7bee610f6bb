import { useEffect, useState, type FormEvent } from 'react';
import type { TipLineSettings } from '../../shared/domain/tips';
import { WEEKDAYS, type ScheduleWindow, type Weekday } from '../../shared/domain/sharingPolicy';
import { describeWindow } from '../../shared/policy/describeSharingPolicy';
import { useTipLineStore } from './tipLineStore';

const DAY_LABELS: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

const TEXTS: readonly { key: keyof TipLineSettings['texts']; label: string; hint: string }[] = [
  {
    key: 'acknowledgement',
    label: 'Acknowledgement (first message, staffed hours)',
    hint: '{alias} is replaced by the conversation’s alias, e.g. K7Q2, so the tipster can quote it.',
  },
  {
    key: 'closed',
    label: 'Not monitored (first message, outside staffed hours)',
    hint: 'Say that the line is not watched now, that emergencies go to 911, and where else tips can go.',
  },
  {
    key: 'help',
    label: 'Answer to HELP',
    hint: 'The line’s purpose, 911, and how to stop messages.',
  },
  {
    key: 'resumed',
    label: 'Answer to START after STOP',
    hint: 'Replies will reach the tipster again.',
  },
];

function FieldError({ errors, path }: { errors: Readonly<Record<string, string>>; path: string }) {
  const message = errors[path];
  return message ? (
    <span className="error-text" role="alert" data-testid={`tip-line-error-${path}`}>
      {message}
    </span>
  ) : null;
}

/** The tip line's staffed hours, holidays and automatic texts (administrators). */
export function TipLineSettingsPanel() {
  const saved = useTipLineStore((s) => s.settings);
  const staffedNow = useTipLineStore((s) => s.staffedNow);
  const configured = useTipLineStore((s) => s.configured);
  const error = useTipLineStore((s) => s.error);
  const errors = useTipLineStore((s) => s.fieldErrors);
  const saving = useTipLineStore((s) => s.saving);
  const savedAt = useTipLineStore((s) => s.savedAt);
  const load = useTipLineStore((s) => s.load);
  const save = useTipLineStore((s) => s.save);
  const [draft, setDraft] = useState<TipLineSettings | null>(saved);
  const [newHoliday, setNewHoliday] = useState('');

  useEffect(() => void load(), [load]);
  useEffect(() => setDraft(saved), [saved]);

  if (!draft) {
    return <p className="tip-none">{error ?? 'Loading the tip line’s settings…'}</p>;
  }
  const setWindow = (i: number, patch: Partial<ScheduleWindow>) =>
    setDraft({
      ...draft,
      staffed: draft.staffed.map((w, j) => (j === i ? { ...w, ...patch } : w)),
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(draft);
  };

  return (
    <form className="tip-line" onSubmit={submit} data-testid="tip-line-settings">
      <p className="tip-line-status" data-testid="tip-line-status">
        {staffedNow === null ? '' : staffedNow ? '● Staffed now' : '○ Not staffed now'}
        {' · '}
        {configured === null
          ? ''
          : configured
            ? '✓ SMS provider configured'
            : '✕ SMS provider not configured (WF_TWILIO_ACCOUNT_SID, WF_TWILIO_AUTH_TOKEN)'}
      </p>

      <fieldset>
        <legend>Staffed hours (agency time zone)</legend>
        {draft.staffed.map((w, i) => (
          <div key={i} className="window-row" data-testid="tip-line-window">
            <span className="window-days" role="group" aria-label="Days">
              {WEEKDAYS.map((d) => (
                <label key={d}>
                  <input
                    type="checkbox"
                    checked={w.days.includes(d)}
                    onChange={(e) =>
                      setWindow(i, {
                        days: e.target.checked
                          ? WEEKDAYS.filter((x) => x === d || w.days.includes(x))
                          : w.days.filter((x) => x !== d),
                      })
                    }
                  />
                  {DAY_LABELS[d]}
                </label>
              ))}
            </span>
            <input
              aria-label="From"
              value={w.start}
              onChange={(e) => setWindow(i, { start: e.target.value })}
              placeholder="08:00"
              size={5}
              aria-invalid={!!errors[`staffed.${i}.start`]}
            />
            –
            <input
              aria-label="Until"
              value={w.end}
              onChange={(e) => setWindow(i, { end: e.target.value })}
              placeholder="17:00"
              size={5}
              aria-invalid={!!errors[`staffed.${i}.end`]}
            />
            <button
              type="button"
              className="btn small ghost"
              onClick={() =>
                setDraft({ ...draft, staffed: draft.staffed.filter((_, j) => j !== i) })
              }
              aria-label={`Remove ${describeWindow(w)}`}
            >
              ✕
            </button>
            <FieldError errors={errors} path={`staffed.${i}.start`} />
            <FieldError errors={errors} path={`staffed.${i}.end`} />
            <FieldError errors={errors} path={`staffed.${i}.days`} />
          </div>
        ))}
        <button
          type="button"
          className="btn small"
          onClick={() =>
            setDraft({
              ...draft,
              staffed: [
                ...draft.staffed,
                { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' },
              ],
            })
          }
          data-testid="tip-line-add-window"
        >
          + Add a window
        </button>
        <FieldError errors={errors} path="staffed" />
        <span className="hint">
          Times as HH:MM; a window whose end is at or before its start runs past midnight.
        </span>
      </fieldset>

      <fieldset>
        <legend>Holidays (not staffed whatever the weekly hours say)</legend>
        <ul className="holidays">
          {draft.holidays.map((d, i) => (
            <li key={d + i}>
              {d}{' '}
              <button
                type="button"
                className="btn small ghost"
                aria-label={`Remove ${d}`}
                onClick={() =>
                  setDraft({ ...draft, holidays: draft.holidays.filter((_, j) => j !== i) })
                }
              >
                ✕
              </button>
              <FieldError errors={errors} path={`holidays.${i}`} />
            </li>
          ))}
        </ul>
        <input
          type="date"
          aria-label="Holiday"
          value={newHoliday}
          onChange={(e) => setNewHoliday(e.target.value)}
        />
        <button
          type="button"
          className="btn small"
          disabled={!newHoliday || draft.holidays.includes(newHoliday)}
          onClick={() => {
            setDraft({ ...draft, holidays: [...draft.holidays, newHoliday].sort() });
            setNewHoliday('');
          }}
        >
          + Add holiday
        </button>
      </fieldset>

      <fieldset>
        <legend>Automatic texts (at most 480 characters each)</legend>
        {TEXTS.map((t) => (
          <div className="field" key={t.key}>
            <label htmlFor={`tip-line-${t.key}`}>{t.label}</label>
            <textarea
              id={`tip-line-${t.key}`}
              rows={3}
              maxLength={480}
              value={draft.texts[t.key]}
              onChange={(e) =>
                setDraft({ ...draft, texts: { ...draft.texts, [t.key]: e.target.value } })
              }
              aria-invalid={!!errors[`texts.${t.key}`]}
              data-testid={`tip-line-text-${t.key}`}
            />
            <span className="hint">
              {t.hint} {draft.texts[t.key].length} / 480
            </span>
            <FieldError errors={errors} path={`texts.${t.key}`} />
          </div>
        ))}
      </fieldset>

      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={() => setDraft(saved)} disabled={saving}>
          Undo changes
        </button>
        <button type="submit" className="btn primary" disabled={saving} data-testid="tip-line-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        {savedAt && !error && <span className="hint">✓ Saved</span>}
      </div>
    </form>
  );
}
