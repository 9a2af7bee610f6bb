import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AdminUser } from '../../shared/api/users';
import { ROLES, type Role } from '../../shared/domain/roles';
import { useSessionStore } from '../session/sessionStore';
import {
  accountState,
  actionsFor,
  EMPTY_DRAFT,
  filterUsers,
  handOverText,
  NO_FILTER,
  otherRoles,
  requestFromDraft,
  ROLE_LABELS,
  shortTime,
  type AccountStateKind,
  type FieldErrors,
  type NewUserDraft,
  type ShownOnce,
  type UserAction,
  type UserFilter,
} from './userAccounts';
import { useUserAdminStore } from './userAdminStore';

/** The filter box's id: the panel's shortcut puts the cursor there. */
export const USER_FILTER_ID = 'users-filter';

const STATE_LABELS: Readonly<Record<AccountStateKind, string>> = {
  active: 'Active',
  disabled: 'Disabled',
  locked: 'Locked',
  not_enrolled: 'Not enrolled',
};

function FieldError({ errors, field }: { errors: FieldErrors; field: string }) {
  const message = errors[field];
  return message ? (
    <span className="error-text" role="alert" data-testid={`new-user-error-${field}`}>
      {message}
    </span>
  ) : null;
}

/** The secrets of a new or re-enrolled account, shown this once with a button to copy them. */
function ShownOnceBox({ shown, onDone }: { shown: ShownOnce; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(handOverText(shown))
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <div className="new-key" role="alert" data-testid="user-shown-once">
      <p>
        <strong>Shown only now.</strong>{' '}
        {shown.why === 'created' ? `The account ${shown.username} is created.` : ''} Hand{' '}
        {shown.temporaryPassword ? 'these' : 'this'} to {shown.username} in person: only{' '}
        {shown.temporaryPassword ? 'their hashes are' : 'its hash is'} kept, and nobody can show{' '}
        {shown.temporaryPassword ? 'them' : 'it'} again.
      </p>
      {shown.temporaryPassword && (
        <p>
          Temporary password:{' '}
          <code data-testid="shown-temporary-password">{shown.temporaryPassword}</code>
          <br />
          <span className="hint" data-testid="temporary-password-note">
            It must be changed at first sign-in: after the enrolment, the console asks for a new
            password and opens nothing else until one is chosen.
          </span>
        </p>
      )}
      <p>
        Enrolment code: <code data-testid="shown-enrolment-code">{shown.enrolmentCode}</code>
        <br />
        <span className="hint">
          For their authenticator app at first sign-in; valid until{' '}
          {new Date(shown.enrolmentCodeExpiresAt).toLocaleString()}.
        </span>
      </p>
      <button type="button" className="btn small" onClick={copy} data-testid="user-copy">
        {copied ? 'Copied' : 'Copy'}
      </button>{' '}
      <button type="button" className="btn small" onClick={onDone} data-testid="user-shown-done">
        I have handed it over
      </button>
    </div>
  );
}

/** The new-account form: the contract's messages beside each field. */
function NewUserForm({ onClose }: { onClose: () => void }) {
  const create = useUserAdminStore((s) => s.create);
  const serverErrors = useUserAdminStore((s) => s.fieldErrors);
  const [draft, setDraft] = useState<NewUserDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const shown = { ...serverErrors, ...errors };
  const edit = (patch: Partial<NewUserDraft>) => setDraft({ ...draft, ...patch });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = requestFromDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const ok = await create(checked.request);
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <form
      className="user-form"
      onSubmit={(e) => void submit(e)}
      data-testid="new-user-form"
      noValidate
    >
      <div className="field">
        <label htmlFor="new-user-username">Username</label>
        <input
          id="new-user-username"
          data-testid="new-user-username"
          autoFocus
          autoComplete="off"
          value={draft.username}
          onChange={(e) => edit({ username: e.target.value })}
          aria-invalid={!!shown.username}
        />
        <span className="hint">lower-case letters, digits, dot, dash, underscore</span>
        <FieldError errors={shown} field="username" />
      </div>
      <div className="field">
        <label htmlFor="new-user-display-name">Display name (optional)</label>
        <input
          id="new-user-display-name"
          data-testid="new-user-display-name"
          value={draft.displayName}
          onChange={(e) => edit({ displayName: e.target.value })}
          aria-invalid={!!shown.displayName}
        />
        <FieldError errors={shown} field="displayName" />
      </div>
      <div className="field">
        <label htmlFor="new-user-role">Role</label>
        <select
          id="new-user-role"
          data-testid="new-user-role"
          value={draft.role}
          onChange={(e) => edit({ role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <FieldError errors={shown} field="role" />
      </div>
      <fieldset>
        <legend>First password</legend>
        <label>
          <input
            type="radio"
            name="new-user-password-choice"
            data-testid="new-user-temporary"
            checked={draft.passwordChoice === 'temporary'}
            onChange={() => edit({ passwordChoice: 'temporary' })}
          />{' '}
          The server makes a temporary one, shown once, which must be changed at first sign-in
        </label>
        <label>
          <input
            type="radio"
            name="new-user-password-choice"
            data-testid="new-user-set-password"
            checked={draft.passwordChoice === 'set'}
            onChange={() => edit({ passwordChoice: 'set' })}
          />{' '}
          I type one now
        </label>
        {draft.passwordChoice === 'set' && (
          <>
            <div className="field">
              <label htmlFor="new-user-password">Password</label>
              <input
                id="new-user-password"
                data-testid="new-user-password"
                type="password"
                autoComplete="new-password"
                value={draft.password}
                onChange={(e) => edit({ password: e.target.value })}
                aria-invalid={!!shown.password}
              />
              <FieldError errors={shown} field="password" />
            </div>
            <div className="field">
              <label htmlFor="new-user-repeat">Repeat the password</label>
              <input
                id="new-user-repeat"
                data-testid="new-user-repeat"
                type="password"
                autoComplete="new-password"
                value={draft.repeat}
                onChange={(e) => edit({ repeat: e.target.value })}
                aria-invalid={!!shown.repeat}
              />
              <FieldError errors={shown} field="repeat" />
            </div>
          </>
        )}
        <span className="hint">
          Either way the account gets a one-time enrolment code for its authenticator app.
        </span>
      </fieldset>
      <button type="submit" className="btn small" disabled={busy} data-testid="new-user-submit">
        Create account
      </button>{' '}
      <button type="button" className="btn small ghost" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}

/** The confirmation of one destructive action; Escape cancels it. */
function Confirm({
  user,
  action,
  onDone,
}: {
  user: AdminUser;
  action: UserAction;
  onDone: () => void;
}) {
  const store = useUserAdminStore.getState;
  const [role, setRole] = useState<Role>(otherRoles(user.role)[0]!);
  const run = () => {
    onDone();
    const s = store();
    if (action.kind === 'role') void s.setRole(user, role);
    else if (action.kind === 'disable') void s.setDisabled(user, true);
    else if (action.kind === 'reset_totp') void s.resetTotp(user);
    else if (action.kind === 'end_sessions') void s.endSessions(user);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onDone();
    }
  };
  return (
    <div
      className="user-confirm"
      role="group"
      aria-label={action.label}
      onKeyDown={onKeyDown}
      data-testid="user-confirm"
    >
      <p>{action.confirm}</p>
      {action.kind === 'role' && (
        <select
          aria-label="New role"
          data-testid="user-new-role"
          autoFocus
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {otherRoles(user.role).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      )}{' '}
      <button type="button" className="btn small" onClick={run} data-testid="user-confirm-yes">
        {action.label.replace('…', '')}
      </button>{' '}
      <button
        type="button"
        className="btn small ghost"
        onClick={onDone}
        autoFocus={action.kind !== 'role'}
        data-testid="user-confirm-no"
      >
        Cancel
      </button>
    </div>
  );
}

function UserRow({
  user,
  users,
  selfId,
  now,
  timeZone,
}: {
  user: AdminUser;
  users: readonly AdminUser[];
  selfId: string | null;
  now: number;
  timeZone: string | undefined;
}) {
  const [pending, setPending] = useState<UserAction | null>(null);
  const state = accountState(user, now, timeZone);
  const actions = actionsFor(user, selfId, users, now);
  const runAtOnce = (a: UserAction) => {
    const s = useUserAdminStore.getState();
    if (a.kind === 'enable') void s.setDisabled(user, false);
    else if (a.kind === 'unlock') void s.unlock(user);
  };
  return (
    <li data-testid="user-row" data-username={user.username} data-state={state.kind}>
      <div>
        <strong>{user.displayName}</strong> <span className="muted">{user.username}</span>
        {user.id === selfId && <span className="muted"> (you)</span>}
      </div>
      <div className="muted">
        {ROLE_LABELS[user.role]} ·{' '}
        <span className={`user-state user-state-${state.kind}`} data-testid="user-state">
          {state.label}
        </span>{' '}
        · last sign-in {user.lastSignInAt ? shortTime(user.lastSignInAt, now, timeZone) : 'never'}
      </div>
      {pending ? (
        <Confirm user={user} action={pending} onDone={() => setPending(null)} />
      ) : (
        <div className="user-actions">
          {actions.map((a) => (
            <button
              key={a.kind}
              type="button"
              className="btn small"
              data-testid={`user-action-${a.kind}`}
              disabled={a.unavailable !== null}
              title={a.unavailable ?? undefined}
              onClick={() => (a.confirm === null ? runAtOnce(a) : setPending(a))}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}

/** User accounts for administrators: who can sign in, as what, and the actions on each. */
export function UsersPanel() {
  const users = useUserAdminStore((s) => s.users);
  const error = useUserAdminStore((s) => s.error);
  const notice = useUserAdminStore((s) => s.notice);
  const shownOnce = useUserAdminStore((s) => s.shownOnce);
  const load = useUserAdminStore((s) => s.load);
  const dismiss = useUserAdminStore((s) => s.dismissShownOnce);
  const selfId = useSessionStore((s) =>
    s.session && s.session.status !== 'signed_out' ? s.session.user.id : null,
  );
  const timeZone = useSessionStore((s) => s.agency?.timeZone);
  const [filter, setFilter] = useState<UserFilter>(NO_FILTER);
  const [creating, setCreating] = useState(false);
  useEffect(() => void load(), [load]);
  const now = Date.now();
  const shown = filterUsers(users, filter, now);

  return (
    <section className="users-admin" data-testid="users-panel">
      <h2>Users</h2>
      <p className="hint">
        Accounts, roles and sign-in problems; every action is audited (docs/users.md).
      </p>
      {shownOnce && <ShownOnceBox shown={shownOnce} onDone={dismiss} />}
      {creating ? (
        <NewUserForm onClose={() => setCreating(false)} />
      ) : (
        <button
          type="button"
          className="btn small"
          onClick={() => setCreating(true)}
          data-testid="new-user"
        >
          New user…
        </button>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="users-error">
          {error}
        </p>
      )}
      {notice && (
        <p className="muted" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      <div className="user-filter">
        <input
          id={USER_FILTER_ID}
          aria-label="Filter by name"
          placeholder="Filter by name"
          data-testid="users-filter"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select
          aria-label="Role"
          value={filter.role}
          onChange={(e) => setFilter({ ...filter, role: e.target.value as UserFilter['role'] })}
        >
          <option value="all">Every role</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <select
          aria-label="State"
          data-testid="users-state-filter"
          value={filter.state}
          onChange={(e) => setFilter({ ...filter, state: e.target.value as UserFilter['state'] })}
        >
          <option value="all">Every state</option>
          {(Object.keys(STATE_LABELS) as AccountStateKind[]).map((k) => (
            <option key={k} value={k}>
              {STATE_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <p className="muted">
        {shown.length} of {users.length} accounts
      </p>
      <ul className="user-list">
        {shown.map((u) => (
          <UserRow
            key={u.id}
            user={u}
            users={users}
            selfId={selfId}
            now={now}
            timeZone={timeZone}
          />
        ))}
      </ul>
    </section>
  );
}
