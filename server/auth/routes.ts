import type { RouteModule } from '../http/api';
import { principalOf } from '../http/guard';
import { HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { summarizeUser } from '../users/userStore';
import {
  LoginBodySchema,
  LoginReplySchema,
  LogoutReplySchema,
  MeReplySchema,
  RefreshBodySchema,
  RefreshReplySchema,
  TotpConfirmBodySchema,
  TotpConfirmReplySchema,
  TotpEnrollReplySchema,
} from './authApi';
import { loadAuthUser } from './authUser';
import { signIn } from './login';
import { decoyHash } from './passwords';
import { rotateRefreshToken } from './refresh';
import { sessionExpiresAt } from './refreshTokens';
import { findSession, revokeSession } from './sessions';
import { beginTotpEnrollment, confirmTotpEnrollment } from './totpEnrollment';

/** Sign-in bodies are a few hundred bytes; anything much larger is not a sign-in. */
const AUTH_BODY_LIMIT = 8 * 1024;

export const authRoutes: RouteModule = (api, ctx) => {
  // Computed now rather than on the first unknown username, which would otherwise answer slower.
  void decoyHash();

  api.post(
    '/v1/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Sign in with username, password and (when enrolled) a one-time code',
        description:
          'Every failure gets the same 401 reply, except `totp_required` after a correct password. ' +
          'Five consecutive failures lock the account for 10 minutes.',
        tags: ['auth'],
        security: [],
        body: LoginBodySchema,
        response: { 200: LoginReplySchema, 400: ApiErrorSchema, 401: ApiErrorSchema },
      },
    },
    async (req) => signIn(ctx, req.body),
  );

  api.post(
    '/v1/auth/refresh',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Swap a refresh token for a new access token and its successor',
        description:
          'Each refresh token works once. Presenting one a second time ends the whole session.',
        tags: ['auth'],
        security: [],
        body: RefreshBodySchema,
        response: { 200: RefreshReplySchema, 400: ApiErrorSchema, 401: ApiErrorSchema },
      },
    },
    async (req) => rotateRefreshToken(ctx, req.body.refreshToken),
  );

  api.post(
    '/v1/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Sign out: end this session and its refresh token',
        tags: ['auth'],
        response: { 200: LogoutReplySchema, 401: ApiErrorSchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { value } = await ctx.record({
        apply: async ({ tx, at }) => {
          await revokeSession(tx, p.sessionId, at, 'logout');
          return at.toISOString();
        },
        audit: {
          actorId: p.userId,
          actorName: p.username,
          action: 'auth.logout',
          targetType: 'session',
          targetId: p.sessionId,
          outcome: 'success',
          details: {},
        },
        event: {
          type: 'session.revoked',
          payload: { sessionId: p.sessionId, userId: p.userId, reason: 'logout' },
        },
      });
      return { sessionId: p.sessionId, revokedAt: value };
    },
  );

  api.get(
    '/v1/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Who is signed in, and how long the session has left',
        tags: ['auth'],
        response: { 200: MeReplySchema, 401: ApiErrorSchema },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const [user, session] = await Promise.all([
        loadAuthUser(ctx.store, p.userId),
        findSession(ctx.store, p.sessionId),
      ]);
      if (!user || !session) throw new HttpError(401, 'The session has ended: sign in again.');
      return {
        user: summarizeUser(user),
        session: {
          id: session.id,
          createdAt: new Date(session.created_at).toISOString(),
          lastSeenAt: new Date(session.last_seen_at).toISOString(),
          expiresAt: sessionExpiresAt(session.created_at).toISOString(),
          idleMinutes: ctx.config.sessionIdleMinutes,
        },
      };
    },
  );

  api.post(
    '/v1/auth/totp/enroll',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Start enrolling an authenticator app: returns the secret to scan',
        description: 'The secret is pending until confirmed with a code from the app.',
        tags: ['auth'],
        response: { 200: TotpEnrollReplySchema, 401: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (req) => beginTotpEnrollment(ctx, principalOf(req)),
  );

  api.post(
    '/v1/auth/totp/confirm',
    {
      config: { access: 'authenticated' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Finish enrolling: a current code from the app turns the second factor on',
        tags: ['auth'],
        body: TotpConfirmBodySchema,
        response: {
          200: TotpConfirmReplySchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          409: ApiErrorSchema,
        },
      },
    },
    async (req) => {
      await confirmTotpEnrollment(ctx, principalOf(req), req.body.code);
      return { totpEnrolled: true as const };
    },
  );
};
