import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { Integration } from '../../shared/domain/integrations';
import type { IngestScope } from '../../shared/domain/roles';
import { hashIntegrationKey, newIntegrationKey } from './integrationKeys';
import { findIntegration, insertIntegration, revokeIntegrationRow } from './integrationRepository';

/** An integration just made, with the key that is shown this once. */
export interface CreatedIntegration extends Integration {
  readonly key: string;
}

export async function createIntegration(
  ctx: ServerContext,
  input: { readonly name: string; readonly scope: IngestScope },
  actor: Actor,
): Promise<CreatedIntegration> {
  const id = randomUUID();
  const key = newIntegrationKey();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = await insertIntegration(tx, {
        id,
        name: input.name,
        scope: input.scope,
        keyHash: hashIntegrationKey(key),
        createdBy: actor.name,
        at,
      });
      if (!row) {
        throw new HttpError(409, `There is already an integration named "${input.name}".`);
      }
      return row;
    },
    audit: auditBy(actor, {
      action: 'integration.create',
      targetType: 'integration',
      targetId: id,
      outcome: 'success',
      details: { name: input.name, scope: input.scope },
    }),
    // Only administrators care, and their view reads the list when opened.
    event: null,
  });
  return { ...value, key };
}

/** Revokes by id or name; its key is refused from the next request on. */
export async function revokeIntegration(
  ctx: ServerContext,
  idOrName: string,
  actor: Actor,
): Promise<Integration> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await findIntegration(tx, idOrName);
      if (!found) throw new HttpError(404, `There is no integration "${idOrName}".`);
      return (await revokeIntegrationRow(tx, found.id, at))!;
    },
    audit: (i) =>
      auditBy(actor, {
        action: 'integration.revoke',
        targetType: 'integration',
        targetId: i.id,
        outcome: 'success',
        details: { name: i.name, scope: i.scope },
      }),
    event: null,
  });
  return value;
}
