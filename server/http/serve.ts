import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint } from '../../shared/api/contract';
import { ApiErrorSchema } from '../../shared/api/errors';
import { ingestScopeOf } from '../../shared/domain/roles';
import type { Api } from './api';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What an endpoint's handler is given: the request's parts, parsed with the endpoint's schemas. */
export interface EndpointInput<E extends Endpoint> {
  readonly params: Parsed<E['params']>;
  readonly query: Parsed<E['query']>;
  readonly body: Parsed<E['body']>;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * Answers with the endpoint's response, or with the reply itself when the handler has sent it
 * (a body the database already wrote as JSON).
 */
export type EndpointHandler<E extends Endpoint> = (
  input: EndpointInput<E>,
) => Promise<z.input<E['response']> | FastifyReply>;

/**
 * Registers the route that answers an endpoint declared in shared/api/<domain>.ts: the method,
 * path, permission, request and response schemas all come from that one declaration, so the
 * console's calls and the server cannot drift apart (docs/architecture.md).
 */
export function serve<E extends Endpoint>(api: Api, e: E, handler: EndpointHandler<E>): void {
  const response: Record<number, z.ZodType> = { [e.status]: e.response };
  for (const status of e.errors) response[status] = ApiErrorSchema;
  api.route({
    method: e.method,
    url: e.path,
    config: { access: e.access },
    ...(e.bodyLimit === undefined ? {} : { bodyLimit: e.bodyLimit }),
    schema: {
      summary: e.summary,
      tags: [...e.tags],
      // Ingest routes take an integration key, not a person's access token.
      ...(ingestScopeOf(e.access) ? { security: [{ integrationKey: [] }] } : {}),
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body ? { body: e.body } : {}),
      response,
    },
    handler: async (req, reply) => {
      // Fastify has validated each part with the endpoint's own schema before this runs.
      const value = await handler({
        params: req.params as Parsed<E['params']>,
        query: req.query as Parsed<E['query']>,
        body: req.body as Parsed<E['body']>,
        req,
        reply,
      });
      if (value === reply) return reply;
      return reply.status(e.status).send(value);
    },
  });
}
