import { z } from 'zod';
import { IntegrationNameSchema, IntegrationSchema } from '../domain/integrations';
import { IngestScopeSchema } from '../domain/roles';
import { endpoint, serverCall } from './contract';

/** Integration keys (administrators): the machines that may post to /v1/ingest. */

export const IntegrationListSchema = z.object({ integrations: z.array(IntegrationSchema) });

export const NewIntegrationSchema = z.object({
  name: IntegrationNameSchema,
  scope: IngestScopeSchema,
});

/** The key is in this answer and nowhere else, ever: only its hash is kept. */
export const CreatedIntegrationSchema = IntegrationSchema.extend({
  key: z.string().describe('The bearer key the integration sends; shown once'),
});

const IdParams = z.object({ id: z.string().min(1).max(100) });

export const INTEGRATION_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/integrations',
    access: 'integrations.manage',
    summary: 'Every integration, revoked ones too, with when each last posted',
    tags: ['integrations'],
    response: IntegrationListSchema,
  }),
  create: endpoint({
    method: 'POST',
    path: '/v1/integrations',
    access: 'integrations.manage',
    summary: 'Create an integration and its key (answered once, stored hashed)',
    tags: ['integrations'],
    body: NewIntegrationSchema,
    response: CreatedIntegrationSchema,
    status: 201,
    errors: [409],
  }),
  revoke: endpoint({
    method: 'DELETE',
    path: '/v1/integrations/:id',
    access: 'integrations.manage',
    summary: "Revoke an integration's key: its next post is refused",
    tags: ['integrations'],
    params: IdParams,
    response: IntegrationSchema,
    errors: [404],
  }),
};

export const INTEGRATION_CALLS = {
  'integrations.list': serverCall(INTEGRATION_ENDPOINTS.list, z.object({}).strict()),
  'integrations.create': serverCall(INTEGRATION_ENDPOINTS.create, NewIntegrationSchema.strict()),
  'integrations.revoke': serverCall(
    INTEGRATION_ENDPOINTS.revoke,
    z.object({ id: z.string().min(1).max(100) }).strict(),
  ),
};
