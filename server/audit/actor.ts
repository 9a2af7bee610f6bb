import type { AuditEntry } from './auditChain';

/** Who made a change: a signed-in user, or the system itself (command line, first start, timers). */
export interface Actor {
  readonly id: string | null;
  readonly name: string;
}

/** The actor for changes made from the command line, at first start or by a timer. */
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

/** An audit entry made by an actor: the one way changes name who made them. */
export function auditBy(
  actor: Actor,
  entry: Omit<AuditEntry, 'actorId' | 'actorName'>,
): AuditEntry {
  return { actorId: actor.id, actorName: actor.name, ...entry };
}

/** A signed-in user as the actor of what they do. */
export function actorOfPrincipal(p: { readonly userId: string; readonly username: string }): Actor {
  return { id: p.userId, name: p.username };
}

/**
 * A machine posting with its integration key. The id is prefixed so that the trail never takes
 * an integration for a user with the same id.
 */
export function actorOfIntegration(i: { readonly id: string; readonly name: string }): Actor {
  return { id: `integration:${i.id}`, name: `integration:${i.name}` };
}
