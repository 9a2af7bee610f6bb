import type { HttpMethod } from '../../../shared/api/contract';
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
} from '../../../shared/api/session';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { HostCallError } from '../calls/hostCallError';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../../shared/time/backoff';
import { replyMessage } from '../serverLink/serverErrors';
import type { RawBody, ServerHttp, ServerReply, ServerStream } from '../serverLink/serverHttp';
import { ServerLink, type LinkTokens } from '../serverLink/serverLink';
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

interface SignedIn {
  readonly user: SignedInUser;
  /** The session's requests to the server, with its tokens. */
  readonly link: ServerLink;
  /** Replaced when the person changes their password. */
  verifier: UnlockVerifier;
  locked: LockReason | null;
  failedUnlocks: number;
}

interface PendingTotp {
  readonly username: string;
  readonly password: string;
  readonly expiresAt: number;
}

/**
 * A sign-in whose password was right for an account with no authenticator yet, or whose password
 * is a temporary one: the server's session that may only enrol, or only replace the password.
 * Kept apart from `current`, so nothing else can use it.
 */
interface PendingEnrolment {
  readonly password: string;
  tokens: LinkTokens;
}

export interface BackendSessionOptions {
  readonly server: ServerHttp;
  readonly store: SecretStore;
  readonly clock?: Clock;
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

function codeOf(body: unknown): string | undefined {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
}

/**
 * The console's one session with the RTCC server, as a state machine: signed out, signed in
 * (with the authenticator code when the account has one), locked after inactivity or by hand,
 * unlocked with the password alone, ended by the person, the server or the end of the shift.
 * Its requests go through a ServerLink (electron/host/serverLink/serverLink.ts), made at
 * sign-in, which keeps the tokens fresh and goes offline and back with backoff.
 *
 * No token ever leaves the host except as the Authorization header of a request (or of the event
 * feed's WebSocket, through `bearer()`): the session state it reports has none.
 */
export class BackendSession {
  private readonly server: ServerHttp;
  private readonly store: SecretStore;
  private readonly clock: Clock;
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
  private lastEmitted = '';
  private lastServerContactAt = 0;
  private activeSinceContact = false;
  private ticking = false;

  constructor(options: BackendSessionOptions) {
    this.server = options.server;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
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
      shiftEndsAt: new Date(s.link.refreshExpiresAt).toISOString(),
      idleLockMinutes: this.idle.idleMinutes,
      wallPlaysWhenLocked: this.wallPlaysWhenLocked,
    };
    if (s.locked) return { status: 'locked', reason: s.locked, ...common };
    const offline = s.link.offline;
    if (offline) {
      return {
        status: 'offline',
        ...common,
        attempt: offline.attempt,
        retryAt: offline.retryAt === null ? null : new Date(offline.retryAt).toISOString(),
        message: offline.message,
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
    return this.current?.link.sessionId ?? null;
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
      link: this.linkWith({
        access: '',
        accessExpiresAt: 0,
        refresh: kept.refreshToken,
        refreshExpiresAt,
        sessionId: kept.sessionId,
      }),
      verifier: kept.verifier,
      locked: 'restart',
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
        message: replyMessage(reply.body, 'Enter the 6-digit code from your authenticator app.'),
      };
    }
    if (reply.status !== 200) {
      return { kind: 'failed', message: replyMessage(reply.body, 'Sign-in failed.') };
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
    if (login.stage === 'password_change') {
      if (this.current) await this.signOut(null);
      return this.askForFirstPassword({ password: args.password, tokens: tokensOf(login) });
    }
    return this.establish(login, args.password);
  }

  /** Holds the session that may only replace the temporary password, and says so. */
  private askForFirstPassword(pending: PendingEnrolment): SignInResult {
    this.pendingEnrolment = pending;
    return {
      kind: 'password_change_required',
      message:
        'Your password is a temporary one an administrator gave you. Choose your own now: ' +
        'nothing else works until you do.',
    };
  }

  /**
   * The temporary password's replacement: the host sends the temporary password it holds as the
   * current one, and the server's reply carries the complete sign-in.
   */
  async chooseFirstPassword(newPassword: string): Promise<SignInResult> {
    const pending = this.pendingEnrolment;
    const reply = await this.enrolmentRequest('/v1/auth/password', {
      currentPassword: pending?.password ?? '',
      newPassword,
    });
    if ('kind' in reply) return { kind: 'failed', message: reply.message };
    const changed = ChangePasswordReplySchema.safeParse(reply.body);
    if (reply.status !== 200 || !pending || !changed.success || !changed.data.signIn) {
      return {
        kind: 'failed',
        message: replyMessage(reply.body, 'The password could not be changed.'),
      };
    }
    this.pendingEnrolment = null;
    return this.establish(changed.data.signIn, newPassword);
  }

  /** A complete sign-in (password and code, or a confirmed enrolment) becomes the session. */
  private async establish(login: LoginReply, password: string): Promise<SignInResult> {
    if (this.current) await this.signOut(null);
    this.current = {
      user: login.user,
      link: this.linkWith(tokensOf(login)),
      verifier: await makeUnlockVerifier(password),
      locked: null,
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
      message: replyMessage(reply.body, 'The enrolment could not start.'),
      restart: false,
    };
  }

  /** A code from the newly set-up app confirms it, and the sign-in completes. */
  async confirmEnrolment(totpCode: string): Promise<SignInResult> {
    const pending = this.pendingEnrolment;
    const reply = await this.enrolmentRequest('/v1/auth/totp/confirm', { code: totpCode });
    if ('kind' in reply) return { kind: 'failed', message: reply.message };
    if (reply.status !== 200 || !pending) {
      return { kind: 'failed', message: replyMessage(reply.body, 'That code was not accepted.') };
    }
    const login = LoginReplySchema.parse(reply.body);
    if (login.stage === 'password_change') {
      return this.askForFirstPassword({ password: pending.password, tokens: tokensOf(login) });
    }
    this.pendingEnrolment = null;
    return this.establish(login, pending.password);
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
          return restart(
            replyMessage(renewed.body, 'This step of the sign-in timed out: sign in again.'),
          );
        }
        const next = RefreshReplySchema.parse(renewed.body);
        pending.tokens = tokensOf(next);
      }
      const reply = await this.server.request('POST', path, {
        body,
        bearer: pending.tokens.access,
      });
      if (reply.status === 401) {
        return restart(
          replyMessage(reply.body, 'This step of the sign-in timed out: sign in again.'),
        );
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
      message: replyMessage(reply.body, 'The password could not be changed.'),
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
    try {
      await s.link.renewIfDue();
    } catch (err) {
      // Offline, the console unlocks all the same and works from what it has.
      if (!(err instanceof HostCallError) || err.code !== 'offline') {
        if (!this.current) return { kind: 'signed_out', state: this.state() };
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
      await s.link.logout();
      await this.store.clear();
    }
    this.signedOutMessage = message;
    this.emit();
    return this.state();
  }

  /** The server says the session is over (revoked elsewhere, idle, end of shift). */
  async ended(message: string): Promise<void> {
    const s = this.current;
    if (!s) return;
    this.current = null;
    s.link.close();
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
  // Requests, through the session's server link

  /**
   * An authenticated request to the server, for a signed-in console that is not locked (unless
   * `allowLocked`). Throws HostCallError with `signed_out`, `locked` or `offline`; any other
   * status is the caller's to read. Refreshing and retrying are the link's (ServerLink.request).
   */
  async request(
    method: HttpMethod,
    path: string,
    options: {
      readonly body?: unknown;
      readonly raw?: RawBody;
      readonly allowLocked?: boolean;
    } = {},
  ): Promise<ServerReply> {
    const s = this.usable(options.allowLocked ?? false);
    return s.link.request(method, path, {
      ...(options.raw ? { raw: options.raw } : { body: options.body }),
    });
  }

  /**
   * An authenticated GET whose body is streamed (tip media), for a signed-in console that is not
   * locked: the private media of a tip is not shown behind the lock screen.
   */
  async stream(
    path: string,
    options: {
      readonly headers?: Readonly<Record<string, string>>;
      readonly signal?: AbortSignal;
    } = {},
  ): Promise<ServerStream> {
    const s = this.usable(false);
    return s.link.stream(path, options);
  }

  /** A current access token, for the event feed's WebSocket. Never passed to the renderer. */
  async bearer(): Promise<string> {
    const s = this.current;
    if (!s) throw new HostCallError('signed_out', 'Sign in first.');
    return s.link.bearer();
  }

  private usable(allowLocked: boolean): SignedIn {
    const s = this.current;
    if (!s) throw new HostCallError('signed_out', this.signedOutMessage ?? 'Sign in first.');
    if (s.locked && !allowLocked) {
      throw new HostCallError('locked', 'The console is locked: unlock it first.');
    }
    return s;
  }

  /** A link for a session that has just begun; what it reports comes back to this session. */
  private linkWith(tokens: LinkTokens): ServerLink {
    const link: ServerLink = new ServerLink({
      server: this.server,
      tokens,
      clock: this.clock,
      logger: this.log,
      refreshMarginMs: this.refreshMarginMs,
      backoff: this.backoff,
      owner: {
        ended: async (message) => {
          // A request of a session that has since ended must not end the one after it.
          if (this.current?.link === link) await this.ended(message);
          return this.signedOutMessage ?? 'Sign in again.';
        },
        renewed: () => this.persist(),
        changed: () => this.emit(),
        contacted: () => this.contacted(),
      },
    });
    return link;
  }

  private contacted(): void {
    this.lastServerContactAt = this.clock.now();
    this.activeSinceContact = false;
  }

  private async persist(): Promise<void> {
    const s = this.current;
    if (!s) return;
    const kept = s.link.kept();
    await this.store.save(
      JSON.stringify({
        version: 1,
        user: s.user,
        sessionId: kept.sessionId,
        refreshToken: kept.refreshToken,
        refreshTokenExpiresAt: new Date(kept.expiresAt).toISOString(),
        verifier: s.verifier,
        idleLockMinutes: this.idle.idleMinutes,
      } satisfies z.infer<typeof PersistedSessionSchema>),
    );
  }

  // ------------------------------------------------------------------------------------------
  // Time

  /**
   * Everything time does to a session: the idle lock, the end of the shift, the link's refresh
   * ahead of expiry and its retries of an unreachable server, and telling the server the person
   * is still there. Called by the shell's ticker; safe to call often.
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
    if (now >= s.link.refreshExpiresAt) {
      await this.ended('The session reached the end of its shift: sign in again.');
      return;
    }
    if (!s.locked && this.idle.due(now)) this.lock('idle');
    const wasOffline = s.link.offline !== null;
    await s.link.tick(now);
    if (wasOffline || this.current !== s || s.link.offline) return;
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
}

function tokensOf(
  reply: Pick<
    LoginReply,
    'accessToken' | 'accessTokenExpiresAt' | 'refreshToken' | 'refreshTokenExpiresAt' | 'sessionId'
  >,
): LinkTokens {
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
