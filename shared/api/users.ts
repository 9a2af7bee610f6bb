import { z } from 'zod';
import { RoleSchema } from '../domain/roles';
import { defineEvent, endpoint, holders, serverCall, theUser } from './contract';

/** People: who is on shift now, and the account events administrators follow. */

/** A colleague signed in now, as everyone on the floor may see them. */
export const OnShiftUserSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  /** When their earliest live session began. */
  since: z.string(),
  /** Their latest activity, to the nearest quarter-minute. */
  lastSeenAt: z.string(),
});
export type OnShiftUser = z.infer<typeof OnShiftUserSchema>;

export const OnShiftSchema = z.object({ users: z.array(OnShiftUserSchema) });

// ----------------------------------------------------------------------------------------------
// Accounts (administrators)

/** Password length bounds (NIST SP 800-63B); the server's password policy decides the rest. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** A new account's username: lower case, so that "JSmith" and "jsmith" are one person. */
export const AccountUsernameSchema = z
  .string()
  .trim()
  .min(2, 'a username has at least 2 characters')
  .max(64, 'a username has at most 64 characters')
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'a username is lower-case letters, digits, dot, dash, underscore',
  );

export const NewPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `a password has at most ${MAX_PASSWORD_LENGTH} characters`);

/**
 * A new account as an administrator asks for it. The server also checks the password against
 * its policy (common and breached passwords, runs, the username), which is kept on the server.
 */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, 'a display name has at least 1 character')
  .max(120, 'a display name has at most 120 characters');

export const NewUserRequestSchema = z.object({
  username: AccountUsernameSchema,
  displayName: DisplayNameSchema.optional(),
  role: RoleSchema,
  password: NewPasswordSchema.optional().describe(
    'The first password, set by the administrator; without it the server makes a temporary ' +
      'one and answers it once',
  ),
});
export type NewUserRequest = z.infer<typeof NewUserRequestSchema>;

/** A user as administrators see it: never a hash or a secret. */
export const UserSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  totpEnrolled: z.boolean(),
  disabled: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const AdminUserSchema = UserSummarySchema.extend({
  lockedUntil: z.string().nullable().describe('Set while a lockout after failed sign-ins runs'),
  createdAt: z.string(),
  lastSignInAt: z
    .string()
    .nullable()
    .describe('When the user last completed a sign-in (password and code); null if never'),
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

/** Shown once, to the administrator who then hands it to the user (stored only as a hash). */
export const WithEnrolmentCodeSchema = UserSummarySchema.extend({
  enrolmentCode: z.string().describe('One-time code the user needs to enrol an authenticator'),
  enrolmentCodeExpiresAt: z.string(),
});
export type WithEnrolmentCode = z.infer<typeof WithEnrolmentCodeSchema>;

/** A new account: its enrolment code, and the temporary password when the server made one. */
export const CreatedUserSchema = WithEnrolmentCodeSchema.extend({
  temporaryPassword: z
    .string()
    .optional()
    .describe('Made by the server when the request had no password; shown only now'),
});
export type CreatedUser = z.infer<typeof CreatedUserSchema>;

/** What ending a user's sessions did. */
export const SessionsEndedSchema = z.object({
  userId: z.string(),
  sessionsEnded: z.number().int().describe('Sessions that were live and are now ended'),
});

export const UserIdParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const UserPatchSchema = z
  .strictObject({
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    displayName: DisplayNameSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'say what to change: role, disabled or displayName',
  });
export type UserPatch = z.infer<typeof UserPatchSchema>;

const USER_BODY_LIMIT = 8 * 1024;

export const USER_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/users',
    access: 'users.manage',
    summary: 'List user accounts',
    tags: ['users'],
    response: z.object({ users: z.array(AdminUserSchema) }),
  }),
  create: endpoint({
    method: 'POST',
    path: '/v1/users',
    access: 'users.manage',
    summary:
      'Create a user account; the reply carries the one-time enrolment code and, when no ' +
      'password was given, a temporary one (both shown only now)',
    tags: ['users'],
    body: NewUserRequestSchema,
    response: CreatedUserSchema,
    status: 201,
    errors: [409],
    bodyLimit: USER_BODY_LIMIT,
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/v1/users/:id',
    access: 'users.manage',
    summary:
      "Change a user's role, display name, or disable the account (ends the account's sessions); " +
      'never your own role, and never the last active administrator',
    tags: ['users'],
    params: UserIdParamsSchema,
    body: UserPatchSchema,
    response: UserSummarySchema,
    errors: [404, 409],
    bodyLimit: USER_BODY_LIMIT,
  }),
  resetTotp: endpoint({
    method: 'POST',
    path: '/v1/users/:id/reset-totp',
    access: 'users.manage',
    summary:
      "Remove a user's authenticator app so they can enrol a new one; the reply carries the new enrolment code",
    tags: ['users'],
    params: UserIdParamsSchema,
    response: WithEnrolmentCodeSchema,
    errors: [404],
  }),
  unlock: endpoint({
    method: 'POST',
    path: '/v1/users/:id/unlock',
    access: 'users.manage',
    summary: 'Lift a lockout after failed sign-ins at once (audited as user.unlock)',
    tags: ['users'],
    params: UserIdParamsSchema,
    response: UserSummarySchema,
    errors: [404],
  }),
  endSessions: endpoint({
    method: 'POST',
    path: '/v1/users/:id/end-sessions',
    access: 'users.manage',
    summary: 'End every live session of a user at once: their consoles return to the sign-in',
    tags: ['users'],
    params: UserIdParamsSchema,
    response: SessionsEndedSchema,
    errors: [404],
  }),
  onShift: endpoint({
    method: 'GET',
    path: '/v1/users/on-shift',
    access: 'authenticated',
    summary: 'Who is signed in now: display name, role, since when (no contact details)',
    tags: ['users'],
    response: OnShiftSchema,
  }),
};

const UserIdArgs = z.object({ id: UserIdParamsSchema.shape.id }).strict();

export const USER_CALLS = {
  'users.onShift': serverCall(USER_ENDPOINTS.onShift, z.object({}).strict()),
  'users.list': serverCall(USER_ENDPOINTS.list, z.object({}).strict()),
  'users.create': serverCall(USER_ENDPOINTS.create, NewUserRequestSchema.strict()),
  'users.update': serverCall(
    USER_ENDPOINTS.update,
    z.strictObject({
      id: UserIdParamsSchema.shape.id,
      role: RoleSchema.optional(),
      disabled: z.boolean().optional(),
      displayName: DisplayNameSchema.optional(),
    }),
  ),
  'users.resetTotp': serverCall(USER_ENDPOINTS.resetTotp, UserIdArgs),
  'users.unlock': serverCall(USER_ENDPOINTS.unlock, UserIdArgs),
  'users.endSessions': serverCall(USER_ENDPOINTS.endSessions, UserIdArgs),
};

const AccountSchema = z.object({ userId: z.string(), username: z.string() });

/** Account changes are for administrators, and a user hears of changes to their own account. */
export const USER_EVENTS = {
  'user.created': defineEvent(AccountSchema.extend({ role: RoleSchema }), {
    priority: 'routine',
    audience: [holders('users.manage')],
  }),
  'user.updated': defineEvent(
    AccountSchema.extend({
      role: RoleSchema.optional(),
      disabled: z.boolean().optional(),
      totpEnrolled: z.boolean().optional(),
      passwordChanged: z.boolean().optional(),
    }),
    {
      priority: 'routine',
      audience: [holders('users.manage'), theUser((p) => p.userId)],
    },
  ),
  'user.unlocked': defineEvent(AccountSchema, {
    priority: 'routine',
    audience: [holders('users.manage'), theUser((p) => p.userId)],
  }),
  'user.sessions_ended': defineEvent(AccountSchema.extend({ sessionsEnded: z.number().int() }), {
    priority: 'routine',
    audience: [holders('users.manage')],
  }),
  'user.locked': defineEvent(AccountSchema.extend({ lockedUntil: z.string() }), {
    priority: 'notable',
    audience: [holders('users.manage')],
    describe: (p) => ({
      title: 'Account locked',
      body: `${p.username} is locked out after repeated failed sign-ins until ${p.lockedUntil}.`,
    }),
  }),
};
