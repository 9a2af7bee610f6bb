import { create } from 'zustand';
import type { AdminUser, NewUserRequest } from '../../shared/api/users';
import type { Role } from '../../shared/domain/roles';
import { call } from '../app/watchfloor';
import { errorsFromIssues, type FieldErrors, type ShownOnce } from './userAccounts';

interface UserAdminStore {
  readonly users: readonly AdminUser[];
  /** Whether the panel has read the list: events reload it only then. */
  readonly loaded: boolean;
  readonly error: string | null;
  /** The create form's errors by field, from the server's answer. */
  readonly fieldErrors: FieldErrors;
  /** The last action's outcome, a sentence. */
  readonly notice: string | null;
  /** The secrets of the account just created or re-enrolled: shown once, then gone. */
  readonly shownOnce: ShownOnce | null;
  load(): Promise<void>;
  /** Reloads if the panel has been opened (an event said the list changed). */
  changed(): void;
  create(request: NewUserRequest): Promise<boolean>;
  setRole(user: AdminUser, role: Role): Promise<void>;
  setDisabled(user: AdminUser, disabled: boolean): Promise<void>;
  unlock(user: AdminUser): Promise<void>;
  resetTotp(user: AdminUser): Promise<void>;
  endSessions(user: AdminUser): Promise<void>;
  dismissShownOnce(): void;
}

type Outcome = { ok: true } | { ok: false; error: { message: string } };

/** User accounts, for administrators (docs/users.md). */
export const useUserAdminStore = create<UserAdminStore>()((set, get) => {
  /** Runs an action, says how it went, and reads the list again. */
  async function act(run: Promise<Outcome>, done: string): Promise<boolean> {
    const r = await run;
    set(r.ok ? { notice: done, error: null } : { error: r.error.message, notice: null });
    await get().load();
    return r.ok;
  }

  return {
    users: [],
    loaded: false,
    error: null,
    fieldErrors: {},
    notice: null,
    shownOnce: null,
    async load() {
      const r = await call('users.list', {});
      if (r.ok) set({ users: r.value.users, loaded: true });
      else set({ error: r.error.message });
    },
    changed() {
      if (get().loaded) void get().load();
    },
    async create(request) {
      const r = await call('users.create', request);
      if (!r.ok) {
        set({
          error: r.error.message,
          fieldErrors: errorsFromIssues(r.error.issues),
          notice: null,
        });
        return false;
      }
      const u = r.value;
      set({
        error: null,
        fieldErrors: {},
        notice: null,
        shownOnce: {
          userId: u.id,
          username: u.username,
          why: 'created',
          enrolmentCode: u.enrolmentCode,
          enrolmentCodeExpiresAt: u.enrolmentCodeExpiresAt,
          ...(u.temporaryPassword ? { temporaryPassword: u.temporaryPassword } : {}),
        },
      });
      await get().load();
      return true;
    },
    async setRole(user, role) {
      await act(call('users.update', { id: user.id, role }), `${user.username} is now ${role}.`);
    },
    async setDisabled(user, disabled) {
      await act(
        call('users.update', { id: user.id, disabled }),
        `${user.username} is ${disabled ? 'disabled' : 'enabled'}.`,
      );
    },
    async unlock(user) {
      await act(call('users.unlock', { id: user.id }), `${user.username} is unlocked.`);
    },
    async resetTotp(user) {
      const r = await call('users.resetTotp', { id: user.id });
      if (r.ok) {
        set({
          shownOnce: {
            userId: user.id,
            username: user.username,
            why: 'reset',
            enrolmentCode: r.value.enrolmentCode,
            enrolmentCodeExpiresAt: r.value.enrolmentCodeExpiresAt,
          },
        });
      }
      await act(Promise.resolve(r), `${user.username}'s authenticator is reset.`);
    },
    async endSessions(user) {
      const r = await call('users.endSessions', { id: user.id });
      const n = r.ok ? r.value.sessionsEnded : 0;
      await act(Promise.resolve(r), `${n} session${n === 1 ? '' : 's'} of ${user.username} ended.`);
    },
    dismissShownOnce() {
      set({ shownOnce: null });
    },
  };
});
