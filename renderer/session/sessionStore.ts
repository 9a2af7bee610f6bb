import { create } from 'zustand';

import type { Permission } from '../../shared/domain/roles';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { ConsoleInfo } from '../../shared/api/console';
import type {
  EnrolmentStart,
  PasswordChangeResult,
  SessionState,
  SignInResult,
  UnlockResult,
} from '../../shared/api/session';
import { call, subscribe } from '../app/watchfloor';

export interface SessionStore {
  /** null until the host has answered. */
  readonly session: SessionState | null;
  readonly info: ConsoleInfo | null;
  readonly agency: AgencyConfig | null;
  /** When the idle lock falls, while its warning shows; null otherwise. */
  readonly idleWarningAt: number | null;
  setSession(session: SessionState): void;
  setIdleWarning(at: number | null): void;
  /** Subscribe to the host's session pushes and ask for the current state; returns the unsubscribe. */
  start(): () => void;
  signIn(username: string, password: string, totpCode?: string): Promise<SignInResult>;
  verifyTotp(totpCode: string): Promise<SignInResult>;
  beginEnrolment(enrolmentCode: string): Promise<EnrolmentStart>;
  confirmEnrolment(totpCode: string): Promise<SignInResult>;
  /** Replaces a temporary password at sign-in; the host holds the temporary one. */
  chooseFirstPassword(newPassword: string): Promise<SignInResult>;
  changePassword(currentPassword: string, newPassword: string): Promise<PasswordChangeResult>;
  unlock(password: string): Promise<UnlockResult>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
  setIdleLockMinutes(minutes: number): Promise<string | null>;
  loadAgency(): Promise<void>;
}

const failedSignIn = (message: string): SignInResult => ({ kind: 'failed', message });

export const useSessionStore = create<SessionStore>()((set, get) => ({
  session: null,
  info: null,
  agency: null,
  idleWarningAt: null,

  setSession(session) {
    set({ session });
  },
  setIdleWarning(idleWarningAt) {
    if (get().idleWarningAt !== idleWarningAt) set({ idleWarningAt });
  },

  start() {
    const stop = subscribe('session', (s) => get().setSession(s));
    void call('session.state', {}).then((r) => {
      if (r.ok) get().setSession(r.value);
      else set({ session: { status: 'signed_out', message: r.error.message } });
    });
    void call('console.info', {}).then((r) => {
      if (r.ok) set({ info: r.value });
    });
    return stop;
  },

  async signIn(username, password, totpCode) {
    const r = await call('session.signIn', {
      username,
      password,
      ...(totpCode ? { totpCode } : {}),
    });
    if (!r.ok) return failedSignIn(r.error.issues?.[0]?.message ?? r.error.message);
    if (r.value.kind === 'signed_in') set({ session: r.value.state });
    return r.value;
  },

  async verifyTotp(totpCode) {
    const r = await call('session.verifyTotp', { totpCode });
    if (!r.ok) return failedSignIn(r.error.issues?.[0]?.message ?? r.error.message);
    if (r.value.kind === 'signed_in') set({ session: r.value.state });
    return r.value;
  },

  async beginEnrolment(enrolmentCode) {
    const r = await call('session.beginEnrolment', { enrolmentCode });
    if (!r.ok) {
      return {
        kind: 'failed',
        message: r.error.issues?.[0]?.message ?? r.error.message,
        restart: false,
      };
    }
    return r.value;
  },

  async confirmEnrolment(totpCode) {
    const r = await call('session.confirmEnrolment', { totpCode });
    if (!r.ok) return failedSignIn(r.error.issues?.[0]?.message ?? r.error.message);
    if (r.value.kind === 'signed_in') set({ session: r.value.state });
    return r.value;
  },

  async chooseFirstPassword(newPassword) {
    const r = await call('session.chooseFirstPassword', { newPassword });
    if (!r.ok) return failedSignIn(r.error.issues?.[0]?.message ?? r.error.message);
    if (r.value.kind === 'signed_in') set({ session: r.value.state });
    return r.value;
  },

  async changePassword(currentPassword, newPassword) {
    const r = await call('session.changePassword', { currentPassword, newPassword });
    if (!r.ok) {
      return {
        kind: 'failed',
        message: r.error.issues?.[0]?.message ?? r.error.message,
        field: null,
      };
    }
    return r.value;
  },

  async unlock(password) {
    const r = await call('session.unlock', { password });
    if (!r.ok) return { kind: 'failed', message: r.error.message, attemptsLeft: 0 };
    if (r.value.kind !== 'failed') set({ session: r.value.state });
    return r.value;
  },

  async lock() {
    const r = await call('session.lock', {});
    if (r.ok) set({ session: r.value });
  },

  async signOut() {
    const r = await call('session.signOut', {});
    if (r.ok) set({ session: r.value });
  },

  async setIdleLockMinutes(minutes) {
    const r = await call('session.setIdleLock', { minutes });
    if (!r.ok) return r.error.issues?.[0]?.message ?? r.error.message;
    set({ session: r.value });
    return null;
  },

  async loadAgency() {
    const r = await call('agency.get', {});
    if (r.ok) set({ agency: r.value });
  },
}));

/** The signed-in user's permissions, or none. */
const NO_PERMISSIONS: readonly Permission[] = [];

/** The signed-in user's permissions; the same empty list (not a new one) when nobody is. */
export function permissionsOf(s: SessionStore): readonly Permission[] {
  const session = s.session;
  return session && session.status !== 'signed_out' ? session.user.permissions : NO_PERMISSIONS;
}

export const isSignedIn = (s: SessionStore) =>
  s.session !== null && s.session.status !== 'signed_out';
