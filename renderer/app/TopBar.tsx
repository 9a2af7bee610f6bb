import { Dropdown } from '../ui/Dropdown';
import { VIEW_REASON_LABELS } from '../../shared/domain/reasons';
import { MAX_IDLE_LOCK_MINUTES } from '../../shared/api/session';
import { useSessionStore } from '../session/sessionStore';
import { useReasonStore } from '../wall/reasonStore';
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

export function TopBar() {
  const agency = useSessionStore((s) => s.agency);
  const session = useSessionStore((s) => s.session);
  const lock = useSessionStore((s) => s.lock);
  const current = useReasonStore((s) => s.memory.current);
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
      <span
        className="assignment"
        data-testid="assignment"
        title="The reason given for the cameras on the wall"
      >
        {current ? (
          <>
            Working: <strong>{VIEW_REASON_LABELS[current.code]}</strong>
            {current.reference ? ` · ${current.reference}` : ''}
          </>
        ) : (
          'No assignment yet'
        )}
      </span>
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
