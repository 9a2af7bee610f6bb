import { useEffect } from 'react';
import { useSessionStore } from '../session/sessionStore';
import { useOnShiftStore } from './onShiftStore';

const ROLE_LABEL: Readonly<Record<string, string>> = {
  analyst: 'Analyst',
  lieutenant: 'Lieutenant',
  officer: 'Officer',
  supervisor: 'Shift supervisor',
  admin: 'Administrator',
};

/** Local time of day in the agency's zone, e.g. "06:58". */
function timeOfDay(iso: string, timeZone: string | undefined): string {
  return new Date(iso).toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** The people signed in now, so a lieutenant sees who can take work. */
export function OnShiftPanel() {
  const users = useOnShiftStore((s) => s.users);
  const error = useOnShiftStore((s) => s.error);
  const load = useOnShiftStore((s) => s.load);
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  useEffect(() => void load(), [load]);
  return (
    <div className="on-shift" data-testid="on-shift">
      <div className="on-shift-head">
        <h2>On shift now</h2>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {users.length === 0 && !error ? (
        <p>Nobody else is signed in.</p>
      ) : (
        <ul>
          {users.map((u) => (
            <li key={u.userId} data-testid="on-shift-user">
              <strong>{u.displayName}</strong> · {ROLE_LABEL[u.role] ?? u.role}
              <span className="muted"> · since {timeOfDay(u.since, timeZone)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
