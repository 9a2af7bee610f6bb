import type { RouteModule } from '../http/api';
import { auditBy, actorOfPrincipal } from '../audit/actor';
import { principalOf } from '../http/guard';
import { apiError, HttpError } from '../http/errorHandler';
import { ApiErrorSchema } from '../../shared/api/errors';
import { summarizeUser } from '../users/userRepository';
import {
  ChangePasswordBodySchema,
  ChangePasswordReplySchema,
  LoginBodySchema,
  LoginReplySchema,
  LogoutReplySchema,
  MeReplySchema,
  RefreshBodySchema,
  RefreshReplySchema,
  TotpConfirmBodySchema,
  TotpConfirmReplySchema,
  TotpEnrollBodySchema,
  TotpEnrollReplySchema,
} from './authApi';
import { AUTH_ERROR_CODES } from '../../shared/api/auth';
import { changePassword } from './passwordChange';
import { loadAuthUser } from './authUser';
import { SIGN_IN_FAILED_CODE, signIn } from './login';
import { decoyHash } from './passwords';
import { rotateRefreshToken } from './refresh';
import { sessionExpiresAt } from './refreshTokens';
import { findSession, revokeSession } from './sessions';
import { beginTotpEnrollment, confirmTotpEnrollment } from './totpEnrollment';
import { sessionIdleMs } from './sessionIdle';

/** Sign-in bodies are a few hundred bytes; anything much larger is not a sign-in. */
const AUTH_BODY_LIMIT = 8 * 1024;

export const authRoutes: RouteModule = (api, ctx) => {
  // Computed now rather than on the first unknown username, which would otherwise answer slower.
  void decoyHash();
  const throttle = ctx.signInThrottle;
  if (!throttle) throw new Error('the auth routes need the sign-in throttle');

  api.post(
    '/v1/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Sign in with username, password and (when enrolled) a one-time code',
        description:
          'Every failure gets the same 401 reply, except `totp_required` after a correct password. ' +
          'Five consecutive failures lock the account for 10 minutes. Failed sign-ins are ' +
          'throttled per client address and per account: past the limit the answer is 429 ' +
          'with Retry-After, and nothing is tried. An account with no authenticator gets ' +
          '`stage: enrolment` tokens that reach only the enrolment step.',
        tags: ['auth'],
        security: [],
        body: LoginBodySchema,
        response: {
          200: LoginReplySchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          429: ApiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const refusal = await throttle.admit(req, req.body.username);
      if (refusal) {
        const minutes = Math.ceil(refusal.retryAfterSeconds / 60);
        const from = refusal.kind === 'address' ? 'from this address' : 'for this account';
        return reply
          .status(429)
          .header('retry-after', String(refusal.retryAfterSeconds))
          .send(
            apiError(
              429,
              `Too many failed sign-ins ${from}: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
              undefined,
              AUTH_ERROR_CODES.tooManyAttempts,
            ),
          );
      }
      try {
        const result = await signIn(ctx, req.body);
        throttle.settle(req, req.body.username, 'succeeded');
        return result;
      } catch (err) {
        const failed = err instanceof HttpError && err.code === SIGN_IN_FAILED_CODE;
        throttle.settle(req, req.body.username, failed ? 'failed' : 'other');
        throw err;
      }
    },
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
      config: { access: 'enrolment' },
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
        audit: auditBy(actorOfPrincipal(p), {
          action: 'auth.logout',
          targetType: 'session',
          targetId: p.sessionId,
          outcome: 'success',
          details: {},
        }),
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
          expiresAt: sessionExpiresAt(session.created_at, session.scope).toISOString(),
          idleMinutes: (await sessionIdleMs(ctx, ctx.store)) / 60_000,
        },
      };
    },
  );

  api.post(
    '/v1/auth/totp/enroll',
    {
      config: { access: 'enrolment' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Start enrolling an authenticator app: returns the secret to scan',
        description:
          'Needs the one-time enrolment code an administrator handed over (`wf user add`, ' +
          '`wf user reset-totp`). The secret is pending until confirmed with a code from the ' +
          'app. A wrong enrolment code counts as a failed sign-in.',
        tags: ['auth'],
        body: TotpEnrollBodySchema,
        response: {
          200: TotpEnrollReplySchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          409: ApiErrorSchema,
        },
      },
    },
    async (req) => beginTotpEnrollment(ctx, principalOf(req), req.body.enrolmentCode),
  );

  api.post(
    '/v1/auth/totp/confirm',
    {
      config: { access: 'enrolment' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Finish enrolling: a current code from the app turns the second factor on',
        description:
          'Completes the sign-in: the session that could only enrol ends, and the reply ' +
          'carries the tokens of a full session.',
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
    async (req) => confirmTotpEnrollment(ctx, principalOf(req), req.body.code),
  );

  api.post(
    '/v1/auth/password',
    {
      config: { access: 'authenticated', passwordChangeStep: true },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        summary: 'Change your own password',
        description:
          'Needs the current password. The new one must have at least 12 characters and must ' +
          'not be a common or breached password, a repeated or sequential run, or contain the ' +
          'username (NIST SP 800-63B); there are no rules about character classes. Every ' +
          'other session of the user ends; a wrong current password counts as a failed sign-in. ' +
          'At a sign-in with a temporary password (`stage: password_change`) this is the one ' +
          'call allowed: the reply then carries the complete sign-in in `signIn`.',
        tags: ['auth'],
        body: ChangePasswordBodySchema,
        response: { 200: ChangePasswordReplySchema, 400: ApiErrorSchema, 401: ApiErrorSchema },
      },
    },
    async (req) => changePassword(ctx, principalOf(req), req.body),
  );
};
