import type { ServerContext } from '../context';
import type { Clock } from '../../shared/time/clock';
import type { SharingAccess } from '../../shared/domain/sharingPolicy';
import type { GrantRevokedPayload } from '../../shared/api/cameras';
import { auditBy, SYSTEM_ACTOR } from '../audit/actor';
import { getAgency } from '../agency/agencyRepository';
import { sharingOf, type CameraRow } from './cameraRows';
import { decideAccess } from '../../shared/policy/decideAccess';
import { revokeGrant } from './grantRevocation';

/**
 * A grant whose expiry was cut to the policy's closing time lapses at that very instant, a moment
 * before the sweep that would revoke it. Grants that lapsed this recently are still looked at,
 * so the viewer's console hears why its stream stopped.
 */
export const RECENTLY_LAPSED_MS = 2 * 60_000;

/** The sweeper's name among the supervisor's tasks. */
export const GRANT_SWEEP_TASK = 'cameras.grant-sweep';

interface SweepRow {
  readonly id: string;
  readonly camera_id: string;
  readonly user_id: string;
  readonly access: SharingAccess;
  readonly kind: CameraRow['kind'];
  readonly sharing: CameraRow['sharing'];
  readonly alarm_active: boolean;
}

/** Thrown inside a revocation to roll it back when someone else ended the grant first. */
class AlreadyEnded extends Error {}

/**
 * Ends grants the owner's policy no longer allows: a schedule window closed, an agreement ran
 * out. No timers inside: whoever owns it calls `tick()` (the app every few seconds, tests when
 * they move the clock), so every transition is a plain test.
 */
export class GrantSweeper {
  constructor(
    private readonly ctx: ServerContext,
    private readonly clock: Clock,
  ) {}

  /** One sweep; returns what it revoked. */
  async tick(): Promise<GrantRevokedPayload[]> {
    const now = this.clock.now();
    // Agency cameras need no consent; registered ones never have grants.
    const res = await this.ctx.store.query<SweepRow>(
      `select g.id, g.camera_id, g.user_id, g.access, c.kind, c.sharing, c.alarm_active
       from camera_grants g join cameras c on c.id = g.camera_id
       where g.revoked_at is null and g.expires_at > $1 and c.kind = 'integrated'
       order by g.expires_at, g.id`,
      [new Date(now - RECENTLY_LAPSED_MS).toISOString()],
    );
    if (res.rows.length === 0) return [];
    const { timeZone } = await getAgency(this.ctx.store);
    const revoked: GrantRevokedPayload[] = [];
    for (const g of res.rows) {
      const subject = { kind: g.kind, sharing: sharingOf(g), alarmActive: g.alarm_active };
      const decision = decideAccess(subject, g.access, now, timeZone);
      if (decision.allowed) continue;
      const payload = await this.revoke(g.id, decision.reason, decision.denial);
      if (payload) revoked.push(payload);
    }
    return revoked;
  }

  private async revoke(
    grantId: string,
    reason: string,
    denial: string,
  ): Promise<GrantRevokedPayload | null> {
    try {
      const { value } = await this.ctx.record({
        apply: async ({ tx, at }) => {
          const payload = await revokeGrant(tx, at, grantId, reason);
          if (!payload) throw new AlreadyEnded();
          return payload;
        },
        audit: (p) =>
          auditBy(SYSTEM_ACTOR, {
            action: 'stream.grant.revoke',
            targetType: 'grant',
            targetId: grantId,
            outcome: 'success',
            details: { cameraId: p.cameraId, userId: p.userId, denial, reason },
          }),
        event: (p) => ({ type: 'grant.revoked', payload: { ...p } }),
      });
      return value;
    } catch (err) {
      if (err instanceof AlreadyEnded) return null;
      throw err;
    }
  }
}

export interface RunningSweeper {
  stop(): Promise<void>;
}

/**
 * Runs a sweeper every `intervalMs` under the server's task supervisor: one sweep at a time, a
 * failed sweep (the database away) logged and retried with backoff. `stop()` cancels it and waits
 * for a sweep in progress, so the store can close behind it.
 */
export function startGrantSweeper(ctx: ServerContext, intervalMs: number): RunningSweeper {
  const sweeper = new GrantSweeper(ctx, ctx.clock);
  const task = ctx.tasks.every(GRANT_SWEEP_TASK, intervalMs, async () => {
    await sweeper.tick();
  });
  return { stop: () => task.cancel() };
}
