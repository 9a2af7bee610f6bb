import pino, { type Logger } from 'pino';
import { z } from 'zod';
import {
  AUTH_ERROR_CODES,
  ChangePasswordReplySchema,
  LoginReplySchema,
  RefreshReplySchema,
  SignedInUserSchema,
  TotpEnrollReplySchema,
  type LoginReply,
  type SignedInUser,
} from '../../../shared/api/auth';
import { ApiErrorSchema } from '../../../shared/api/errors';
import type {
  EnrolmentStart,
  LockReason,
  PasswordChangeResult,
  SessionState,
  SignInResult,
  UnlockResult,
} from '../../../shared/api/watchfloorApi';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import { HostCallError } from '../console/hostCallError';
import {
  ServerUnreachableError,
  type ServerHttp,
  type ServerReply,
} from '../serverLink/serverHttp';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { systemHostClock, type HostClock } from './hostClock';
import { IdleLock } from './idleLock';
import type { SecretStore } from './secretStore';
import {
  UnlockVerifierSchema,
  checkUnlockPassword,
  makeUnlockVerifier,
  type UnlockVerifier,
} from './unlockVerifier';

/** What survives a restart (encrypted on disk in Electron, memory only on the web host). */
const PersistedSessionSchema = z.object({
  version: z.literal(1),
  user: SignedInUserSchema,
  sessionId: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
  verifier: UnlockVerifierSchema,
  idleLockMinutes: z.number(),
});

interface Tokens {
  readonly access: string;
  /** 0 when there is no access token yet (after a restart). */
  readonly accessExpiresAt: number;
  readonly refresh: string;
  readonly refreshExpiresAt: number;
  readonly sessionId: string;
}

interface Offline {
  readonly attempt: number;
  /** null while a retry is under way. */
  readonly retryAt: number | null;
  readonly message: string;
}

interface SignedIn {
  readonly user: SignedInUser;
  tokens: Tokens;
  /** Replaced when the person changes their password. */
  verifier: UnlockVerifier;
  locked: LockReason | null;
  offline: Offline | null;
  failedUnlocks: number;
}

interface PendingTotp {
  readonly username: string;
  readonly password: string;
  readonly expiresAt: number;
}

/**
 * A sign-in whose password was right for an account with no authenticator yet: the server's
 * session that may only enrol. Kept apart from `current`, so nothing else can use it.
 */
interface PendingEnrolment {
  readonly password: string;
  tokens: Tokens;
}

export interface BackendSessionOptions {
  readonly server: ServerHttp;
  readonly store: SecretStore;
  readonly clock?: HostClock;
  readonly logger?: Logger;
  /** At most 30; a console may lock sooner. */
  readonly idleLockMinutes?: number;
  /** Policy: whether the wall keeps playing behind the lock screen. */
  readonly wallPlaysWhenLocked?: boolean;
  /** Refresh the access token this long before it expires. */
  readonly refreshMarginMs?: number;
  readonly backoff?: BackoffPolicy;
  /** While the person is active, make sure the server hears from the console this often. */
  readonly keepAliveMs?: number;
}

/** Wrong unlock passwords before the console signs out altogether. */
export const MAX_UNLOCK_FAILURES = 5;
/** How long a sign-in waits for its authenticator code. */
const PENDING_TOTP_MS = 5 * 60_000;

const permissionsOf = (user: SignedInUser) => [...ROLE_PERMISSIONS[user.role]];

function messageOf(body: unknown, fallback: string): string {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.message : fallback;
}

function codeOf(body: unknown): string | undefined {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
}

/**
 * The console's one session with the RTCC server. It signs in (with the authenticator code when
 * the account has one), keeps the access token fresh, keeps the refresh token to itself, goes
 * offline and back with backoff when the server is unreachable, and locks after inactivity.
 *
 * No token ever leaves this object except as the Authorization header of a request it sends (or
 * that the event feed sends with `bearer()`): the session state it reports has none.
 */
export class BackendSession {
  private readonly server: ServerHttp;
  private readonly store: SecretStore;
  private readonly clock: HostClock;
  private readonly log: Logger;
  private readonly wallPlaysWhenLocked: boolean;
  private readonly refreshMarginMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly keepAliveMs: number;
  private readonly idle: IdleLock;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private current: SignedIn | null = null;
  private signedOutMessage: string | null = null;
  private pendingTotp: PendingTotp | null = null;
  private pendingEnrolment: PendingEnrolment | null = null;
  private refreshing: Promise<void> | null = null;
  private lastEmitted = '';
  private lastServerContactAt = 0;
  private activeSinceContact = false;
  private ticking = false;

  constructor(options: BackendSessionOptions) {
    this.server = options.server;
    this.store = options.store;
    this.clock = options.clock ?? systemHostClock;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'session' });
    this.wallPlaysWhenLocked = options.wallPlaysWhenLocked ?? false;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.keepAliveMs = options.keepAliveMs ?? 5 * 60_000;
    this.idle = new IdleLock(this.clock.now(), options.idleLockMinutes);
  }

  // ------------------------------------------------------------------------------------------
  // State

  state(): SessionState {
    const s = this.current;
    if (!s) return { status: 'signed_out', message: this.signedOutMessage };
    const common = {
      user: { ...s.user, permissions: permissionsOf(s.user) },
      shiftEndsAt: new Date(s.tokens.refreshExpiresAt).toISOString(),
      idleLockMinutes: this.idle.idleMinutes,
      wallPlaysWhenLocked: this.wallPlaysWhenLocked,
    };
    if (s.locked) return { status: 'locked', reason: s.locked, ...common };
    if (s.offline) {
      return {
        status: 'offline',
        ...common,
        attempt: s.offline.attempt,
        retryAt: s.offline.retryAt === null ? null : new Date(s.offline.retryAt).toISOString(),
        message: s.offline.message,
      };
    }
    return { status: 'active', ...common };
  }

  /** Called with every change of state(); returns the function that stops it. */
  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get signedIn(): boolean {
    return this.current !== null;
  }

  get locked(): boolean {
    return this.current?.locked != null;
  }

  get sessionId(): string | null {
    return this.current?.tokens.sessionId ?? null;
  }

  get userId(): string | null {
    return this.current?.user.id ?? null;
  }

  get playsWhenLocked(): boolean {
    return this.wallPlaysWhenLocked;
  }

  private emit(): void {
    const state = this.state();
    const key = JSON.stringify(state);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch (err) {
        this.log.error({ err }, 'a session listener failed');
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Sign-in, unlock, sign-out

  /** Picks up a session kept from before a restart: it starts locked, so only the unlock is needed. */
  async restore(): Promise<SessionState> {
    const raw = await this.store.load();
    if (!raw || this.current) return this.state();
    let kept: z.infer<typeof PersistedSessionSchema>;
    try {
      kept = PersistedSessionSchema.parse(JSON.parse(raw));
    } catch {
      await this.store.clear();
      return this.state();
    }
    const refreshExpiresAt = Date.parse(kept.refreshTokenExpiresAt);
    if (!(refreshExpiresAt > this.clock.now())) {
      await this.store.clear();
      this.signedOutMessage = 'The session reached the end of its shift: sign in again.';
      this.emit();
      return this.state();
    }
    this.idle.setMinutes(kept.idleLockMinutes);
    this.current = {
      user: kept.user,
      tokens: {
        access: '',
        accessExpiresAt: 0,
        refresh: kept.refreshToken,
        refreshExpiresAt,
        sessionId: kept.sessionId,
      },
      verifier: kept.verifier,
      locked: 'restart',
      offline: null,
      failedUnlocks: 0,
    };
    this.emit();
    return this.state();
  }

  async signIn(args: {
    readonly username: string;
    readonly password: string;
    readonly totpCode?: string | undefined;
  }): Promise<SignInResult> {
    this.pendingTotp = null;
    this.pendingEnrolment = null;
    let reply: ServerReply;
    try {
      reply = await this.server.request('POST', '/v1/auth/login', {
        body: {
          username: args.username,
          password: args.password,
          ...(args.totpCode ? { totpCode: args.totpCode } : {}),
        },
      });
    } catch (err) {
      return { kind: 'failed', message: unreachableMessage(err) };
    }
    if (reply.status === 401 && codeOf(reply.body) === AUTH_ERROR_CODES.totpRequired) {
      this.pendingTotp = {
        username: args.username,
        password: args.password,
        expiresAt: this.clock.now() + PENDING_TOTP_MS,
      };
      return {
        kind: 'totp_required',
        message: messageOf(reply.body, 'Enter the 6-digit code from your authenticator app.'),
      };
    }
    if (reply.status !== 200) {
      return { kind: 'failed', message: messageOf(reply.body, 'Sign-in failed.') };
    }
    const login = LoginReplySchema.parse(reply.body);
    if (login.stage === 'enrolment') {
      if (this.current) await this.signOut(null);
      this.pendingEnrolment = { password: args.password, tokens: tokensOf(login) };
      return {
        kind: 'enrolment_required',
        message:
          'Your account needs an authenticator app before first use. Enter the enrolment code ' +
          'your administrator gave you.',
      };
    }
    return this.establish(login, args.password);
  }

  /** A complete sign-in (password and code, or a confirmed enrolment) becomes the session. */
  private async establish(login: LoginReply, password: string): Promise<SignInResult> {
    if (this.current) await this.signOut(null);
    this.current = {
      user: login.user,
      tokens: tokensOf(login),
      verifier: await makeUnlockVerifier(password),
      locked: null,
      offline: null,
      failedUnlocks: 0,
    };
    this.signedOutMessage = null;
    this.idle.activity(this.clock.now());
    this.contacted();
    await this.persist();
    this.log.info({ userId: login.user.id }, 'signed in');
    this.emit();
    return { kind: 'signed_in', state: this.state() };
  }

  /** Completes a sign-in that answered totp_required, with the code alone. */
  async verifyTotp(totpCode: string): Promise<SignInResult> {
    const pending = this.pendingTotp;
    if (!pending || pending.expiresAt < this.clock.now()) {
      this.pendingTotp = null;
      return { kind: 'failed', message: 'Enter your username and password again.' };
    }
    const result = await this.signIn({ ...pending, totpCode });
    // A wrong code keeps the pending sign-in, so the person can try the next code.
    if (result.kind === 'failed' && !this.current) this.pendingTotp = pending;
    return result;
  }

  /** The enrolment step: the administrator's code in, the secret to scan out. */
  async beginEnrolment(enrolmentCode: string): Promise<EnrolmentStart> {
    const reply = await this.enrolmentRequest('/v1/auth/totp/enroll', { enrolmentCode });
    if ('kind' in reply) return reply;
    if (reply.status === 200) {
      const start = TotpEnrollReplySchema.parse(reply.body);
      return { kind: 'scan', secret: start.secret, otpauthUri: start.otpauthUri };
    }
    return {
      kind: 'failed',
      message: messageOf(reply.body, 'The enrolment could not start.'),
      restart: false,
    };
  }

  /** A code from the newly set-up app confirms it, and the sign-in completes. */
  async confirmEnrolment(totpCode: string): Promise<SignInResult> {
    const pending = this.pendingEnrolment;
    const reply = await this.enrolmentRequest('/v1/auth/totp/confirm', { code: totpCode });
    if ('kind' in reply) return { kind: 'failed', message: reply.message };
    if (reply.status !== 200 || !pending) {
      return { kind: 'failed', message: messageOf(reply.body, 'That code was not accepted.') };
    }
    this.pendingEnrolment = null;
    return this.establish(LoginReplySchema.parse(reply.body), pending.password);
  }

  /**
   * A request of the enrolment step, with the enrolment-only session's token (renewed when it is
   * due). An ended enrolment session is a `failed` outcome that asks to sign in again.
   */
  private async enrolmentRequest(
    path: string,
    body: unknown,
  ): Promise<ServerReply | Extract<EnrolmentStart, { kind: 'failed' }>> {
    const pending = this.pendingEnrolment;
    const restart = (message: string) => {
      this.pendingEnrolment = null;
      return { kind: 'failed' as const, message, restart: true };
    };
    if (!pending) return restart('Sign in with your username and password first.');
    try {
      if (pending.tokens.accessExpiresAt - this.refreshMarginMs <= this.clock.now()) {
        const renewed = await this.server.request('POST', '/v1/auth/refresh', {
          body: { refreshToken: pending.tokens.refresh },
        });
        if (renewed.status !== 200) {
          return restart(messageOf(renewed.body, 'The enrolment timed out: sign in again.'));
        }
        const next = RefreshReplySchema.parse(renewed.body);
        pending.tokens = tokensOf(next);
      }
      const reply = await this.server.request('POST', path, {
        body,
        bearer: pending.tokens.access,
      });
      if (reply.status === 401) {
        return restart(messageOf(reply.body, 'The enrolment timed out: sign in again.'));
      }
      return reply;
    } catch (err) {
      return { kind: 'failed', message: unreachableMessage(err), restart: false };
    }
  }

  /**
   * The person changes their password: the server checks the current one and ends their other
   * sessions; this console keeps going and unlocks with the new password from now on.
   */
  async changePassword(args: {
    readonly currentPassword: string;
    readonly newPassword: string;
  }): Promise<PasswordChangeResult> {
    const reply = await this.request('POST', '/v1/auth/password', { body: args });
    if (reply.status === 200) {
      const changed = ChangePasswordReplySchema.parse(reply.body);
      const s = this.current;
      if (s) {
        s.verifier = await makeUnlockVerifier(args.newPassword);
        await this.persist();
      }
      this.log.info({ otherSessionsEnded: changed.otherSessionsEnded }, 'password changed');
      return { kind: 'changed', otherSessionsEnded: changed.otherSessionsEnded };
    }
    const parsed = ApiErrorSchema.safeParse(reply.body);
    const path = parsed.success ? parsed.data.issues?.[0]?.path : undefined;
    const field =
      path === 'body.currentPassword'
        ? 'currentPassword'
        : path === 'body.newPassword'
          ? 'newPassword'
          : null;
    return {
      kind: 'failed',
      message: messageOf(reply.body, 'The password could not be changed.'),
      field,
    };
  }

  async unlock(password: string): Promise<UnlockResult> {
    const s = this.current;
    if (!s) return { kind: 'signed_out', state: this.state() };
    if (!s.locked) return { kind: 'unlocked', state: this.state() };
    if (!(await checkUnlockPassword(s.verifier, password))) {
      s.failedUnlocks += 1;
      const attemptsLeft = MAX_UNLOCK_FAILURES - s.failedUnlocks;
      if (attemptsLeft <= 0) {
        await this.signOut('Too many wrong passwords: sign in again.');
        return { kind: 'signed_out', state: this.state() };
      }
      return { kind: 'failed', message: 'That password is not right.', attemptsLeft };
    }
    s.failedUnlocks = 0;
    s.locked = null;
    this.idle.activity(this.clock.now());
    this.activeSinceContact = true;
    if (!s.offline && s.tokens.accessExpiresAt <= this.clock.now() + this.refreshMarginMs) {
      try {
        await this.refresh();
      } catch (err) {
        if (!(err instanceof HostCallError) || err.code !== 'offline') {
          if (!this.current) return { kind: 'signed_out', state: this.state() };
        }
      }
    }
    this.emit();
    return { kind: 'unlocked', state: this.state() };
  }

  lock(reason: LockReason): SessionState {
    if (this.current && !this.current.locked) {
      this.current.locked = reason;
      this.emit();
    }
    return this.state();
  }

  /** Ends the session here and, when reachable, on the server. */
  async signOut(message: string | null = null): Promise<SessionState> {
    const s = this.current;
    this.pendingTotp = null;
    const enrolling = this.pendingEnrolment;
    this.pendingEnrolment = null;
    if (enrolling && enrolling.tokens.accessExpiresAt > this.clock.now()) {
      await this.server
        .request('POST', '/v1/auth/logout', { bearer: enrolling.tokens.access })
        .catch(() => undefined);
    }
    if (s) {
      this.current = null;
      if (s.tokens.access && s.tokens.accessExpiresAt > this.clock.now()) {
        await this.server
          .request('POST', '/v1/auth/logout', { bearer: s.tokens.access })
          .catch(() => undefined);
      } else {
        // No live access token: spending the refresh token ends nothing, so the server's idle
        // and shift limits end the session instead.
      }
      await this.store.clear();
    }
    this.signedOutMessage = message;
    this.emit();
    return this.state();
  }

  /** The server says the session is over (revoked elsewhere, idle, end of shift). */
  async ended(message: string): Promise<void> {
    if (!this.current) return;
    this.current = null;
    this.pendingTotp = null;
    await this.store.clear();
    this.signedOutMessage = message;
    this.log.info({ message }, 'session ended by the server');
    this.emit();
  }

  activity(): { readonly idleLockAt: string | null } {
    if (this.current && !this.current.locked) {
      this.idle.activity(this.clock.now());
      this.activeSinceContact = true;
    }
    return { idleLockAt: this.current ? new Date(this.idle.lockAt()).toISOString() : null };
  }

  setIdleLock(minutes: number): SessionState {
    this.idle.setMinutes(minutes);
    void this.persist();
    this.emit();
    return this.state();
  }

  // ------------------------------------------------------------------------------------------
  // Requests

  /**
   * An authenticated request to the server. Refreshes the access token when it is due, and once
   * more if the server answers 401; a second 401 means the session is over. Throws HostCallError
   * with `signed_out`, `locked` or `offline`; any other status is the caller's to read.
   */
  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { readonly body?: unknown; readonly allowLocked?: boolean } = {},
  ): Promise<ServerReply> {
    this.requireUsable(options.allowLocked ?? false);
    const send = async (): Promise<ServerReply> => {
      const bearer = await this.bearer();
      try {
        return await this.server.request(method, path, { body: options.body, bearer });
      } catch (err) {
        throw this.wentOffline(err);
      }
    };
    let reply = await send();
    if (reply.status === 401) {
      await this.refresh();
      reply = await send();
      if (reply.status === 401) {
        await this.ended(messageOf(reply.body, 'The session has ended: sign in again.'));
        throw new HostCallError('signed_out', this.signedOutMessage ?? 'Sign in again.');
      }
    }
    this.contacted();
    return reply;
  }

  /** A current access token, for the event feed's WebSocket. Never passed to the renderer. */
  async bearer(): Promise<string> {
    const s = this.current;
    if (!s) throw new HostCallError('signed_out', 'Sign in first.');
    if (s.tokens.accessExpiresAt - this.refreshMarginMs <= this.clock.now()) await this.refresh();
    const token = this.current?.tokens.access;
    if (!token) throw new HostCallError('signed_out', 'Sign in first.');
    return token;
  }

  private requireUsable(allowLocked: boolean): void {
    const s = this.current;
    if (!s) throw new HostCallError('signed_out', this.signedOutMessage ?? 'Sign in first.');
    if (s.locked && !allowLocked) {
      throw new HostCallError('locked', 'The console is locked: unlock it first.');
    }
    if (s.offline) throw new HostCallError('offline', s.offline.message);
  }

  /** Swaps the refresh token for a new pair; one swap at a time, however many callers wait. */
  private refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const s = this.current;
    if (!s) throw new HostCallError('signed_out', 'Sign in first.');
    let reply: ServerReply;
    try {
      reply = await this.server.request('POST', '/v1/auth/refresh', {
        body: { refreshToken: s.tokens.refresh },
      });
    } catch (err) {
      throw this.wentOffline(err);
    }
    if (this.current !== s) throw new HostCallError('signed_out', 'Sign in first.');
    if (reply.status === 401 || reply.status === 400) {
      await this.ended(messageOf(reply.body, 'The session has ended: sign in again.'));
      throw new HostCallError('signed_out', this.signedOutMessage ?? 'Sign in again.');
    }
    if (reply.status !== 200) {
      throw new HostCallError('failed', messageOf(reply.body, 'The session could not be renewed.'));
    }
    const next = RefreshReplySchema.parse(reply.body);
    s.tokens = {
      access: next.accessToken,
      accessExpiresAt: Date.parse(next.accessTokenExpiresAt),
      refresh: next.refreshToken,
      refreshExpiresAt: Date.parse(next.refreshTokenExpiresAt),
      sessionId: next.sessionId,
    };
    await this.persist();
  }

  private wentOffline(err: unknown): HostCallError {
    if (!(err instanceof ServerUnreachableError)) {
      return new HostCallError('failed', 'The request to the RTCC server failed.');
    }
    const s = this.current;
    if (s && !s.offline) {
      s.offline = {
        attempt: 0,
        retryAt: this.clock.now() + backoffDelay(this.backoff, 1),
        message: err.message,
      };
      this.log.warn({ reason: err.message }, 'server unreachable: retrying with backoff');
      this.emit();
    }
    return new HostCallError('offline', err.message);
  }

  private contacted(): void {
    this.lastServerContactAt = this.clock.now();
    this.activeSinceContact = false;
  }

  private async persist(): Promise<void> {
    const s = this.current;
    if (!s) return;
    await this.store.save(
      JSON.stringify({
        version: 1,
        user: s.user,
        sessionId: s.tokens.sessionId,
        refreshToken: s.tokens.refresh,
        refreshTokenExpiresAt: new Date(s.tokens.refreshExpiresAt).toISOString(),
        verifier: s.verifier,
        idleLockMinutes: this.idle.idleMinutes,
      } satisfies z.infer<typeof PersistedSessionSchema>),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Time

  /**
   * Everything time does to a session: the idle lock, the end of the shift, refreshing the access
   * token ahead of expiry, retrying an unreachable server, and telling the server the person is
   * still there. Called by the shell's ticker; safe to call often.
   */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tickOnce();
    } catch (err) {
      // Outcomes are already in the state (offline, signed out); nothing else to do with it.
      if (!(err instanceof HostCallError)) this.log.warn({ err }, 'session tick failed');
    } finally {
      this.ticking = false;
    }
  }

  private async tickOnce(): Promise<void> {
    const s = this.current;
    if (!s) return;
    const now = this.clock.now();
    if (now >= s.tokens.refreshExpiresAt) {
      await this.ended('The session reached the end of its shift: sign in again.');
      return;
    }
    if (!s.locked && this.idle.due(now)) this.lock('idle');
    if (s.offline) {
      await this.retry(s, s.offline);
      return;
    }
    if (s.tokens.accessExpiresAt > 0 && s.tokens.accessExpiresAt - this.refreshMarginMs <= now) {
      await this.refresh();
    }
    if (this.current !== s || s.offline) return;
    if (
      !s.locked &&
      this.activeSinceContact &&
      now - this.lastServerContactAt >= this.keepAliveMs
    ) {
      // Activity at the console is activity on the server, or the server's own 30-minute idle
      // limit would end a session that someone is using without making requests.
      await this.request('GET', '/v1/auth/me');
    }
  }

  private async retry(s: SignedIn, offline: Offline): Promise<void> {
    const now = this.clock.now();
    if (offline.retryAt === null || offline.retryAt > now) return;
    s.offline = { ...offline, retryAt: null };
    this.emit();
    const attempt = offline.attempt + 1;
    try {
      const health = await this.server.request('GET', '/v1/health');
      if (health.status !== 200) throw new ServerUnreachableError('The RTCC server is not ready.');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.current === s) {
        s.offline = {
          attempt,
          retryAt: this.clock.now() + backoffDelay(this.backoff, attempt + 1),
          message,
        };
        this.emit();
      }
      return;
    }
    if (this.current !== s) return;
    s.offline = null;
    this.log.info({ attempts: attempt }, 'server reachable again');
    if (s.tokens.accessExpiresAt > 0 && s.tokens.accessExpiresAt - this.refreshMarginMs <= now) {
      await this.refresh().catch(() => undefined);
    }
    this.emit();
  }
}

function tokensOf(
  reply: Pick<
    LoginReply,
    'accessToken' | 'accessTokenExpiresAt' | 'refreshToken' | 'refreshTokenExpiresAt' | 'sessionId'
  >,
): Tokens {
  return {
    access: reply.accessToken,
    accessExpiresAt: Date.parse(reply.accessTokenExpiresAt),
    refresh: reply.refreshToken,
    refreshExpiresAt: Date.parse(reply.refreshTokenExpiresAt),
    sessionId: reply.sessionId,
  };
}

function unreachableMessage(err: unknown): string {
  return err instanceof Error ? err.message : 'The RTCC server cannot be reached.';
}
