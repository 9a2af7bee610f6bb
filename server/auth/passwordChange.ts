import type { ServerContext } from '../context';
import { auditBy, actorOfPrincipal } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { ChangePasswordBody } from '../../shared/api/auth';
import { loadAuthUser } from './authUser';
import { recordFailure } from './lockout';
import { passwordProblem } from './passwordPolicy';
import { hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { findSession, revokeSession, revokeUserSessions, startSession } from './sessions';
import { stageOf, type LoginResult } from './login';
import { summarizeUser } from '../users/userRepository';

type Change =
  | {
      readonly ok: true;
      readonly otherSessionsEnded: number;
      readonly at: string;
      /** The complete sign-in that replaced a session which could only change the password. */
      readonly signIn: LoginResult | null;
    }
  | { readonly ok: false; readonly failures: number; readonly lockUntil: number | null };

/**
 * A person changes their own password: the current one is required (a console left unlocked
 * must not be enough), the new one must pass the policy, and every other session of the user
 * ends, since whoever else held the old password may be signed in with it. The session making
 * the change goes on; when it was one that could only change a temporary password, it is
 * replaced by a complete sign-in, whose tokens the reply carries (docs/users.md).
 */
export async function changePassword(
  ctx: ServerContext,
  p: Principal,
  body: ChangePasswordBody,
): Promise<{ changedAt: string; otherSessionsEnded: number; signIn?: LoginResult }> {
  const problem = passwordProblem(body.newPassword, p.username);
  if (problem) {
    throw new HttpError(
      400,
      problem,
      [{ path: 'body.newPassword', message: problem }],
      'weak_password',
    );
  }
  if (body.newPassword === body.currentPassword) {
    const same = 'The new password is the same as the current one: choose another.';
    throw new HttpError(400, same, [{ path: 'body.newPassword', message: same }], 'weak_password');
  }
  const before = await loadAuthUser(ctx.store, p.userId);
  if (!before) throw new HttpError(404, 'Your account no longer exists.');
  // The slow parts (argon2) stay outside the transaction.
  const currentOk = await verifyPassword(before.password_hash, body.currentPassword);
  const newHash = currentOk ? await hashPassword(body.newPassword) : null;

  const { value } = await ctx.record<Change>({
    apply: async ({ tx, at }) => {
      const user = await loadAuthUser(tx, p.userId);
      if (!user) throw new HttpError(404, 'Your account no longer exists.');
      // A password changed meanwhile was checked against the old hash: that is a wrong one.
      if (!currentOk || newHash === null || user.password_hash !== before.password_hash) {
        // Counted like a failed sign-in, so an unattended console cannot be used to guess it.
        const next = await recordFailure(tx, user, at.getTime());
        if (next.lockUntil !== null) await revokeUserSessions(tx, user.id, at, 'locked');
        return { ok: false, failures: next.failures, lockUntil: next.lockUntil };
      }
      await tx.query(
        `update users set password_hash = $2, failed_attempts = 0, locked_until = null,
           password_must_change = false where id = $1`,
        [user.id, newHash],
      );
      const ended = await revokeUserSessions(tx, user.id, at, 'password_changed', p.sessionId);
      const session = await findSession(tx, p.sessionId);
      let signIn: LoginResult | null = null;
      if (session?.scope === 'password_change') {
        await revokeSession(tx, p.sessionId, at, 'password_changed');
        const { scope, ...tokens } = await startSession(tx, ctx.tokens, user, at, 'full');
        signIn = { ...tokens, user: summarizeUser(user), stage: stageOf(scope) };
      }
      return { ok: true, otherSessionsEnded: ended, at: at.toISOString(), signIn };
    },
    audit: (c) =>
      auditBy(actorOfPrincipal(p), {
        action: 'auth.password_change',
        targetType: 'user',
        targetId: p.userId,
        outcome: c.ok ? 'success' : 'failure',
        details: c.ok
          ? {
              sessionId: p.sessionId,
              otherSessionsEnded: c.otherSessionsEnded,
              // A temporary password replaced at sign-in, and the complete session that followed.
              ...(c.signIn
                ? { temporaryReplaced: true, completedSession: c.signIn.sessionId }
                : {}),
            }
          : {
              reason: 'bad_password',
              failures: c.failures,
              ...(c.lockUntil ? { lockedUntil: new Date(c.lockUntil).toISOString() } : {}),
            },
      }),
    event: (c) =>
      c.ok
        ? {
            type: 'user.updated',
            payload: { userId: p.userId, username: p.username, passwordChanged: true },
          }
        : null,
  });
  if (!value.ok) {
    const wrong = 'That is not your current password.';
    throw new HttpError(
      400,
      wrong,
      [{ path: 'body.currentPassword', message: wrong }],
      'bad_password',
    );
  }
  return {
    changedAt: value.at,
    otherSessionsEnded: value.otherSessionsEnded,
    ...(value.signIn ? { signIn: value.signIn } : {}),
  };
}
