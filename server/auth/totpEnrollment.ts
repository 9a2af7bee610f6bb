import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { findUserByUsername, summarizeUser, type UserSummary } from '../users/userStore';
import { type Actor } from '../audit/actor';
import { loadAuthUser } from './authUser';
import type { Principal } from './principal';
import { acceptTotp, newTotpSecret, totpUri } from './totp';

/**
 * Second factor, in two steps: enrol hands out a secret that stays pending until the user proves
 * their app holds it by confirming a code. A half-finished enrolment never locks anybody out.
 */
export async function beginTotpEnrollment(
  ctx: ServerContext,
  p: Principal,
): Promise<{ secret: string; otpauthUri: string }> {
  const secret = newTotpSecret();
  await ctx.record({
    apply: async ({ tx }) => {
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
      await tx.query('update users set totp_pending_secret = $2 where id = $1', [user.id, secret]);
    },
    audit: {
      actorId: p.userId,
      actorName: p.username,
      action: 'auth.totp_enroll',
      targetType: 'user',
      targetId: p.userId,
      outcome: 'success',
      details: {},
    },
    event: null,
  });
  return { secret, otpauthUri: totpUri(p.username, secret) };
}

type Confirmation = { readonly ok: true } | { readonly ok: false };

export async function confirmTotpEnrollment(
  ctx: ServerContext,
  p: Principal,
  code: string,
): Promise<void> {
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
           totp_last_step = $2 where id = $1`,
        [user.id, step],
      );
      return { ok: true };
    },
    audit: (c) => ({
      actorId: p.userId,
      actorName: p.username,
      action: 'auth.totp_confirm',
      targetType: 'user',
      targetId: p.userId,
      outcome: c.ok ? 'success' : 'failure',
      details: c.ok ? {} : { reason: 'bad_totp' },
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
}

/** For an administrator (the `wf user reset-totp` command): the user enrols again at next sign-in. */
export async function resetTotp(
  ctx: ServerContext,
  username: string,
  actor: Actor,
): Promise<UserSummary> {
  const user = await findUserByUsername(ctx.store, username);
  if (!user) throw new HttpError(404, `There is no user "${username}".`);
  return resetTotpById(ctx, user.id, actor);
}

export async function resetTotpById(
  ctx: ServerContext,
  userId: string,
  actor: Actor,
): Promise<UserSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx }) => {
      const before = await loadAuthUser(tx, userId);
      if (!before) throw new HttpError(404, `There is no user with id "${userId}".`);
      await tx.query(
        `update users set totp_secret = null, totp_pending_secret = null, totp_last_step = null
         where id = $1`,
        [userId],
      );
      return {
        summary: summarizeUser({ ...before, totp_secret: null }),
        wasEnrolled: before.totp_secret !== null,
      };
    },
    audit: (v) => ({
      actorId: actor.id,
      actorName: actor.name,
      action: 'user.totp_reset',
      targetType: 'user',
      targetId: v.summary.id,
      outcome: 'success',
      details: { username: v.summary.username, wasEnrolled: v.wasEnrolled },
    }),
    event: (v) => ({
      type: 'user.updated',
      payload: { userId: v.summary.id, username: v.summary.username, totpEnrolled: false },
    }),
  });
  return value.summary;
}
