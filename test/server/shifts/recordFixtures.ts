import { auditBy, type Actor } from '../../../server/audit/actor';
import type { AuditOutcome } from '../../../server/audit/auditChain';
import type { TestApp } from '../../support/testApp';

/**
 * Writes audit rows at chosen times through the one audit writer, as the modules that own the
 * actions do (pulls, evidence and cases are built apart; their rows look like these).
 */
export async function recordAt(
  t: TestApp,
  at: string,
  actor: Actor,
  entry: {
    readonly action: string;
    readonly targetType?: string;
    readonly targetId?: string;
    readonly outcome?: AuditOutcome;
    readonly details?: Record<string, unknown>;
  },
): Promise<void> {
  const was = t.clock.now();
  t.clock.set(Date.parse(at));
  try {
    await t.app.ctx.record({
      audit: auditBy(actor, { outcome: 'success', ...entry }),
      event: null,
    });
  } finally {
    t.clock.set(was);
  }
}

/** A successful camera view for a reason, as a grant records it (docking writes the note). */
export function viewFor(
  reference: string | undefined,
  opts: { code?: string; docked?: boolean; camera?: string } = {},
) {
  return {
    action: 'stream.grant',
    targetType: 'camera',
    targetId: opts.camera ?? 'cam-1',
    details: {
      reason: {
        code: opts.code ?? 'active_incident',
        ...(reference ? { reference } : {}),
        ...(opts.docked ? { note: `Docked: call ${reference}` } : {}),
      },
      access: 'live',
      variant: 'sub',
    },
  };
}
