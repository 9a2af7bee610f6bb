import { NewUserRequestSchema, type AdminUser, type NewUserRequest } from '../../shared/api/users';
import { ROLES, type Role } from '../../shared/domain/roles';

/** The Users panel's pure logic (docs/users.md): states, filter, the create form, the actions. */

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  analyst: 'Analyst',
  lieutenant: 'Lieutenant',
  officer: 'Officer',
  supervisor: 'Shift supervisor',
  admin: 'Administrator',
};

export type AccountStateKind = 'active' | 'disabled' | 'locked' | 'not_enrolled';

export interface AccountState {
  readonly kind: AccountStateKind;
  readonly label: string;
}

/** "14:32", or "Nov 30, 14:32" when it is not today, in the agency's zone. */
export function shortTime(iso: string, now: number, timeZone?: string): string {
  const zone = timeZone ? { timeZone } : {};
  const day = (t: number) => new Date(t).toLocaleDateString('en-US', zone);
  const time = new Date(iso).toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...zone,
  });
  if (day(Date.parse(iso)) === day(now)) return time;
  const date = new Date(iso).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    ...zone,
  });
  return `${date}, ${time}`;
}

/**
 * What an administrator needs to know first about an account. A disabled account cannot sign
 * in whatever else holds; a lock is next since it is why someone calls; then an account that
 * has never enrolled its authenticator and cannot get past the enrolment step.
 */
export function accountState(u: AdminUser, now: number, timeZone?: string): AccountState {
  if (u.disabled) return { kind: 'disabled', label: 'disabled' };
  if (u.lockedUntil !== null && Date.parse(u.lockedUntil) > now) {
    return { kind: 'locked', label: `locked until ${shortTime(u.lockedUntil, now, timeZone)}` };
  }
  if (!u.totpEnrolled) return { kind: 'not_enrolled', label: 'not enrolled' };
  return { kind: 'active', label: 'active' };
}

export interface UserFilter {
  /** Part of the username or display name, any case. */
  readonly text: string;
  readonly role: Role | 'all';
  readonly state: AccountStateKind | 'all';
}

export const NO_FILTER: UserFilter = { text: '', role: 'all', state: 'all' };

export function filterUsers(
  users: readonly AdminUser[],
  filter: UserFilter,
  now: number,
): AdminUser[] {
  const text = filter.text.trim().toLowerCase();
  return users.filter(
    (u) =>
      (text === '' ||
        u.username.toLowerCase().includes(text) ||
        u.displayName.toLowerCase().includes(text)) &&
      (filter.role === 'all' || u.role === filter.role) &&
      (filter.state === 'all' || accountState(u, now).kind === filter.state),
  );
}

/** Administrators who can still sign in (the server refuses to remove the last of them). */
export function activeAdmins(users: readonly AdminUser[]): number {
  return users.filter((u) => u.role === 'admin' && !u.disabled).length;
}

// ----------------------------------------------------------------------------------------------
// The create form

/** `temporary`: the server makes a password and shows it once; `set`: the administrator types one. */
export type PasswordChoice = 'temporary' | 'set';

export interface NewUserDraft {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordChoice: PasswordChoice;
  readonly password: string;
  readonly repeat: string;
}

export const EMPTY_DRAFT: NewUserDraft = {
  username: '',
  displayName: '',
  role: 'analyst',
  passwordChoice: 'temporary',
  password: '',
  repeat: '',
};

export type FieldErrors = Readonly<Record<string, string>>;

export type DraftCheck =
  | { readonly ok: true; readonly request: NewUserRequest }
  | { readonly ok: false; readonly errors: FieldErrors };

/**
 * The request the form describes, checked with the contract's own schema so the messages are
 * the server's, each beside its field. The server also checks the password against its policy
 * (common and breached passwords); its answer comes back through `errorsFromIssues`.
 */
export function requestFromDraft(draft: NewUserDraft): DraftCheck {
  const candidate = {
    username: draft.username,
    ...(draft.displayName.trim() === '' ? {} : { displayName: draft.displayName }),
    role: draft.role,
    ...(draft.passwordChoice === 'set' ? { password: draft.password } : {}),
  };
  const checked = NewUserRequestSchema.safeParse(candidate);
  const errors: Record<string, string> = {};
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      errors[field] ??= issue.message;
    }
  }
  if (draft.passwordChoice === 'set' && !errors.password && draft.password !== draft.repeat) {
    errors.repeat = 'the two passwords differ';
  }
  // A set password must be given: the schema's "optional" is the temporary choice.
  if (draft.passwordChoice === 'set' && draft.password === '') {
    errors.password = 'type the first password, or let the server make a temporary one';
  }
  if (checked.success && Object.keys(errors).length === 0) {
    return { ok: true, request: checked.data };
  }
  return { ok: false, errors };
}

/** A server's 400 issues ("body.password") by form field, for the messages beside each field. */
export function errorsFromIssues(
  issues: readonly { readonly path: string; readonly message: string }[] | undefined,
): FieldErrors {
  const errors: Record<string, string> = {};
  for (const i of issues ?? []) {
    const field = i.path.replace(/^body\./, '').split('.')[0] || 'form';
    errors[field] ??= i.message;
  }
  return errors;
}

/** The secrets of an account just created or re-enrolled, shown once and then forgotten. */
export interface ShownOnce {
  readonly userId: string;
  readonly username: string;
  readonly why: 'created' | 'reset';
  readonly enrolmentCode: string;
  readonly enrolmentCodeExpiresAt: string;
  readonly temporaryPassword?: string;
}

/** What the administrator copies to hand over: each secret on its own line, with its name. */
export function handOverText(s: ShownOnce): string {
  return [
    `Username: ${s.username}`,
    ...(s.temporaryPassword ? [`Temporary password: ${s.temporaryPassword}`] : []),
    `Enrolment code: ${s.enrolmentCode} (valid until ${s.enrolmentCodeExpiresAt})`,
  ].join('\n');
}

// ----------------------------------------------------------------------------------------------
// Actions on an account

export type UserActionKind =
  'role' | 'disable' | 'enable' | 'unlock' | 'reset_totp' | 'end_sessions';

export interface UserAction {
  readonly kind: UserActionKind;
  readonly label: string;
  /** Said before a destructive action runs; null: runs at once. */
  readonly confirm: string | null;
  /** Why it is not offered now (the server would refuse it), or null. */
  readonly unavailable: string | null;
}

/**
 * The actions on an account as the panel offers them. What the server refuses (one's own role
 * or account, the last active administrator) is shown as unavailable with the reason, so the
 * administrator is not sent to a refusal.
 */
export function actionsFor(
  u: AdminUser,
  selfId: string | null,
  users: readonly AdminUser[],
  now: number,
): UserAction[] {
  const self = u.id === selfId;
  const lastAdmin = u.role === 'admin' && !u.disabled && activeAdmins(users) <= 1;
  const roleBlock = self
    ? 'Your own role is changed by another administrator.'
    : lastAdmin
      ? 'The last active administrator keeps the role: make someone else an administrator first.'
      : null;
  const actions: UserAction[] = [
    {
      kind: 'role',
      label: 'Change role…',
      confirm: `Changing ${u.username}'s role ends their sessions: they sign in again with the new role.`,
      unavailable: roleBlock,
    },
  ];
  if (u.disabled) {
    actions.push({ kind: 'enable', label: 'Enable', confirm: null, unavailable: null });
  } else {
    actions.push({
      kind: 'disable',
      label: 'Disable…',
      confirm: `${u.username} will not be able to sign in, and their sessions end now.`,
      unavailable: self
        ? 'You cannot disable your own account.'
        : lastAdmin
          ? 'The last active administrator cannot be disabled.'
          : null,
    });
  }
  if (accountState(u, now).kind === 'locked') {
    actions.push({ kind: 'unlock', label: 'Unlock', confirm: null, unavailable: null });
  }
  actions.push(
    {
      kind: 'reset_totp',
      label: 'Reset authenticator…',
      confirm:
        `${u.username}'s authenticator app stops working; they enrol a new one at their next ` +
        'sign-in with the code shown here once.',
      unavailable: null,
    },
    {
      kind: 'end_sessions',
      label: 'End sessions…',
      confirm: self
        ? 'This ends your own sessions too, this one included: you will sign in again.'
        : `Every console ${u.username} is signed in to returns to the sign-in now.`,
      unavailable: null,
    },
  );
  return actions;
}

/** The roles a role change may pick: every role but the current one. */
export function otherRoles(current: Role): Role[] {
  return ROLES.filter((r) => r !== current);
}
