import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { revokeUserSessions } from '../auth/sessions';
import type { UserPatch, UserSummary } from '../../shared/api/users';
import { findUserById, summarizeUser, type UserRow } from './userStore';

/**
 * Changes an account's role, display name or disabled flag. Disabling it or changing its role
 * ends its sessions, so the change takes effect at once rather than when the token runs out.
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
