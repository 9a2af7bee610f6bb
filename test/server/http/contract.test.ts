import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import fastifySwagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Endpoint } from '../../../shared/api/contract';
import { WATCHFLOOR_CALLS } from '../../../shared/api/watchfloorApi';
import type { Api } from '../../../server/http/api';
import { serve } from '../../../server/http/serve';
import { startTestApp, type TestApp } from '../../support/testApp';

type OpenApi = { paths: Record<string, Record<string, unknown>> };

const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

const SERVER_CALLS = Object.entries(WATCHFLOOR_CALLS).flatMap(([name, d]) =>
  'endpoint' in d && d.endpoint ? [{ name, definition: d, endpoint: d.endpoint as Endpoint }] : [],
);

/** The OpenAPI document of a server that has nothing but these endpoints, as declared. */
async function documentOf(endpoints: readonly Endpoint[]): Promise<OpenApi> {
  const fastify = Fastify();
  const api = fastify.withTypeProvider<ZodTypeProvider>() as unknown as Api;
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  await api.register(fastifySwagger, {
    openapi: { info: { title: 'declared', version: '1' } },
    transform: jsonSchemaTransform,
  });
  for (const e of endpoints) serve(api, e, async () => ({}) as never);
  await api.ready();
  const doc = api.swagger() as unknown as OpenApi;
  await api.close();
  return doc;
}

/**
 * The console's server calls are declared once, in shared/api/<domain>.ts. Walk every one: the
 * running server must have the route, with the same permission, and its OpenAPI entry (request
 * and response schemas, statuses) must be exactly what the declaration alone produces.
 */
describe('the console contract against the server', () => {
  let t: TestApp;
  let served: OpenApi;
  let declared: OpenApi;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    served = (await t.app.api.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    declared = await documentOf(SERVER_CALLS.map((c) => c.endpoint));
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('has server calls to check', () => {
    expect(SERVER_CALLS.map((c) => c.name)).toEqual(
      expect.arrayContaining(['cameras.list', 'layouts.save', 'events.since', 'users.onShift']),
    );
  });

  it.each(SERVER_CALLS)(
    '$name has its route, permission and schemas',
    ({ definition, endpoint }) => {
      const method = endpoint.method.toLowerCase();
      const path = openApiPath(endpoint.path);
      const route = t.app.routes.find(
        (r) => r.method === endpoint.method && r.url === endpoint.path,
      );
      expect(route, `${endpoint.method} ${endpoint.path} is served`).toBeDefined();
      expect(route!.access).toBe(endpoint.access);
      // The call's result is the endpoint's response, not a copy of it.
      expect(definition.result).toBe(endpoint.response);
      const entry = served.paths[path]?.[method];
      expect(entry, `${method} ${path} in /v1/openapi.json`).toBeDefined();
      expect(entry).toEqual(declared.paths[path]![method]);
    },
  );

  it('a route whose schema drifted from its declaration is caught', async () => {
    const e = SERVER_CALLS.find((c) => c.name === 'layouts.save')!.endpoint;
    const drifted = await documentOf([{ ...e, errors: [...e.errors, 404] }]);
    const path = openApiPath(e.path);
    expect(served.paths[path]!.put).not.toEqual(drifted.paths[path]!.put);
  });
});
