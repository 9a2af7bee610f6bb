import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { ServerContext } from '../context';
import { auditBy, SYSTEM_ACTOR, type Actor } from '../audit/actor';
import { getAgency } from '../agency/agencyRepository';
import { isMediaHash } from '../media/mediaStore';
import type { PurgeRun } from '../../shared/api/retention';
import {
  RETENTION_KINDS,
  retentionCutoff,
  type RetentionKind,
  type RetentionSettings,
} from '../../shared/domain/retention';
import {
  addToRun,
  countHeld,
  finishRun,
  insertRun,
  lastRun,
  markInterrupted,
  PURGE_BATCHES,
  referencedMedia,
  type RunRow,
} from './retentionRepository';

/** The name of the daily purge under the task supervisor (tests run it with `runNow`). */
export const PURGE_TASK = 'retention.purge';
/** How often the server asks whether the daily run is due. */
export const PURGE_CHECK_MS = 60 * 60_000;
/** The scheduled run happens once a day. */
const DAY_MS = 86_400_000;
/**
 * A media file younger than this is never taken for an orphan: a worker writes the file before
 * the row that names it, and the row may not be committed yet.
 */
export const ORPHAN_GRACE_MS = 60 * 60_000;
/** Records per batch: small enough that a batch's transaction is short. */
export const DEFAULT_BATCH_SIZE = 500;
/** An unfinished run older than this was cut short (a crash); a live one finishes well within it. */
const INTERRUPTED_AFTER_MS = 12 * 60 * 60_000;

export interface PurgeOptions {
  readonly batchSize?: number;
  readonly orphanGraceMs?: number;
}

const iso = (v: Date | string | null): string | null =>
  v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString();

export function runOf(r: RunRow): PurgeRun {
  const counts = (typeof r.counts === 'string' ? JSON.parse(r.counts) : r.counts) as Record<
    string,
    number
  >;
  return {
    id: r.id,
    trigger: r.trigger,
    startedBy: r.started_by,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    outcome: r.outcome,
    counts: Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)])),
    problem: r.problem,
  };
}

/**
 * Deletes what has expired (docs/retention.md). One run at a time in this process; each kind is
 * taken in batches, each batch its own short transaction that also adds its counts to the run's
 * row, with a turn of the event loop between batches so that requests are served while a large
 * purge goes on. Media files nothing references any more are removed last. The run ends with one
 * audit entry carrying the counts per kind; the audit trail itself is never touched.
 */
export class RetentionPurger {
  private current: { readonly run: PurgeRun; readonly done: Promise<PurgeRun> } | null = null;
  private stopping = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: PurgeOptions = {},
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  /** Starts a run (or answers the one under way) once its row is written. */
  async start(
    trigger: 'schedule' | 'admin',
    actor: Actor,
  ): Promise<{ run: PurgeRun; alreadyRunning: boolean; done: Promise<PurgeRun> }> {
    if (this.current) return { ...this.current, alreadyRunning: true };
    if (this.stopping) throw new Error('the server is stopping');
    const at = new Date(this.ctx.clock.now());
    const id = randomUUID();
    let interrupted: RunRow[];
    // Claimed before any await, so that two starts in one turn do not both run.
    let release!: (run: PurgeRun) => void;
    let fail!: (e: unknown) => void;
    const done = new Promise<PurgeRun>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    const pending = {
      run: runOf({
        id,
        trigger,
        started_by: actor.name,
        started_at: at,
        finished_at: null,
        outcome: null,
        counts: {},
        problem: null,
      }),
      done,
    };
    this.current = pending;
    try {
      interrupted = await this.ctx.store.transaction(async (tx) => {
        const cut = await markInterrupted(tx, new Date(at.getTime() - INTERRUPTED_AFTER_MS));
        await insertRun(tx, { id, trigger, startedBy: actor.name, at });
        return cut;
      });
    } catch (e) {
      this.current = null;
      throw e;
    }
    void this.execute(id, trigger, actor, interrupted)
      .then(release, fail)
      .finally(() => {
        this.current = null;
      });
    // The caller that awaits nothing must not see an unhandled rejection.
    done.catch(() => undefined);
    return { run: pending.run, alreadyRunning: false, done };
  }

  /** Starts a run and waits for it to end. */
  async run(trigger: 'schedule' | 'admin', actor: Actor): Promise<PurgeRun> {
    return (await this.start(trigger, actor)).done;
  }

  /**
   * Stops a run under way at its next batch (it is recorded as failed: the server was stopping)
   * and refuses new ones; called before the store closes.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.whenIdle();
  }

  /** Waits for the run under way, if any. */
  async whenIdle(): Promise<void> {
    await this.current?.done.catch(() => undefined);
  }

  /** The daily run: started when no scheduled run has started in the last day. */
  async runIfDue(): Promise<void> {
    const res = await this.ctx.store.query<{ n: number }>(
      `select count(*)::int as n from retention_runs where trigger = 'schedule' and started_at > $1`,
      [new Date(this.ctx.clock.now() - DAY_MS).toISOString()],
    );
    if (Number(res.rows[0]!.n) > 0 || this.current) return;
    await this.run('schedule', SYSTEM_ACTOR);
  }

  private async execute(
    id: string,
    trigger: 'schedule' | 'admin',
    actor: Actor,
    interrupted: readonly RunRow[],
  ): Promise<PurgeRun> {
    const now = this.ctx.clock.now();
    let settings: RetentionSettings | null = null;
    const held: Record<string, number> = {};
    let problem: string | null = null;
    try {
      settings = (await getAgency(this.ctx.store)).retention;
      for (const kind of RETENTION_KINDS) {
        await this.purgeKind(id, kind, retentionCutoff(settings[kind], now));
      }
      const orphanMedia = await this.removeOrphanMedia(now);
      await this.ctx.store.transaction((tx) => addToRun(tx, id, { orphanMedia }));
      for (const kind of RETENTION_KINDS) {
        const n = await countHeld(this.ctx.store, kind, retentionCutoff(settings[kind], now));
        if (n > 0) held[kind] = n;
      }
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
      this.ctx.log.error({ err: e, run: id }, 'retention purge failed');
    }
    const { value } = await this.ctx.record({
      apply: async ({ tx, at }) =>
        finishRun(tx, id, {
          at,
          outcome: problem === null ? 'completed' : 'failed',
          problem,
          extra: { held: Object.values(held).reduce((a, b) => a + b, 0) },
        }),
      audit: (row) =>
        auditBy(actor, {
          action: 'retention.purge',
          targetType: 'retention_run',
          targetId: id,
          outcome: problem === null ? 'success' : 'failure',
          details: {
            trigger,
            counts: runOf(row).counts,
            heldByLegalHold: held,
            periodsDays: settings,
            cutoffs: settings
              ? Object.fromEntries(
                  RETENTION_KINDS.map((k) => [k, retentionCutoff(settings![k], now).toISOString()]),
                )
              : null,
            interruptedRuns: interrupted.map((r) => ({ id: r.id, counts: runOf(r).counts })),
            ...(problem === null ? {} : { problem }),
          },
        }),
      event: (row) => ({ type: 'retention.purged', payload: { run: runOf(row) } }),
    });
    return runOf(value);
  }

  private async purgeKind(runId: string, kind: RetentionKind, cutoff: Date): Promise<void> {
    const batch = PURGE_BATCHES[kind];
    if (!batch) return;
    const limit = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    for (;;) {
      if (this.stopping) throw new Error('the server is stopping');
      const outcome = await this.ctx.store.transaction(async (tx) => {
        const o = await batch(tx, cutoff, limit);
        if (o.removed > 0 || o.extra) await addToRun(tx, runId, { [kind]: o.removed, ...o.extra });
        return o;
      });
      for (const dir of outcome.folders ?? []) {
        // Only a package folder's own name: never a path outside the evidence folder.
        if (/^[^/\\.][^/\\]*$/.test(dir)) {
          await rm(join(this.ctx.config.evidenceDir, dir), { recursive: true, force: true });
        }
      }
      // Let the requests waiting behind this batch in.
      await yieldToRequests();
      if (outcome.removed < limit && !outcome.more) return;
    }
  }

  /** Removes media files no record names (after the records above were deleted). */
  private async removeOrphanMedia(now: number): Promise<number> {
    const dir = this.ctx.config.mediaDir;
    const grace = this.options.orphanGraceMs ?? ORPHAN_GRACE_MS;
    const referenced = await referencedMedia(this.ctx.store);
    let buckets: string[];
    try {
      buckets = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    let removed = 0;
    for (const bucket of buckets.filter((b) => /^[0-9a-f]{2}$/.test(b))) {
      for (const name of await readdir(join(dir, bucket))) {
        if (!isMediaHash(name) || !name.startsWith(bucket) || referenced.has(name)) continue;
        const path = join(dir, bucket, name);
        const info = await stat(path).catch(() => null);
        if (!info || info.mtimeMs > now - grace) continue;
        await rm(path, { force: true });
        removed += 1;
        if (removed % 200 === 0) await yieldToRequests();
      }
    }
    return removed;
  }
}

/** The purger of a server context (one per server), for the routes and the tests. */
export const purgerOf = new WeakMap<ServerContext, RetentionPurger>();

/** Opens the purger and schedules the daily run under the task supervisor. */
export function startRetention(ctx: ServerContext, options: PurgeOptions = {}): RetentionPurger {
  const purger = new RetentionPurger(ctx, options);
  purgerOf.set(ctx, purger);
  ctx.tasks.every(PURGE_TASK, PURGE_CHECK_MS, () => purger.runIfDue());
  return purger;
}

export async function lastPurgeRun(ctx: ServerContext): Promise<PurgeRun | null> {
  const row = await lastRun(ctx.store);
  return row ? runOf(row) : null;
}
