import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { SYSTEM_ACTOR, auditBy } from '../audit/actor';
import { writeAnchorFile } from '../audit/anchor';
import { verifyAuditChain, type ChainReport } from '../audit/trailVerifier';
import type { ChainCheck, ChainHealth } from '../../shared/api/auditReview';

/**
 * The chain's health (docs/audit-review.md): a verification of the whole audit chain at start
 * and then daily, whose result goes into the trail itself (so the review shows it and the next
 * verification covers it) and into a file outside the database, in the anchor format that
 * `wf audit verify --anchor` reads (docs/deploy.md, "Your anchors, kept elsewhere"). A failure
 * is an urgent event to those who answer for the trail.
 */

export const CHAIN_CHECK_ACTION = 'audit.chain.check';

export type ChainCheckTrigger = ChainCheck['trigger'];

type HealthDeps = Pick<ServerContext, 'store' | 'clock' | 'record' | 'audit' | 'log' | 'config'>;

/** The walk, checked against this server's key and anchors as `GET /v1/audit/verify` is. */
export async function walkChain(
  ctx: Pick<ServerContext, 'store' | 'audit'>,
  from?: { readonly id: number; readonly hash: string },
): Promise<ChainReport> {
  const walked = await verifyAuditChain(ctx.store, {
    keys: ctx.audit.keys(),
    anchors: ctx.audit.anchors(),
    ...(from ? { from: { ...from, source: `the verification that ended at row ${from.id}` } } : {}),
  });
  const seen = ctx.audit.alteration();
  return walked.ok && seen
    ? { ...walked, ok: false, firstBreak: { kind: 'anchor', ...seen } }
    : walked;
}

function checkOf(report: ChainReport, trigger: ChainCheckTrigger, at: Date): ChainCheck {
  return {
    at: at.toISOString(),
    ok: report.ok,
    rowsChecked: report.rowsChecked,
    lastId: report.head?.id ?? null,
    hash: report.head?.hash ?? null,
    problem: report.firstBreak?.message ?? null,
    trigger,
  };
}

/** Writes the result where the database cannot reach it: an anchor, or the failure in words. */
function writeResultFile(dir: string, check: ChainCheck, head: ChainReport['head']): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const day = check.at.slice(0, 10);
  if (check.ok && head) {
    const path = join(dir, `${day}.json`);
    writeAnchorFile(path, head, new Date(check.at));
    return path;
  }
  const path = join(dir, `${day}.${check.ok ? 'empty' : 'failed'}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    `${JSON.stringify({ format: 'watchfloor.audit.verification/1', ...check }, null, 2)}\n`,
    { mode: 0o644 },
  );
  renameSync(tmp, path);
  return path;
}

/** Verifies the whole chain, records the result in the trail and the file, and announces it. */
export async function verifyChainNow(
  ctx: HealthDeps,
  trigger: ChainCheckTrigger,
): Promise<ChainCheck> {
  const report = await walkChain(ctx);
  const check = checkOf(report, trigger, new Date(ctx.clock.now()));
  if (!check.ok) ctx.log.error({ problem: check.problem }, 'audit chain verification failed');
  const dir = ctx.config.auditVerifyDir;
  let file: string | null = null;
  if (dir) {
    try {
      file = writeResultFile(dir, check, report.head);
    } catch (err) {
      // The trail still gets the result; the missing file is the operator's to fix.
      ctx.log.error({ err, dir }, 'cannot write the audit verification file');
    }
  }
  await ctx.record({
    audit: auditBy(SYSTEM_ACTOR, {
      action: CHAIN_CHECK_ACTION,
      targetType: 'audit_log',
      targetId: check.lastId === null ? null : String(check.lastId),
      outcome: check.ok ? 'success' : 'failure',
      details: { ...check, file },
    }),
    event: { type: 'audit.chain.checked', payload: check },
  });
  return check;
}

/** At start, then every `hours`: supervised, so a failure to run is logged and retried. */
export function scheduleChainVerification(ctx: ServerContext, hours: number): void {
  void verifyChainNow(ctx, 'start').catch((err: unknown) =>
    ctx.log.warn({ err }, 'audit chain verification at start failed to run'),
  );
  ctx.tasks.every('audit.chain.verify', hours * 3_600_000, async () => {
    await verifyChainNow(ctx, 'schedule');
  });
}

interface CheckRow {
  details: Record<string, unknown> | string;
}

function checkFromRow(r: CheckRow | undefined): ChainCheck | null {
  if (!r) return null;
  const d = (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<
    string,
    unknown
  >;
  return {
    at: String(d.at),
    ok: d.ok === true,
    rowsChecked: Number(d.rowsChecked ?? 0),
    lastId: typeof d.lastId === 'number' ? d.lastId : null,
    hash: typeof d.hash === 'string' ? d.hash : null,
    problem: typeof d.problem === 'string' ? d.problem : null,
    trigger: d.trigger === 'start' || d.trigger === 'schedule' ? d.trigger : 'demand',
  };
}

/** The newest verification and the newest failed one, as the trail records them. */
export async function chainHealth(db: Queryable, dir: string | null): Promise<ChainHealth> {
  const [last, failed] = await Promise.all([
    db.query<CheckRow>('select details from audit_log where action = $1 order by id desc limit 1', [
      CHAIN_CHECK_ACTION,
    ]),
    db.query<CheckRow>(
      `select details from audit_log where action = $1 and outcome = 'failure'
       order by id desc limit 1`,
      [CHAIN_CHECK_ACTION],
    ),
  ]);
  return { last: checkFromRow(last.rows[0]), lastFailure: checkFromRow(failed.rows[0]), file: dir };
}

/**
 * Where an export's own walk may start: the newest verification, when it passed. After a failed
 * one there is no safe place to start: the walk goes from the beginning (and fails again until
 * the trail is put right).
 */
export async function lastGoodCheck(
  db: Queryable,
): Promise<{ readonly id: number; readonly hash: string } | null> {
  const res = await db.query<CheckRow>(
    'select details from audit_log where action = $1 order by id desc limit 1',
    [CHAIN_CHECK_ACTION],
  );
  const check = checkFromRow(res.rows[0]);
  return check?.ok && check.lastId !== null && check.hash !== null
    ? { id: check.lastId, hash: check.hash }
    : null;
}
