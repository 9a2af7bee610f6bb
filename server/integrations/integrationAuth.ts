import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import type { Integration } from '../../shared/domain/integrations';
import type { IngestScope } from '../../shared/domain/roles';
import { actorOfIntegration, auditBy, type Actor } from '../audit/actor';
import { apiError } from '../http/errorHandler';
import { bearerToken } from '../http/bearerToken';
import { hashIntegrationKey } from './integrationKeys';
import { findIntegrationByKeyHash } from './integrationRepository';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on ingest routes: the integration whose key the request carried. */
    integration: Integration | null;
  }
}

/**
 * The guard of an ingest route: the request must carry an integration key of the route's scope.
 * The key is looked up in the database on every request, so a key made or revoked by another
 * process (the command line on PostgreSQL, another server instance) counts at once.
 */
export async function guardIngest(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  scope: IngestScope,
): Promise<FastifyReply | undefined> {
  const key = bearerToken(req);
  const found = key ? await findIntegrationByKeyHash(ctx.store, hashIntegrationKey(key)) : null;
  if (!found || found.revokedAt !== null) {
    const why = !key
      ? 'This endpoint takes an integration key: send it as "Authorization: Bearer <key>".'
      : 'The integration key is not valid or has been revoked.';
    return reply.status(401).send(apiError(401, why));
  }
  if (found.scope !== scope) {
    await ctx.record({
      audit: auditBy(actorOfIntegration(found), {
        action: 'permission.denied',
        targetType: 'route',
        targetId: `${req.method} ${req.routeOptions.url}`,
        outcome: 'denied',
        details: { scope, keyScope: found.scope },
      }),
      event: null,
    });
    return reply
      .status(403)
      .send(
        apiError(
          403,
          `This integration key is for "${found.scope}" and may not post "${scope}" data.`,
        ),
      );
  }
  req.integration = found;
  return undefined;
}

/** The integration of an ingest request. */
export function integrationOf(req: FastifyRequest): Integration {
  if (!req.integration) throw new Error('integrationOf called outside an ingest route');
  return req.integration;
}

/** The integration of an ingest request, as the actor its changes are audited under. */
export function integrationActorOf(req: FastifyRequest): Actor {
  return actorOfIntegration(integrationOf(req));
}
