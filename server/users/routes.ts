import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { lockedUntil } from '../auth/lockout';
import { listSignedIn } from '../auth/sessions';
import { resetTotpById } from '../auth/totpEnrollment';
import { USER_ENDPOINTS } from '../../shared/api/users';
import { listUsers, summarizeUser } from './userRepository';
import { createUser, endUserSessions, unlockUser, updateUser } from './userChanges';
import { sessionIdleMs } from '../auth/sessionIdle';

/** An account with the one-time enrolment code its owner needs, as the administrator sees it once. */
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

/** Accounts (administrators) and who is on shift (everyone); shared/api/users.ts declares them. */
export const userRoutes: RouteModule = (api, ctx) => {
  serve(api, USER_ENDPOINTS.onShift, async () => {
    const rows = await listSignedIn(
      ctx.store,
      new Date(ctx.clock.now()),
      await sessionIdleMs(ctx, ctx.store),
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

  serve(api, USER_ENDPOINTS.list, async () => {
    const now = ctx.clock.now();
    return {
      users: (await listUsers(ctx.store)).map((u) => {
        const until = lockedUntil(u, now);
        return {
          ...summarizeUser(u),
          lockedUntil: until === null ? null : new Date(until).toISOString(),
          createdAt: new Date(u.created_at).toISOString(),
          lastSignInAt:
            u.last_sign_in_at === null ? null : new Date(u.last_sign_in_at).toISOString(),
        };
      }),
    };
  });

  serve(api, USER_ENDPOINTS.create, async ({ req, body }) =>
    withEnrolmentCode(await createUser(ctx, body, actorOf(req))),
  );

  serve(api, USER_ENDPOINTS.update, async ({ req, params, body }) =>
    updateUser(ctx, params.id, body, actorOf(req)),
  );

  serve(api, USER_ENDPOINTS.resetTotp, async ({ req, params }) =>
    withEnrolmentCode(await resetTotpById(ctx, params.id, actorOf(req))),
  );

  serve(api, USER_ENDPOINTS.unlock, async ({ req, params }) => {
    const user = await unlockUser(ctx, params.id, actorOf(req));
    ctx.signInThrottle?.unlocked(user.username);
    return user;
  });

  serve(api, USER_ENDPOINTS.endSessions, async ({ req, params }) =>
    endUserSessions(ctx, params.id, actorOf(req)),
  );
};
