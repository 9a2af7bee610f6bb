import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, SYSTEM_ACTOR, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { revokeUserSessions } from '../auth/sessions';
import { newTemporaryPassword } from './temporaryPassword';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { hashPassword } from '../auth/passwords';
import { passwordProblem } from '../auth/passwordPolicy';
import { issueEnrolmentCode, type EnrolmentCode } from '../auth/enrolmentCodes';
import { NewUserRequestSchema, type UserPatch, type UserSummary } from '../../shared/api/users';
import {
  countOtherActiveAdmins,
  findUserById,
  findUserByUsername,
  liveSessionIds,
  summarizeUser,
  type UserRow,
} from './userRepository';

/**
 * A new account: the request's shape (shared/api/users.ts) and the server's password policy
 * (common and breached passwords, runs, the username), which is kept on the server.
 */
export const NewUserSchema = NewUserRequestSchema.superRefine((u, check) => {
  if (u.password === undefined) return;
  const problem = passwordProblem(u.password, u.username);
  if (problem) check.addIssue({ code: 'custom', path: ['password'], message: problem });
});
export type NewUser = z.infer<typeof NewUserSchema>;

/**
 * A new account and the enrolment code to hand its owner (shown once, stored hashed), with the
 * temporary password when the server made one (shown once, stored hashed).
 */
export interface CreatedUser extends UserSummary {
  readonly enrolment: EnrolmentCode;
  readonly temporaryPassword?: string;
}

/**
 * Creates a user (audited, with a `user.created` event) and the one-time code with which they
 * enrol an authenticator at first sign-in. Without a password in the request the server makes
 * a temporary one for the administrator to hand over. 409 if the username is taken.
 */
export async function createUser(
  ctx: ServerContext,
  input: NewUser,
  actor: Actor = SYSTEM_ACTOR,
): Promise<CreatedUser> {
  const checked = NewUserSchema.safeParse(input);
  if (!checked.success) {
    // Bad input from any caller (the API, the command line) is a 400 naming the field.
    const issues = checked.error.issues.map((i) => ({
      path: `body.${i.path.map(String).join('.')}`,
      message: i.message,
    }));
    const said = issues.map((i) => `${i.path.slice('body.'.length)}: ${i.message}`).join('; ');
    throw new HttpError(400, said, issues);
  }
  const parsed = checked.data;
  const temporaryPassword =
    parsed.password === undefined ? newTemporaryPassword(parsed.username) : undefined;
  const passwordHash = await hashPassword(parsed.password ?? temporaryPassword!);
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const taken = await findUserByUsername(tx, parsed.username);
      if (taken) throw new HttpError(409, `The username "${parsed.username}" is taken.`);
      const res = await tx.query<UserRow>(
        `insert into users (id, username, display_name, role, password_hash, created_at,
           password_must_change)
         values ($1, $2, $3, $4, $5, $6, $7) returning *`,
        [
          id,
          parsed.username,
          parsed.displayName ?? parsed.username,
          parsed.role,
          passwordHash,
          at,
          // A password the server made and an administrator saw is changed at first sign-in.
          temporaryPassword !== undefined,
        ],
      );
      const enrolment = await issueEnrolmentCode(tx, id, at);
      return {
        ...summarizeUser(res.rows[0]!),
        enrolment,
        ...(temporaryPassword === undefined ? {} : { temporaryPassword }),
      };
    },
    audit: (u) =>
      auditBy(actor, {
        action: 'user.create',
        targetType: 'user',
        targetId: u.id,
        outcome: 'success',
        details: {
          username: u.username,
          role: u.role,
          enrolmentCodeExpiresAt: u.enrolment.expiresAt,
          // Which first password, never the password itself.
          password: u.temporaryPassword === undefined ? 'set_by_administrator' : 'temporary',
          mustChangeAtFirstSignIn: u.temporaryPassword !== undefined,
        },
      }),
    event: (u) => ({
      type: 'user.created',
      payload: { userId: u.id, username: u.username, role: u.role },
    }),
  });
  return value;
}

/**
 * Lifts a lockout at once (an administrator who has checked that the failures were not an
 * attack on the account, or who has dealt with it). Audited with what was lifted.
 */
export async function unlockUser(
  ctx: ServerContext,
  userId: string,
  actor: Actor,
): Promise<UserSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await findUserById(tx, userId);
      if (!before) throw new HttpError(404, `There is no user with id "${userId}".`);
      const lockedUntil =
        before.locked_until !== null && new Date(before.locked_until).getTime() > at.getTime()
          ? new Date(before.locked_until).toISOString()
          : null;
      await tx.query(
        'update users set failed_attempts = 0, locked_until = null, unlocked_at = $2 where id = $1',
        [userId, at.toISOString()],
      );
      return { user: before, lockedUntil, failures: before.failed_attempts };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'user.unlock',
        targetType: 'user',
        targetId: v.user.id,
        outcome: 'success',
        details: {
          username: v.user.username,
          wasLockedUntil: v.lockedUntil,
          failuresCleared: v.failures,
        },
      }),
    event: (v) => ({
      type: 'user.unlocked',
      payload: { userId: v.user.id, username: v.user.username },
    }),
  });
  return summarizeUser(value.user);
}

/** Why a change to an account is refused (409), or null when it may go ahead. */
async function refusal(
  tx: Queryable,
  before: UserRow,
  patch: UserPatch,
  actor: Actor,
): Promise<string | null> {
  const roleChanges = patch.role !== undefined && patch.role !== before.role;
  const disabling = patch.disabled === true && !before.disabled;
  // Keeps at least the administrator making the change able to sign in and manage users, and
  // stops anyone from granting themselves more than another administrator gave them.
  if (before.id === actor.id && (roleChanges || disabling)) {
    return 'You cannot disable your own account or change your own role: ask another administrator.';
  }
  const removesAdmin =
    before.role === 'admin' &&
    !before.disabled &&
    (disabling || (roleChanges && patch.role !== 'admin'));
  if (removesAdmin && (await countOtherActiveAdmins(tx, before.id)) === 0) {
    return (
      `${before.username} is the last active administrator: make another user an administrator ` +
      'first, or nobody could manage users any more.'
    );
  }
  return null;
}

/**
 * Changes an account's role, display name or disabled flag. Disabling it or changing its role
 * ends its sessions, so the change takes effect at once rather than when the token runs out.
 * Never one's own role, never the last active administrator (409, nothing changed). Changes run
 * one at a time under the audit chain's lock, so two administrators demoting each other at
 * once cannot leave none.
 */
export async function updateUser(
  ctx: ServerContext,
  id: string,
  patch: UserPatch,
  actor: Actor,
): Promise<UserSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await findUserById(tx, id);
      if (!before) throw new HttpError(404, `There is no user with id "${id}".`);
      const roleChanges = patch.role !== undefined && patch.role !== before.role;
      const disabling = patch.disabled === true && !before.disabled;
      const refused = await refusal(tx, before, patch, actor);
      if (refused) throw new HttpError(409, refused);
      const res = await tx.query<UserRow>(
        `update users set role = coalesce($2, role), disabled = coalesce($3, disabled),
           display_name = coalesce($4, display_name)
         where id = $1 returning *`,
        [id, patch.role ?? null, patch.disabled ?? null, patch.displayName ?? null],
      );
      const after = res.rows[0]!;
      let sessionsRevoked = 0;
      if (disabling) sessionsRevoked = await revokeUserSessions(tx, id, at, 'disabled');
      else if (roleChanges) sessionsRevoked = await revokeUserSessions(tx, id, at, 'role_changed');
      return { before, after, sessionsRevoked };
    },
    audit: ({ before, after, sessionsRevoked }) =>
      auditBy(actor, {
        action: 'user.update',
        targetType: 'user',
        targetId: after.id,
        outcome: 'success',
        details: { username: after.username, changes: changesOf(before, after), sessionsRevoked },
      }),
    event: ({ after }) => ({
      type: 'user.updated',
      payload: {
        userId: after.id,
        username: after.username,
        role: after.role,
        disabled: after.disabled,
      },
    }),
  });
  return summarizeUser(value.after);
}

/** What ending a user's sessions did. */
export interface SessionsEnded {
  readonly userId: string;
  readonly sessionsEnded: number;
}

/**
 * Ends every live session of a user at once (a lost phone, a workstation left signed in, an
 * account under suspicion). Each session's console hears `session.revoked` and returns to the
 * sign-in; administrators' lists hear `user.sessions_ended`. Audited with the sessions ended.
 */
export async function endUserSessions(
  ctx: ServerContext,
  userId: string,
  actor: Actor,
): Promise<SessionsEnded> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const user = await findUserById(tx, userId);
      if (!user) throw new HttpError(404, `There is no user with id "${userId}".`);
      const ids = await liveSessionIds(tx, userId);
      await revokeUserSessions(tx, userId, at, 'ended_by_admin');
      return { user, ids };
    },
    audit: ({ user, ids }) =>
      auditBy(actor, {
        action: 'user.sessions_end',
        targetType: 'user',
        targetId: user.id,
        outcome: 'success',
        details: { username: user.username, sessionIds: ids },
      }),
    event: ({ user, ids }) => [
      ...ids.map((sessionId) => ({
        type: 'session.revoked' as const,
        payload: { sessionId, userId: user.id, reason: 'ended_by_admin' },
      })),
      {
        type: 'user.sessions_ended' as const,
        payload: { userId: user.id, username: user.username, sessionsEnded: ids.length },
      },
    ],
  });
  return { userId: value.user.id, sessionsEnded: value.ids.length };
}

function changesOf(
  before: UserRow,
  after: UserRow,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
  if (before.disabled !== after.disabled) {
    changes.disabled = { from: before.disabled, to: after.disabled };
  }
  if (before.display_name !== after.display_name) {
    changes.displayName = { from: before.display_name, to: after.display_name };
  }
  return changes;
}
