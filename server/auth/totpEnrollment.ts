import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { findUserByUsername, summarizeUser } from '../users/userRepository';
import type { UserSummary } from '../../shared/api/users';
import { type Actor, actorOfPrincipal, auditBy } from '../audit/actor';
import { loadAuthUser } from './authUser';
import {
  checkEnrolmentCode,
  deleteEnrolmentCode,
  ENROLMENT_CODE_HOURS,
  issueEnrolmentCode,
  type EnrolmentCode,
  type EnrolmentCodeCheck,
} from './enrolmentCodes';
import { lockedUntil, recordFailure } from './lockout';
import { stageOf, type LoginResult } from './login';
import type { Principal } from './principal';
import { revokeSession, revokeUserSessions, startSession } from './sessions';
import { acceptTotp, newTotpSecret, totpUri } from './totp';

/**
 * Second factor, in two steps. Enrol takes the one-time code an administrator handed over and
 * hands out a secret that stays pending until the person proves their app holds it by
 * confirming a code from it. Confirming completes the sign-in: the enrolment-only session is
 * replaced by a full one. A half-finished enrolment never locks anybody out.
 */

type Enrolment =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: Exclude<EnrolmentCodeCheck, 'valid'>;
      readonly failures: number;
      readonly lockUntil: number | null;
    };

const CODE_MESSAGES: Readonly<Record<Exclude<EnrolmentCodeCheck, 'valid'>, string>> = {
  wrong:
    'That enrolment code does not match the one issued for this account. Check it, or ask an ' +
    'administrator for a new one.',
  none: 'There is no enrolment code for this account: ask an administrator for one.',
  expired:
    `That enrolment code has expired (codes last ${ENROLMENT_CODE_HOURS} hours): ask an ` +
    'administrator for a new one.',
};

export async function beginTotpEnrollment(
  ctx: ServerContext,
  p: Principal,
  enrolmentCode: string,
): Promise<{ secret: string; otpauthUri: string }> {
  const secret = newTotpSecret();
  const { value } = await ctx.record<Enrolment>({
    apply: async ({ tx, at }) => {
      const user = await loadAuthUser(tx, p.userId);
      if (!user) throw new HttpError(404, 'Your account no longer exists.');
      // Replacing a working second factor with a stolen access token would defeat it.
      if (user.totp_secret !== null) {
        throw new HttpError(
          409,
          'A code app is already enrolled for this account. An administrator can reset it.',
          undefined,
          'totp_already_enrolled',
        );
      }
      if (lockedUntil(user, at.getTime()) !== null) {
        throw new HttpError(401, 'The account is locked for now: sign in again later.');
      }
      const check = await checkEnrolmentCode(tx, user.id, enrolmentCode, at);
      if (check !== 'valid') {
        // A wrong code counts like a wrong password: guessing codes ends in the lockout.
        const next = await recordFailure(tx, user, at.getTime());
        if (next.lockUntil !== null) await revokeUserSessions(tx, user.id, at, 'locked');
        return { ok: false, reason: check, failures: next.failures, lockUntil: next.lockUntil };
      }
      await tx.query('update users set totp_pending_secret = $2 where id = $1', [user.id, secret]);
      return { ok: true };
    },
    audit: (e) =>
      auditBy(actorOfPrincipal(p), {
        action: 'auth.totp_enroll',
        targetType: 'user',
        targetId: p.userId,
        outcome: e.ok ? 'success' : 'failure',
        details: e.ok
          ? {}
          : {
              reason: `enrolment_code_${e.reason}`,
              failures: e.failures,
              ...(e.lockUntil ? { lockedUntil: new Date(e.lockUntil).toISOString() } : {}),
            },
      }),
    event: null,
  });
  if (!value.ok) {
    throw new HttpError(
      400,
      CODE_MESSAGES[value.reason],
      [
        {
          path: 'body.enrolmentCode',
          message: `is ${value.reason === 'none' ? 'missing' : value.reason}`,
        },
      ],
      'bad_enrolment_code',
    );
  }
  return { secret, otpauthUri: totpUri(p.username, secret) };
}

type Confirmation = { readonly ok: true; readonly result: LoginResult } | { readonly ok: false };

export async function confirmTotpEnrollment(
  ctx: ServerContext,
  p: Principal,
  code: string,
): Promise<LoginResult> {
  const { value } = await ctx.record<Confirmation>({
    apply: async ({ tx, at }) => {
      const user = await loadAuthUser(tx, p.userId);
      if (!user) throw new HttpError(404, 'Your account no longer exists.');
      if (user.totp_pending_secret === null) {
        throw new HttpError(
          409,
          'There is no enrolment to confirm: start one with POST /v1/auth/totp/enroll.',
          undefined,
          'totp_not_pending',
        );
      }
      const step = await acceptTotp(user.totp_pending_secret, code, at.getTime(), null);
      if (step === null) return { ok: false };
      await tx.query(
        `update users set totp_secret = totp_pending_secret, totp_pending_secret = null,
           totp_last_step = $2, failed_attempts = 0, locked_until = null where id = $1`,
        [user.id, step],
      );
      await deleteEnrolmentCode(tx, user.id);
      // Password and code together are a complete sign-in: it replaces the half one. With a
      // temporary password it is complete once a new password is chosen (docs/users.md).
      await revokeSession(tx, p.sessionId, at, 'enrolled');
      const next = user.password_must_change ? 'password_change' : 'full';
      const issued = await startSession(tx, ctx.tokens, user, at, next);
      const { scope, ...tokens } = issued;
      const summary = summarizeUser({ ...user, totp_secret: user.totp_pending_secret });
      return { ok: true, result: { ...tokens, user: summary, stage: stageOf(scope) } };
    },
    audit: (c) =>
      auditBy(actorOfPrincipal(p), {
        action: 'auth.totp_confirm',
        targetType: 'user',
        targetId: p.userId,
        outcome: c.ok ? 'success' : 'failure',
        details: c.ok
          ? { replacedSession: p.sessionId, sessionId: c.result.sessionId }
          : { reason: 'bad_totp' },
      }),
    event: (c) =>
      c.ok
        ? {
            type: 'user.updated',
            payload: { userId: p.userId, username: p.username, totpEnrolled: true },
          }
        : null,
  });
  if (!value.ok) {
    throw new HttpError(
      400,
      'That code does not match. Check the time on the phone and enter the current code.',
      [{ path: 'body.code', message: 'does not match the enrolled secret' }],
      'bad_totp',
    );
  }
  return value.result;
}

/** A user whose authenticator was removed, and the code with which they enrol a new one. */
export interface TotpReset extends UserSummary {
  readonly enrolment: EnrolmentCode;
}

/** For an administrator (the `wf user reset-totp` command): the user enrols again at next sign-in. */
export async function resetTotp(
  ctx: ServerContext,
  username: string,
  actor: Actor,
): Promise<TotpReset> {
  const user = await findUserByUsername(ctx.store, username);
  if (!user) throw new HttpError(404, `There is no user "${username}".`);
  return resetTotpById(ctx, user.id, actor);
}

export async function resetTotpById(
  ctx: ServerContext,
  userId: string,
  actor: Actor,
): Promise<TotpReset> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await loadAuthUser(tx, userId);
      if (!before) throw new HttpError(404, `There is no user with id "${userId}".`);
      await tx.query(
        `update users set totp_secret = null, totp_pending_secret = null, totp_last_step = null
         where id = $1`,
        [userId],
      );
      const enrolment = await issueEnrolmentCode(tx, userId, at);
      return {
        summary: summarizeUser({ ...before, totp_secret: null }),
        wasEnrolled: before.totp_secret !== null,
        enrolment,
      };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'user.totp_reset',
        targetType: 'user',
        targetId: v.summary.id,
        outcome: 'success',
        details: {
          username: v.summary.username,
          wasEnrolled: v.wasEnrolled,
          enrolmentCodeExpiresAt: v.enrolment.expiresAt,
        },
      }),
    event: (v) => ({
      type: 'user.updated',
      payload: { userId: v.summary.id, username: v.summary.username, totpEnrolled: false },
    }),
  });
  return { ...value.summary, enrolment: value.enrolment };
}
