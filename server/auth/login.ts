import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { findUserByUsername, summarizeUser } from '../users/userRepository';
import type { UserSummary } from '../../shared/api/users';
import type { LoginBody } from './authApi';
import type { SignInStage } from '../../shared/api/auth';
import { loadAuthUser, type AuthUserRow } from './authUser';
import { LOCKOUT_MS, LOCKOUT_THRESHOLD, lockedUntil, recordFailure } from './lockout';
import { decoyHash, verifyPassword } from './passwords';
import type { SessionScope } from './refreshTokens';
import { startSession, type IssuedTokens } from './sessions';
import { acceptTotp } from './totp';

/**
 * The one reply to every failed sign-in. It must not tell an unknown user from a wrong password
 * or a locked account, or it would help someone guessing; the audit row records the truth.
 */
export const SIGN_IN_FAILED =
  `Sign-in failed. Check the username, password and code; after ${LOCKOUT_THRESHOLD} failures ` +
  `the account is locked for ${LOCKOUT_MS / 60_000} minutes.`;

export const TOTP_REQUIRED = 'Enter the 6-digit code from your authenticator app.';

/** The error code of that one reply; the throttle counts exactly these. */
export const SIGN_IN_FAILED_CODE = 'sign_in_failed';

export type LoginFailureReason =
  'bad_password' | 'unknown_user' | 'locked' | 'totp_required' | 'bad_totp' | 'disabled';

type Attempt =
  | {
      readonly ok: true;
      readonly user: AuthUserRow;
      readonly issued: IssuedTokens & { readonly scope: SessionScope };
    }
  | {
      readonly ok: false;
      readonly reason: LoginFailureReason;
      readonly user: AuthUserRow | null;
      readonly failures?: number;
      readonly lockUntil?: number | null;
    };

export interface LoginResult extends IssuedTokens {
  readonly user: UserSummary;
  /** `enrolment`: the session may only enrol an authenticator (see sessionScopeFor). */
  readonly stage: SignInStage;
}

/**
 * What a correct password opens for this account: only the enrolment step when agency policy
 * requires a second factor and the account has none yet (CJIS 5.6.2.2); then only the change of
 * a temporary password (docs/users.md); then everything.
 */
export function sessionScopeFor(ctx: ServerContext, user: AuthUserRow): SessionScope {
  if (user.totp_secret === null && ctx.config.secondFactor === 'required') return 'enrolment';
  return user.password_must_change ? 'password_change' : 'full';
}

/** The sign-in stage a session of this scope is at. */
export function stageOf(scope: SessionScope): SignInStage {
  return scope === 'full' ? 'complete' : scope;
}

/**
 * Checks the password (argon2id, outside the transaction: it is the slow part), then decides and
 * records the attempt in one change so that concurrent guesses cannot slip past the count.
 */
export async function signIn(ctx: ServerContext, body: LoginBody): Promise<LoginResult> {
  const found = await findUserByUsername(ctx.store, body.username);
  // Unknown users cost the same argon2 work, so the reply time does not reveal who exists.
  const passwordOk = await verifyPassword(
    found?.password_hash ?? (await decoyHash()),
    body.password,
  );

  const { value: attempt } = await ctx.record<Attempt>({
    apply: async ({ tx, at }) => {
      const user = found ? await loadAuthUser(tx, found.id) : null;
      if (!user) return { ok: false, reason: 'unknown_user', user: null };
      const now = at.getTime();
      if (user.disabled) return { ok: false, reason: 'disabled', user };
      if (lockedUntil(user, now) !== null) return { ok: false, reason: 'locked', user };

      const fail = async (reason: 'bad_password' | 'bad_totp'): Promise<Attempt> => {
        const next = await recordFailure(tx, user, now);
        return { ok: false, reason, user, failures: next.failures, lockUntil: next.lockUntil };
      };

      // A password changed between the check above and now was checked against the old hash.
      if (!passwordOk || user.password_hash !== found?.password_hash) return fail('bad_password');
      if (user.totp_secret !== null) {
        // Asking for the code is a step of the sign-in, not a failure that counts.
        if (body.totpCode === undefined) return { ok: false, reason: 'totp_required', user };
        const step = await acceptTotp(user.totp_secret, body.totpCode, now, user.totp_last_step);
        if (step === null) return fail('bad_totp');
        await tx.query('update users set totp_last_step = $2 where id = $1', [user.id, step]);
      }
      await tx.query('update users set failed_attempts = 0, locked_until = null where id = $1', [
        user.id,
      ]);
      const issued = await startSession(tx, ctx.tokens, user, at, sessionScopeFor(ctx, user));
      return { ok: true, user, issued };
    },
    audit: (a) => ({
      actorId: a.user?.id ?? null,
      actorName: body.username,
      action: 'auth.login',
      targetType: 'user',
      targetId: a.user?.id ?? null,
      outcome: a.ok ? 'success' : 'failure',
      details: a.ok
        ? {
            username: body.username,
            sessionId: a.issued.sessionId,
            totp: a.user.totp_secret !== null,
            ...(a.issued.scope === 'full' ? {} : { stage: a.issued.scope }),
          }
        : {
            username: body.username,
            reason: a.reason,
            ...(a.failures === undefined ? {} : { failures: a.failures }),
            ...(a.lockUntil ? { lockedUntil: new Date(a.lockUntil).toISOString() } : {}),
          },
    }),
    event: null,
  });

  if (attempt.ok) {
    const { scope, ...issued } = attempt.issued;
    return { ...issued, user: summarizeUser(attempt.user), stage: stageOf(scope) };
  }
  if (attempt.lockUntil && attempt.user) {
    await recordLockout(ctx, attempt.user, attempt.lockUntil);
  }
  if (attempt.reason === 'totp_required') {
    throw new HttpError(401, TOTP_REQUIRED, undefined, 'totp_required');
  }
  throw new HttpError(401, SIGN_IN_FAILED, undefined, SIGN_IN_FAILED_CODE);
}

/**
 * The lock itself was set with the failure that caused it; this adds the lockout to the trail
 * as its own action and tells consoles, so an administrator sees it as it happens.
 */
async function recordLockout(ctx: ServerContext, user: AuthUserRow, until: number): Promise<void> {
  const lockedUntilIso = new Date(until).toISOString();
  await ctx.record({
    audit: {
      actorId: null,
      actorName: 'system',
      action: 'auth.lockout',
      targetType: 'user',
      targetId: user.id,
      outcome: 'success',
      details: { failures: LOCKOUT_THRESHOLD, lockedUntil: lockedUntilIso },
    },
    event: {
      type: 'user.locked',
      payload: { userId: user.id, username: user.username, lockedUntil: lockedUntilIso },
    },
  });
}
