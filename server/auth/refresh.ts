import type { ServerContext } from '../context';
import { HttpError } from '../http/errorHandler';
import { loadAuthUser, type AuthUserRow } from './authUser';
import { hashRefreshToken, sessionExpiresAt } from './refreshTokens';
import {
  addRefreshToken,
  findSession,
  issueTokens,
  revokeSession,
  type IssuedTokens,
  type RevokeReason,
} from './sessions';
import { sessionIdleMs } from './sessionIdle';

type Revoking = Extract<RevokeReason, 'refresh_reuse' | 'expired' | 'idle' | 'disabled'>;
type RefreshFailure = 'unknown_token' | 'revoked' | Revoking;

type Rotation =
  | { readonly ok: true; readonly user: AuthUserRow; readonly issued: IssuedTokens }
  | {
      readonly ok: false;
      readonly reason: RefreshFailure;
      readonly sessionId: string | null;
      readonly user: AuthUserRow | null;
      /** True when this attempt is what ended the session. */
      readonly revokedNow: boolean;
    };

const MESSAGES: Readonly<Record<RefreshFailure, string>> = {
  unknown_token: 'The refresh token is not valid: sign in again.',
  revoked: 'The session has ended: sign in again.',
  refresh_reuse:
    'This refresh token was already used, so the session has been ended to protect it: sign in again.',
  idle: 'The session expired after inactivity: sign in again.',
  expired: 'The session reached the end of its shift: sign in again.',
  disabled: 'The session has ended: sign in again.',
};

/**
 * Swaps a refresh token for its successor and a new access token, within the same session.
 *
 * A token is good once. Presenting one that was already swapped means two parties hold the
 * family (a stolen copy, or a restored backup): nobody can tell which is the owner, so the whole
 * session ends. Refreshing is not activity: the idle clock keeps running, or a console's
 * background refresh would keep an abandoned session alive forever.
 */
export async function rotateRefreshToken(
  ctx: ServerContext,
  refreshToken: string,
): Promise<IssuedTokens> {
  const tokenHash = hashRefreshToken(refreshToken);
  const { value } = await ctx.record<Rotation>({
    apply: async ({ tx, at }) => {
      const res = await tx.query<{ session_id: string; rotated_at: Date | string | null }>(
        'select session_id, rotated_at from refresh_tokens where token_hash = $1',
        [tokenHash],
      );
      const token = res.rows[0];
      const session = token ? await findSession(tx, token.session_id) : null;
      if (!token || !session) {
        return {
          ok: false,
          reason: 'unknown_token',
          sessionId: null,
          user: null,
          revokedNow: false,
        };
      }
      const user = await loadAuthUser(tx, session.user_id);
      const end = async (reason: Revoking): Promise<Rotation> => ({
        ok: false,
        reason,
        sessionId: session.id,
        user,
        revokedNow: await revokeSession(tx, session.id, at, reason),
      });
      if (session.revoked_at !== null) {
        return { ok: false, reason: 'revoked', sessionId: session.id, user, revokedNow: false };
      }
      const now = at.getTime();
      if (token.rotated_at !== null) return end('refresh_reuse');
      if (now >= sessionExpiresAt(session.created_at, session.scope).getTime())
        return end('expired');
      const idleMs = await sessionIdleMs(ctx, tx);
      if (now - new Date(session.last_seen_at).getTime() > idleMs) return end('idle');
      if (!user || user.disabled) return end('disabled');

      // Conditional on rotated_at so that two racing refreshes cannot both win.
      const swapped = await tx.query(
        'update refresh_tokens set rotated_at = $2 where token_hash = $1 and rotated_at is null',
        [tokenHash, at.toISOString()],
      );
      if (swapped.rowCount === 0) return end('refresh_reuse');
      const next = await addRefreshToken(tx, session.id, at);
      return { ok: true, user, issued: await issueTokens(ctx.tokens, user, session, next) };
    },
    audit: (r) => ({
      actorId: r.user?.id ?? null,
      actorName: r.user?.username ?? null,
      action: !r.ok && r.reason === 'refresh_reuse' ? 'auth.refresh_reuse' : 'auth.refresh',
      targetType: 'session',
      targetId: r.ok ? r.issued.sessionId : r.sessionId,
      outcome: r.ok ? 'success' : 'failure',
      details: r.ok ? {} : { reason: r.reason, sessionRevoked: r.revokedNow },
    }),
    event: (r) =>
      !r.ok && r.revokedNow && r.user && r.sessionId
        ? {
            type: 'session.revoked',
            payload: { sessionId: r.sessionId, userId: r.user.id, reason: r.reason },
          }
        : null,
  });
  if (!value.ok) throw new HttpError(401, MESSAGES[value.reason], undefined, 'session_ended');
  return value.issued;
}
