import { z } from 'zod';
import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { RoleSchema } from '../../shared/domain/roles';
import { lockedUntil } from '../auth/lockout';
import { listSignedIn, revokeUserSessions } from '../auth/sessions';
import { serve } from '../http/serve';
import { USER_ENDPOINTS } from '../../shared/api/users';
import { resetTotpById } from '../auth/totpEnrollment';
import {
  createUser,
  findUserById,
  NewUserSchema,
  summarizeUser,
  unlockUser,
  type UserRow,
} from './userStore';
import type { Actor } from '../audit/actor';

/** A user as administrators see it: never a hash or a secret. */
const UserSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  totpEnrolled: z.boolean(),
  disabled: z.boolean(),
});

const AdminUserSchema = UserSummarySchema.extend({
  lockedUntil: z.string().nullable().describe('Set while a lockout after failed sign-ins runs'),
  createdAt: z.string(),
});

/** Shown once, to the administrator who then hands it to the user (stored only as a hash). */
const WithEnrolmentCodeSchema = UserSummarySchema.extend({
  enrolmentCode: z.string().describe('One-time code the user needs to enrol an authenticator'),
  enrolmentCodeExpiresAt: z.string(),
});

function withEnrolmentCode<U extends { readonly enrolment: { code: string; expiresAt: string } }>(
  u: U,
) {
  const { enrolment, ...summary } = u;
  return {
    ...summary,
    enrolmentCode: enrolment.code,
    enrolmentCodeExpiresAt: enrolment.expiresAt,
  };
}

const UserIdParams = z.object({ id: z.string().min(1).max(100) });

const UserPatchSchema = z
  .strictObject({
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    displayName: z.string().trim().min(1).max(120).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'say what to change: role, disabled or displayName',
  });
type UserPatch = z.infer<typeof UserPatchSchema>;

const USER_BODY_LIMIT = 8 * 1024;

const errors = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
};

export const userRoutes: RouteModule = (api, ctx) => {
  const actorOf = (req: Parameters<typeof principalOf>[0]): Actor => {
    const p = principalOf(req);
    return { id: p.userId, name: p.username };
  };

  serve(api, USER_ENDPOINTS.onShift, async () => {
    const rows = await listSignedIn(
      ctx.store,
      new Date(ctx.clock.now()),
      ctx.config.sessionIdleMinutes * 60_000,
    );
    return {
      users: rows.map((r) => ({
        userId: r.user_id,
        displayName: r.display_name,
        role: r.role,
        since: new Date(r.since).toISOString(),
        lastSeenAt: new Date(r.last_seen_at).toISOString(),
      })),
    };
  });

  api.get(
    '/v1/users',
    {
      config: { access: 'users.manage' },
      schema: {
        summary: 'List user accounts',
        tags: ['users'],
        response: { 200: z.object({ users: z.array(AdminUserSchema) }), ...errors },
      },
    },
    async () => {
      const res = await ctx.store.query<UserRow>('select * from users order by username');
      const now = ctx.clock.now();
      return {
        users: res.rows.map((u) => {
          const until = lockedUntil(u, now);
          return {
            ...summarizeUser(u),
            lockedUntil: until === null ? null : new Date(until).toISOString(),
            createdAt: new Date(u.created_at).toISOString(),
          };
        }),
      };
    },
  );

  api.post(
    '/v1/users',
    {
      config: { access: 'users.manage' },
      bodyLimit: USER_BODY_LIMIT,
      schema: {
        summary: 'Create a user account',
        description:
          'The reply carries the one-time enrolment code (shown only now) that the user needs ' +
          'to enrol an authenticator app at first sign-in.',
        tags: ['users'],
        body: NewUserSchema,
        response: { 201: WithEnrolmentCodeSchema, ...errors, 409: ApiErrorSchema },
      },
    },
    async (req, reply) => {
      const user = await createUser(ctx, req.body, actorOf(req));
      return reply.status(201).send(withEnrolmentCode(user));
    },
  );

  api.patch(
    '/v1/users/:id',
    {
      config: { access: 'users.manage' },
      bodyLimit: USER_BODY_LIMIT,
      schema: {
        summary: "Change a user's role, display name, or disable the account",
        description:
          'Disabling an account or changing its role ends its sessions, so the change ' +
          'takes effect at once rather than when the access token runs out.',
        tags: ['users'],
        params: UserIdParams,
        body: UserPatchSchema,
        response: { 200: UserSummarySchema, ...errors, 404: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (req) => updateUser(req.params.id, req.body, actorOf(req)),
  );

  api.post(
    '/v1/users/:id/reset-totp',
    {
      config: { access: 'users.manage' },
      schema: {
        summary: "Remove a user's authenticator app so they can enrol a new one",
        description: 'The reply carries the new one-time enrolment code, shown only now.',
        tags: ['users'],
        params: UserIdParams,
        response: { 200: WithEnrolmentCodeSchema, ...errors, 404: ApiErrorSchema },
      },
    },
    async (req) => withEnrolmentCode(await resetTotpById(ctx, req.params.id, actorOf(req))),
  );

  api.post(
    '/v1/users/:id/unlock',
    {
      config: { access: 'users.manage' },
      schema: {
        summary: 'Lift a lockout after failed sign-ins at once',
        description: 'Clears the failure count and the lock; audited as user.unlock.',
        tags: ['users'],
        params: UserIdParams,
        response: { 200: UserSummarySchema, ...errors, 404: ApiErrorSchema },
      },
    },
    async (req) => {
      const user = await unlockUser(ctx, req.params.id, actorOf(req));
      ctx.signInThrottle?.unlocked(user.username);
      return user;
    },
  );

  async function updateUser(id: string, patch: UserPatch, actor: Actor) {
    const { value } = await ctx.record({
      apply: async ({ tx, at }) => {
        const before = await findUserById(tx, id);
        if (!before) throw new HttpError(404, `There is no user with id "${id}".`);
        const roleChanges = patch.role !== undefined && patch.role !== before.role;
        const disabling = patch.disabled === true && !before.disabled;
        // Keeps at least the administrator making the change able to sign in and manage users.
        if (id === actor.id && (roleChanges || disabling)) {
          throw new HttpError(
            409,
            'You cannot disable your own account or change your own role: ask another administrator.',
          );
        }
        const res = await tx.query<UserRow>(
          `update users set role = coalesce($2, role), disabled = coalesce($3, disabled),
             display_name = coalesce($4, display_name)
           where id = $1 returning *`,
          [id, patch.role ?? null, patch.disabled ?? null, patch.displayName ?? null],
        );
        const after = res.rows[0]!;
        let sessionsRevoked = 0;
        if (disabling) sessionsRevoked = await revokeUserSessions(tx, id, at, 'disabled');
        else if (roleChanges)
          sessionsRevoked = await revokeUserSessions(tx, id, at, 'role_changed');
        return { before, after, sessionsRevoked };
      },
      audit: ({ before, after, sessionsRevoked }) => ({
        actorId: actor.id,
        actorName: actor.name,
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
};

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
