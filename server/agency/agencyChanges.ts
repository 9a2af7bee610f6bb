import { createHash } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import {
  AGENCY_SECTIONS,
  type AgencySectionName,
  type AgencySectionValue,
} from '../../shared/api/agency';
import { AgencyConfigSchema } from '../../shared/domain/agency';
import { getAgency, setAgency } from './agencyRepository';

/**
 * A section as the audit trail keeps it: a logo by its SHA-256 and size rather than its bytes
 * (which would make every later audit page heavy); the rest as saved.
 */
function auditable(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('logo' in value)) return value;
  const { logo, ...rest } = value as { logo?: unknown };
  if (typeof logo !== 'string') return value;
  return {
    ...rest,
    logo: { sha256: createHash('sha256').update(logo).digest('hex'), chars: logo.length },
  };
}

/**
 * Replaces one section of the agency's settings (docs/agency-settings.md). The route has checked
 * the value against the section's schema; the whole configuration is checked again before it is
 * written, so a section can never leave the agency unreadable. Audited as
 * `agency.<section>.update` with the section before and after; every console hears of it.
 */
export async function saveAgencySection<N extends AgencySectionName>(
  ctx: ServerContext,
  actor: Actor,
  name: N,
  value: AgencySectionValue<N>,
): Promise<AgencySectionValue<N>> {
  const section = AGENCY_SECTIONS[name] as unknown as {
    read(config: unknown): AgencySectionValue<N>;
    write(config: unknown, value: AgencySectionValue<N>): unknown;
  };
  const { value: change } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      const next = AgencyConfigSchema.safeParse(section.write(agency, value));
      if (!next.success) {
        const issue = next.error.issues[0]!;
        throw new HttpError(
          400,
          `The agency's settings would not be valid: ${issue.path.join('.') || 'settings'}: ${issue.message}`,
          next.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      await setAgency(tx, next.data, at);
      return { before: section.read(agency), after: section.read(next.data) };
    },
    audit: ({ before, after }) =>
      auditBy(actor, {
        action: `agency.${name}.update`,
        targetType: 'agency',
        targetId: name,
        outcome: 'success',
        details: { before: auditable(before), after: auditable(after) },
      }),
    event: { type: 'agency.changed', payload: { section: name, byName: actor.name } },
  });
  return change.after;
}
