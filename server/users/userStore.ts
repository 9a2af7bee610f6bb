import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import type { Role } from '../../shared/domain/roles';
import { hashPassword } from '../auth/passwords';
import { passwordProblem } from '../auth/passwordPolicy';
import { NewUserRequestSchema, type UserSummary } from '../../shared/api/users';
import { issueEnrolmentCode, type EnrolmentCode } from '../auth/enrolmentCodes';
import { HttpError } from '../http/errorHandler';
import { type Actor, SYSTEM_ACTOR, auditBy } from '../audit/actor';

/**
 * A new account: the request's shape (shared/api/users.ts) and the server's password policy
 * (common and breached passwords, runs, the username), which is kept on the server.
 */
export const NewUserSchema = NewUserRequestSchema.superRefine((u, check) => {
  const problem = passwordProblem(u.password, u.username);
  if (problem) check.addIssue({ code: 'custom', path: ['password'], message: problem });
});
export type NewUser = z.infer<typeof NewUserSchema>;

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  failed_attempts: number;
  locked_until: Date | string | null;
  disabled: boolean;
  created_at: Date | string;
}

export function summarizeUser(u: UserRow): UserSummary {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    totpEnrolled: u.totp_secret !== null,
    disabled: u.disabled,
  };
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const res = await db.query<UserRow>('select * from users where username = $1', [username]);
  return res.rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const res = await db.query<UserRow>('select * from users where id = $1', [id]);
  return res.rows[0] ?? null;
}

/** A new account and the enrolment code to hand its owner (shown once, stored hashed). */
export interface CreatedUser extends UserSummary {
  readonly enrolment: EnrolmentCode;
}

/**
 * Creates a user (audited, with a `user.created` event) and the one-time code with which they
 * enrol an authenticator at first sign-in. 409 if the username is taken.
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
  const passwordHash = await hashPassword(parsed.password);
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const taken = await findUserByUsername(tx, parsed.username);
      if (taken) throw new HttpError(409, `The username "${parsed.username}" is taken.`);
      const res = await tx.query<UserRow>(
        `insert into users (id, username, display_name, role, password_hash, created_at)
         values ($1, $2, $3, $4, $5, $6) returning *`,
        [id, parsed.username, parsed.displayName ?? parsed.username, parsed.role, passwordHash, at],
      );
      const enrolment = await issueEnrolmentCode(tx, id, at);
      return { ...summarizeUser(res.rows[0]!), enrolment };
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
