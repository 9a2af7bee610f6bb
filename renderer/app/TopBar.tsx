import { useEffect, useMemo, useState } from 'react';
import { Dropdown } from '../ui/Dropdown';
import { VIEW_REASON_LABELS } from '../../shared/domain/reasons';
import { MAX_IDLE_LOCK_MINUTES } from '../../shared/api/session';
import { useSessionStore } from '../session/sessionStore';
import { switchWorkingCase, useReasonStore } from '../wall/reasonStore';
import { useUiStore } from '../ui/uiStore';
import { notify } from '../ui/noticeStore';
import { useFeedStore } from './feedStore';
import { ChangePasswordDialog } from '../session/ChangePasswordDialog';

const IDLE_CHOICES = [5, 10, 15, 20, 30].filter((m) => m <= MAX_IDLE_LOCK_MINUTES);

function FeedLight() {
  const feed = useFeedStore((s) => s.feed);
  const status = feed?.status ?? 'idle';
  const live = status === 'live';
  return (
    <span
      className="status-pill"
      data-testid="feed-status"
      data-status={status}
      title="Live event feed from the RTCC backend"
    >
      <span
        aria-hidden="true"
        style={{ color: live ? 'var(--st-live)' : 'var(--st-reconnecting)' }}
      >
        {live ? '●' : '↻'}
      </span>
      Events {live ? 'live' : status}
    </span>
  );
}

function UserMenu() {
  const session = useSessionStore((s) => s.session);
  const signOut = useSessionStore((s) => s.signOut);
  const setIdle = useSessionStore((s) => s.setIdleLockMinutes);
  const setChangePassword = useUiStore((s) => s.setChangePassword);
  const agencyIdle = useSessionStore(
    (s) => s.agency?.session.idleLockMinutes ?? MAX_IDLE_LOCK_MINUTES,
  );
  if (!session || session.status === 'signed_out') return null;
  // A person may lock sooner than the agency's limit, never later.
  const choices = [...new Set([...IDLE_CHOICES.filter((m) => m < agencyIdle), agencyIdle])];
  const { user } = session;
  return (
    <Dropdown
      testId="user-menu"
      buttonClass="btn small ghost"
      label={
        <>
          {user.displayName} <span style={{ color: 'var(--faint)' }}>· {user.role}</span> ▾
        </>
      }
    >
      {() => (
        <>
          <label className="menu-item" style={{ cursor: 'default' }}>
            <span>Lock after idle</span>
            <select
              value={Math.min(session.idleLockMinutes, agencyIdle)}
              data-testid="idle-lock-minutes"
              onChange={(e) =>
                void setIdle(Number(e.target.value)).then((err) => err && notify('error', err))
              }
            >
              {choices.map((m) => (
                <option key={m} value={m}>
                  {m} min
                </option>
              ))}
            </select>
          </label>
          <div className="empty">
            Shift ends{' '}
            {new Date(session.shiftEndsAt).toLocaleTimeString([], {
              hour: '2-digit',
              minute: '2-digit',
            })}
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => setChangePassword(true)}
            data-testid="change-password"
          >
            Change password…
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => void signOut()}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </>
      )}
    </Dropdown>
  );
}

/** The time in the agency's time zone, to the second: what CAD, radio and reports go by. */
function AgencyClock({ timeZone }: { readonly timeZone: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const format = useMemo(
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }),
    [timeZone],
  );
  return (
    <time
      className="agency-clock"
      dateTime={new Date(now).toISOString()}
      data-testid="agency-clock"
      title={`Agency time (${timeZone})`}
    >
      {format.format(now)}
    </time>
  );
}

/**
 * The working case: the reason and case number that cameras put up now are viewed under, without
 * a dialog. A chip that switches it or ends it (then the next camera asks again).
 */
function WorkingCase() {
  const current = useReasonStore((s) => s.memory.current);
  const endWorking = useReasonStore((s) => s.endWorking);
  return (
    <Dropdown
      testId="assignment"
      buttonClass={`btn small ${current ? 'working-case' : 'ghost'}`}
      label={
        current ? (
          <>
            Working: <strong>{VIEW_REASON_LABELS[current.code]}</strong>
            {current.reference ? ` · ${current.reference}` : ''} ▾
          </>
        ) : (
          <>No working case ▾</>
        )
      }
    >
      {(close) => (
        <>
          <div className="empty">
            {current
              ? 'Cameras you put up are viewed under this case without asking; each view is recorded with it.'
              : 'The next camera you put up asks why, and that becomes your working case.'}
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            data-testid="switch-working-case"
            onClick={() => {
              close();
              void switchWorkingCase();
            }}
          >
            {current ? 'Switch case…' : 'Set a working case…'}
          </button>
          {current && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid="end-working-case"
              onClick={() => {
                endWorking();
                close();
              }}
            >
              End working case
            </button>
          )}
        </>
      )}
    </Dropdown>
  );
}

export function TopBar() {
  const agency = useSessionStore((s) => s.agency);
  const session = useSessionStore((s) => s.session);
  const lock = useSessionStore((s) => s.lock);
  const setHelp = useUiStore((s) => s.setHelp);
  return (
    <header className="topbar">
      <span className="brand">
        Watchfloor<small>{agency?.shortName ?? ''}</small>
      </span>
      {agency?.demo && (
        <span className="demo-badge" title="Everything in this site is synthetic">
          DEMO · synthetic data
        </span>
      )}
      <span className="divider" />
      <FeedLight />
      {session?.status === 'offline' && (
        <span
          className="status-pill"
          role="status"
          data-testid="offline-status"
          style={{ color: 'var(--st-reconnecting)' }}
        >
          ↻ Server unreachable: {session.message}
        </span>
      )}
      <span className="spacer" />
      <WorkingCase />
      {agency && <AgencyClock timeZone={agency.timeZone} />}
      <span className="divider" />
      <UserMenu />
      <button
        type="button"
        className="btn small"
        onClick={() => void lock()}
        data-testid="lock-button"
        title="Lock the console (Ctrl+Shift+L)"
      >
        Lock
      </button>
      <button
        type="button"
        className="btn small"
        onClick={() => setHelp(true)}
        aria-label="Keyboard shortcuts"
        data-testid="help-button"
        title="Keyboard shortcuts (?)"
      >
        ?
      </button>
      <ChangePasswordDialog />
    </header>
  );
}
