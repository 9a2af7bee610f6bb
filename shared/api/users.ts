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

export const USER_ENDPOINTS = {
  onShift: endpoint({
    method: 'GET',
    path: '/v1/users/on-shift',
    access: 'authenticated',
    summary: 'Who is signed in now: display name, role, since when (no contact details)',
    tags: ['users'],
    response: OnShiftSchema,
  }),
};

export const USER_CALLS = {
  'users.onShift': serverCall(USER_ENDPOINTS.onShift, z.object({}).strict()),
};

const AccountSchema = z.object({ userId: z.string(), username: z.string() });

/** Account changes are for administrators, and a user hears of changes to their own account. */
export const USER_EVENTS = {
  'user.created': defineEvent(AccountSchema.extend({ role: RoleSchema }), {
    priority: 'routine',
    audience: [holders('users.manage')],
    notShown: 'kept for the administration view, which reads the user list when opened',
  }),
  'user.updated': defineEvent(
    AccountSchema.extend({
      role: RoleSchema.optional(),
      disabled: z.boolean().optional(),
      totpEnrolled: z.boolean().optional(),
    }),
    {
      priority: 'routine',
      audience: [holders('users.manage'), theUser((p) => p.userId)],
      notShown:
        "a change to someone's role or status ends their sessions; the administration view reads the list when opened",
    },
  ),
  'user.unlocked': defineEvent(AccountSchema, {
    priority: 'routine',
    audience: [holders('users.manage'), theUser((p) => p.userId)],
    notShown: 'the administration view reads the user list when opened',
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
