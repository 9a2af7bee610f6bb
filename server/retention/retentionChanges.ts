import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { LegalHold } from '../../shared/api/retention';
import {
  findCaseHold,
  findCaseHoldForUpdate,
  setCaseHold,
  type HoldRow,
} from './retentionRepository';

export function holdOf(r: HoldRow): LegalHold {
  return {
    number: r.number,
    held: r.legal_hold,
    reason: r.legal_hold_reason,
    setAt: r.legal_hold_set_at === null ? null : new Date(r.legal_hold_set_at).toISOString(),
    setBy: r.legal_hold_set_by,
  };
}

/** A case's legal hold as it stands; 404 for a case that does not exist. */
export async function legalHoldOf(ctx: ServerContext, number: string): Promise<LegalHold> {
  const found = await findCaseHold(ctx.store, number);
  if (!found) throw new HttpError(404, `There is no case ${number}.`);
  return holdOf(found);
}

/**
 * Sets or lifts a case's legal hold (docs/retention.md): while it is set, the purge keeps
 * everything linked to the case whatever its age. Audited with the reason and the state before,
 * so that who held or released what, and why, is in the trail.
 */
export async function setLegalHold(
  ctx: ServerContext,
  actor: Actor,
  number: string,
  change: { readonly held: boolean; readonly reason: string },
): Promise<LegalHold> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await findCaseHoldForUpdate(tx, number);
      if (!found) throw new HttpError(404, `There is no case ${number}.`);
      const after = await setCaseHold(tx, found.id, {
        held: change.held,
        reason: change.reason,
        at,
        by: actor.name,
      });
      return { before: holdOf(found), after: holdOf(after) };
    },
    audit: ({ before, after }) =>
      auditBy(actor, {
        action: change.held ? 'case.legal_hold.set' : 'case.legal_hold.lift',
        targetType: 'case',
        targetId: after.number,
        outcome: 'success',
        details: { reason: change.reason, wasHeld: before.held, previousReason: before.reason },
      }),
    event: ({ after }) => ({
      type: 'case.holdChanged',
      payload: { number: after.number, held: after.held, byName: actor.name },
    }),
  });
  return value.after;
}
