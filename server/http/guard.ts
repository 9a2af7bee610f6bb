import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ingestScopeOf,
  roleHas,
  type Permission,
  type RouteAccess,
} from '../../shared/domain/roles';
import type { Principal } from '../auth/principal';
import type { Actor } from '../audit/actor';
import type { ServerContext } from '../context';
import { checkSession } from '../auth/sessionActivity';
import type { SessionScope } from '../auth/refreshTokens';
import { apiError } from './errorHandler';
import { bearerToken } from './bearerToken';
import { guardIngest } from '../integrations/integrationAuth';
import { sessionIdleMs } from '../auth/sessionIdle';

export type { RouteAccess };

/** The code of the 403 that a half sign-in gets anywhere but the enrolment step. */
export const ENROLMENT_REQUIRED = 'enrolment_required';

const ENROLMENT_REQUIRED_MESSAGE =
  'Enrol an authenticator app first: until then this sign-in can do nothing else.';

/** The code of the 403 that a sign-in with a temporary password gets anywhere but its change. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';

const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  'Choose a new password first (POST /v1/auth/password): the temporary one an administrator ' +
  'gave you opens nothing else.';

/** Why a session of a limited scope is refused a route, as message and code. */
function limitedScopeRefusal(scope: Exclude<SessionScope, 'full'>) {
  return scope === 'enrolment'
    ? { message: ENROLMENT_REQUIRED_MESSAGE, code: ENROLMENT_REQUIRED }
    : { message: PASSWORD_CHANGE_REQUIRED_MESSAGE, code: PASSWORD_CHANGE_REQUIRED };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * False for a route the console calls by itself (the event stream, opened again after every
     * access-token lifetime): reaching it does not count as activity toward the idle limit.
     */
    countsAsActivity?: boolean;
    /**
     * True for the one route a session with a temporary password may reach besides the
     * enrolment steps and sign-out: the change of that password (docs/users.md).
     */
    passwordChangeStep?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Whether authenticating records activity on the session: 'touch' for what a person does,
 * 'check' for what the console or server does by itself (a stream's recheck, a stream reopened),
 * which must not keep an unattended console from idling out (CJIS 5.5.5).
 */
export type SessionUse = 'touch' | 'check';

/** Resolves a bearer token to a live session's principal and its scope, or says why not. */
export async function authenticate(
  ctx: ServerContext,
  token: string | null,
  use: SessionUse,
): Promise<{ principal: Principal; scope: SessionScope } | { reason: string }> {
  if (!token) return { reason: 'Sign in first: this request carries no access token.' };
  const principal = await ctx.tokens.verify(token);
  if (!principal) return { reason: 'The access token is invalid or has expired.' };
  const check = await checkSession(
    ctx.store,
    ctx.clock,
    principal.sessionId,
    await sessionIdleMs(ctx, ctx.store),
    use === 'touch',
  );
  if (check.state === 'idle') {
    return { reason: 'The session expired after inactivity: sign in again.' };
  }
  if (check.state !== 'active') return { reason: 'The session has ended: sign in again.' };
  return { principal, scope: check.scope };
}

/**
 * Like authenticate, for everything but the enrolment steps: a session that may only enrol is
 * refused with the reason (the event stream and any other caller outside the route guard).
 */
export async function authenticateFull(
  ctx: ServerContext,
  token: string | null,
  use: SessionUse,
): Promise<{ principal: Principal } | { reason: string }> {
  const auth = await authenticate(ctx, token, use);
  if ('reason' in auth) return auth;
  if (auth.scope !== 'full') return { reason: limitedScopeRefusal(auth.scope).message };
  return { principal: auth.principal };
}

export function installGuard(app: FastifyInstance, ctx: ServerContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('integration', null);
  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config.access;
    if (req.routeOptions.url === undefined) return; // 404s: the not-found handler answers
    if (access === 'public') return;
    // Machines post with an integration key, never a person's session (docs/integrations.md).
    const scope = ingestScopeOf(access);
    if (scope) return guardIngest(ctx, req, reply, scope);
    const use = req.routeOptions.config.countsAsActivity === false ? 'check' : 'touch';
    const auth = await authenticate(ctx, bearerToken(req), use);
    if ('reason' in auth) {
      return reply.status(401).send(apiError(401, auth.reason));
    }
    req.principal = auth.principal;
    if (access === 'enrolment') return;
    const passwordStep =
      auth.scope === 'password_change' && req.routeOptions.config.passwordChangeStep === true;
    if (auth.scope !== 'full' && !passwordStep) {
      const { message, code } = limitedScopeRefusal(auth.scope);
      return reply.status(403).send(apiError(403, message, undefined, code));
    }
    if (access === 'authenticated') return;
    if (access !== undefined && roleHas(auth.principal.role, access as Permission)) return;
    await ctx.record({
      audit: {
        actorId: auth.principal.userId,
        actorName: auth.principal.username,
        action: 'permission.denied',
        targetType: 'route',
        targetId: `${req.method} ${req.routeOptions.url}`,
        outcome: 'denied',
        details: { permission: access ?? 'undeclared', role: auth.principal.role },
      },
      event: null,
    });
    const what = access ?? 'a permission this route never declared';
    return reply
      .status(403)
      .send(
        apiError(403, `Your role (${auth.principal.role}) does not allow this: it needs ${what}.`),
      );
  });
}

/** The principal of a route that is not public; routes call this rather than trusting `!`. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('principalOf called on a public route');
  return req.principal;
}

/** The signed-in user of a request, as the actor its changes are audited under. */
export function actorOf(req: FastifyRequest): Actor {
  const p = principalOf(req);
  return { id: p.userId, name: p.username };
}
