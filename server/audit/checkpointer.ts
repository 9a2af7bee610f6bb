import { existsSync } from 'node:fs';
import type { ServerContext } from '../context';
import { readAnchorFile, writeAnchorFile, type AuditAnchor } from './anchor';
import { auditRowFromDb, type AuditRow, type DbAuditRow } from './auditChain';
import {
  CHECKPOINT_ACTION,
  checkpointProblem,
  writeCheckpoint,
  type CheckpointReason,
} from './checkpoints';
import type { AuditPublicKey, AuditSigningKey } from './signingKey';
import { verifyAuditChain } from './trailVerifier';

/** Recorded when the server finds the trail altered and will not sign over it. */
export const CHECKPOINT_REFUSED_ACTION = 'audit.checkpoint.refused';

export type CheckpointOutcome =
  { readonly ok: true; readonly row: AuditRow } | { readonly ok: false; readonly problem: string };

export interface AuditTrailDeps extends Pick<ServerContext, 'store' | 'clock' | 'log' | 'record'> {
  /** The checkpoint key; null where this process may not sign (the command-line tool). */
  readonly key: AuditSigningKey | null;
  /** This server's own anchor: its newest checkpoint, saved outside the database. */
  readonly anchorFile: string | null;
}

/** Thrown inside the checkpoint's transaction when the trail fails its last check. */
class TrailAltered extends Error {}

/**
 * What this process knows of the audit trail that the database cannot take back: the newest row
 * it wrote itself and its own newest signed checkpoint (kept in memory and in the anchor file).
 * Before it signs a new checkpoint it checks the trail against both, so it never puts its
 * signature over a trail that was cut short or rewritten; it records the refusal instead.
 */
export class AuditTrail {
  private newestWritten: AuditAnchor | null = null;
  private newestCheckpoint: AuditAnchor | null = null;
  private finding: { readonly id: number; readonly message: string } | null = null;
  private readonly refusalsRecorded = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AuditTrailDeps) {}

  /** Keys checkpoints are checked against. */
  keys(): AuditPublicKey[] {
    return this.deps.key ? [this.deps.key] : [];
  }

  /** Rows the trail must still hold, as far as this process knows. */
  anchors(): AuditAnchor[] {
    return [this.newestCheckpoint, this.newestWritten].filter((a): a is AuditAnchor => a !== null);
  }

  /**
   * Called with every row this process commits and the id of the row it follows. Rows from other
   * processes only ever come after ours, so a new row that follows something older than our
   * newest row means rows were taken off the end of the trail; the finding stays until restart.
   */
  noteWritten(row: AuditRow, prevId: number | null): void {
    const mine = this.newestWritten;
    if (mine && !this.finding) {
      if (prevId === null || prevId < mine.id) {
        this.finding = {
          id: mine.id,
          message: `row ${mine.id}, which this server wrote, was gone when it wrote row ${row.id}: rows were deleted from the end of the trail`,
        };
      } else if (prevId === mine.id && row.prevHash !== mine.hash) {
        this.finding = {
          id: mine.id,
          message: `row ${mine.id}, which this server wrote, was rewritten before it wrote row ${row.id}`,
        };
      }
      if (this.finding) {
        this.deps.log.error({ problem: this.finding.message }, 'audit trail altered');
      }
    }
    if (mine && mine.id >= row.id) return;
    this.newestWritten = {
      id: row.id,
      hash: row.hash,
      source: "this server's record of the newest row it wrote",
    };
  }

  /** What this process saw go wrong with the trail while writing to it, if anything. */
  alteration(): { readonly id: number; readonly message: string } | null {
    return this.finding;
  }

  /**
   * Where the check before a checkpoint starts: this process's last checkpoint, else the
   * anchor file a previous run left, else the newest checkpoint this key signed in the trail,
   * else the beginning (first start on a trail that was never checkpointed).
   */
  private async startingPoint(): Promise<AuditAnchor | undefined> {
    if (this.newestCheckpoint) return this.newestCheckpoint;
    const file = this.deps.anchorFile;
    if (file && existsSync(file)) {
      try {
        return { ...readAnchorFile(file), source: `this server's anchor file ${file}` };
      } catch (err) {
        throw new TrailAltered(err instanceof Error ? err.message : String(err));
      }
    }
    const key = this.deps.key;
    if (!key) return undefined;
    const res = await this.deps.store.query<DbAuditRow>(
      `select * from audit_log where action = $1 and details->>'keyId' = $2
       order by id desc limit 1`,
      [CHECKPOINT_ACTION, key.keyId],
    );
    const raw = res.rows[0];
    if (!raw) return undefined;
    const row = auditRowFromDb(raw);
    // A signed row is a safe place to start only if its signature holds.
    if (checkpointProblem(row, [key]) !== null) return undefined;
    return { id: row.id, hash: row.hash, source: `checkpoint row ${row.id}` };
  }

  /** Checks the trail and, if it holds, appends a signed checkpoint and saves the anchor. */
  /**
   * One checkpoint at a time, in the order asked for: a scheduled one that comes due while the
   * first (possibly long) check after start still runs waits for it.
   */
  checkpoint(reason: CheckpointReason): Promise<CheckpointOutcome> {
    const next = this.queue.then(() => this.checkpointNow(reason));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every checkpoint asked for so far has finished. */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async checkpointNow(reason: CheckpointReason): Promise<CheckpointOutcome> {
    const key = this.deps.key;
    if (!key) return { ok: false, problem: 'no checkpoint key' };
    let problem: string;
    try {
      if (this.finding) throw new TrailAltered(this.finding.message);
      const known = this.anchors();
      const from = await this.startingPoint();
      // The long walk runs without holding up writers; the last stretch is checked again inside
      // the checkpoint's transaction, under the chain lock, so nothing unchecked is signed.
      const before = await verifyAuditChain(this.deps.store, {
        keys: [key],
        anchors: known,
        ...(from ? { from } : {}),
      });
      if (!before.ok) throw new TrailAltered(before.firstBreak!.message);
      const checked = before.head;
      const row = await writeCheckpoint(this.deps, key, reason, async (tx) => {
        const last = await verifyAuditChain(tx, {
          keys: [key],
          ...(checked ? { from: { ...checked, source: 'the rows just checked' } } : {}),
        });
        if (!last.ok) throw new TrailAltered(last.firstBreak!.message);
      });
      this.newestCheckpoint = {
        id: row.id,
        hash: row.hash,
        source: "this server's newest checkpoint",
      };
      if (this.deps.anchorFile) {
        writeAnchorFile(this.deps.anchorFile, row, new Date(this.deps.clock.now()));
      }
      return { ok: true, row };
    } catch (err) {
      if (!(err instanceof TrailAltered)) throw err;
      problem = err.message;
    }
    await this.refuse(reason, problem);
    return { ok: false, problem };
  }

  /** Logs the refusal every time, and writes it into the trail once per distinct finding. */
  private async refuse(reason: CheckpointReason, problem: string): Promise<void> {
    this.deps.log.error({ problem }, 'audit trail altered: no checkpoint signed over it');
    if (this.refusalsRecorded.has(problem)) return;
    await this.deps.record({
      audit: {
        actorId: null,
        actorName: 'system',
        action: CHECKPOINT_REFUSED_ACTION,
        targetType: 'audit_log',
        targetId: null,
        outcome: 'failure',
        details: { reason, problem },
      },
      event: null,
    });
    this.refusalsRecorded.add(problem);
  }

  /**
   * A checkpoint now, then one every `intervalMs`. The first is not waited for: on a long trail
   * never checkpointed before (a first start after an upgrade), its check can take minutes, and
   * the server serves meanwhile; rows written in the meantime are covered by it.
   */
  start(intervalMs: number): void {
    this.running = this.checkpoint('start')
      .catch((err: unknown) => this.deps.log.warn({ err }, 'audit checkpoint at start failed'))
      .finally(() => {
        this.running = null;
      });
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.checkpoint('schedule')
        .catch((err: unknown) => this.deps.log.warn({ err }, 'audit checkpoint failed'))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule and writes the last checkpoint of this run. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.checkpoint('stop').catch((err: unknown) =>
      this.deps.log.warn({ err }, 'audit checkpoint at stop failed'),
    );
  }
}
