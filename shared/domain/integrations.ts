import { z } from 'zod';
import { IngestScopeSchema } from './roles';

/**
 * An integration is a machine that posts to /v1/ingest (a CAD, an LPR system, a gunshot sensor)
 * with a key of its own, made for one scope (docs/integrations.md).
 */

/** How an administrator names an integration: short, so that the audit trail reads well. */
export const IntegrationNameSchema = z
  .string()
  .trim()
  .min(2, 'a name has at least 2 characters')
  .max(64, 'a name has at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/,
    'a name is letters, digits, space, dot, dash, underscore',
  );

/** An integration as administrators see it: never its key, not even hashed. */
export const IntegrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: IngestScopeSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Integration = z.infer<typeof IntegrationSchema>;
