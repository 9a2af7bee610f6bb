import type { Queryable } from '../store/store';
import { CHAIN_CHECK_ACTION } from '../auditReview/chainHealth';
import { VIEW_REASONS, type ViewReasonCode } from '../../shared/domain/reasons';
import type { ReportMonth, ReportPeriod } from './transparencyPeriod';

/**
 * The transparency report's exact figures, read from the audit trail and the registry
 * (docs/portal.md, "Transparency report"). Exact counts never leave the server: the report
 * (transparencyReport.ts) applies the small-count rule before anything is shown.
 */

export type CameraKindCounts = Readonly<Record<'registered' | 'integrated' | 'agency', number>>;

export interface MonthViews {
  readonly month: string;
  readonly byReason: Readonly<Record<ViewReasonCode, number>>;
  readonly total: number;
  readonly withReference: number;
}

export interface ExactFigures {
  readonly cameras: CameraKindCounts;
  readonly views: readonly MonthViews[];
  readonly pullsRequested: number;
  readonly pullsFulfilled: number;
  readonly tipsReceived: number;
  /** The newest passing verification of the audit chain, and whether the newest one passed. */
  readonly chain: { readonly lastVerifiedAt: string | null; readonly newestPassed: boolean | null };
}

/** Active cameras in the registry, by kind: what the registry holds now, whatever the period. */
export async function cameraCounts(db: Queryable): Promise<CameraKindCounts> {
  const res = await db.query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from cameras where status = 'active' group by kind`,
  );
  const counts = { registered: 0, integrated: 0, agency: 0 };
  for (const r of res.rows) {
    if (r.kind in counts) counts[r.kind as keyof typeof counts] = Number(r.n);
  }
  return counts;
}

const emptyReasons = (): Record<ViewReasonCode, number> =>
  Object.fromEntries(VIEW_REASONS.map((r) => [r, 0])) as Record<ViewReasonCode, number>;

/**
 * Camera views: each granted view is one `stream.grant` entry in the trail, with its reason
 * (docs/video.md). One pass from the first month's start to `to`, bucketed by month in SQL (the
 * month bounds are the agency's local midnights, computed here). `months` are consecutive.
 */
export async function viewsByMonth(
  db: Queryable,
  months: readonly ReportMonth[],
  to: number,
): Promise<MonthViews[]> {
  if (months.length === 0) return [];
  const bounds = months.map((m) => new Date(m.from).toISOString());
  const res = await db.query<{
    bucket: number;
    reason: string | null;
    total: number;
    refs: number;
  }>(
    `select width_bucket(at, $3::timestamptz[]) as bucket, details->'reason'->>'code' as reason,
       count(*)::int as total,
       count(*) filter (where coalesce(details->'reason'->>'reference', '') <> '')::int as refs
     from audit_log
     where action = 'stream.grant' and outcome = 'success' and at >= $1 and at < $2
     group by 1, 2`,
    [bounds[0], new Date(Math.min(to, months[months.length - 1]!.to)).toISOString(), bounds],
  );
  const out = months.map((m) => ({
    month: m.month,
    byReason: emptyReasons(),
    total: 0,
    withReference: 0,
  }));
  for (const r of res.rows) {
    const m = out[Number(r.bucket) - 1];
    if (!m) continue;
    // A reason outside the list cannot be recorded (the grant's schema refuses it); counted in
    // the total all the same, so the total is every view.
    if (r.reason !== null && (VIEW_REASONS as readonly string[]).includes(r.reason)) {
      m.byReason[r.reason as ViewReasonCode] += Number(r.total);
    }
    m.total += Number(r.total);
    m.withReference += Number(r.refs);
  }
  return out;
}

/** Pulls asked for in the period, and how many of them are fulfilled now. */
export async function pullCounts(
  db: Queryable,
  period: ReportPeriod,
): Promise<{ requested: number; fulfilled: number }> {
  const res = await db.query<{ requested: number; fulfilled: number }>(
    `select count(*)::int as requested,
       count(*) filter (where status = 'fulfilled')::int as fulfilled
     from pulls where requested_at >= $1 and requested_at < $2`,
    [new Date(period.from).toISOString(), new Date(period.to).toISOString()],
  );
  const r = res.rows[0];
  return { requested: Number(r?.requested ?? 0), fulfilled: Number(r?.fulfilled ?? 0) };
}

/** Texts to the tip line in the period that were tips (carrier keywords such as STOP are not). */
export async function tipsReceived(db: Queryable, period: ReportPeriod): Promise<number> {
  const res = await db.query<{ n: number }>(
    `select count(*)::int as n from tips
     where keyword is null and received_at >= $1 and received_at < $2`,
    [new Date(period.from).toISOString(), new Date(period.to).toISOString()],
  );
  return Number(res.rows[0]?.n ?? 0);
}

/** The daily verification's results as the trail records them (docs/audit-review.md). */
export async function chainVerification(db: Queryable): Promise<ExactFigures['chain']> {
  const [passed, newest] = await Promise.all([
    db.query<{ at: Date | string }>(
      `select at from audit_log where action = $1 and outcome = 'success' order by id desc limit 1`,
      [CHAIN_CHECK_ACTION],
    ),
    db.query<{ outcome: string }>(
      'select outcome from audit_log where action = $1 order by id desc limit 1',
      [CHAIN_CHECK_ACTION],
    ),
  ]);
  const at = passed.rows[0]?.at;
  const last = newest.rows[0]?.outcome;
  return {
    lastVerifiedAt: at === undefined ? null : new Date(at).toISOString(),
    newestPassed: last === undefined ? null : last === 'success',
  };
}

/** Everything but the views, which the caller reads month by month (transparencyReport.ts). */
export async function otherFigures(
  db: Queryable,
  period: ReportPeriod,
): Promise<Omit<ExactFigures, 'views'>> {
  const [cameras, pulls, tips, chain] = await Promise.all([
    cameraCounts(db),
    pullCounts(db, period),
    tipsReceived(db, period),
    chainVerification(db),
  ]);
  return {
    cameras,
    pullsRequested: pulls.requested,
    pullsFulfilled: pulls.fulfilled,
    tipsReceived: tips,
    chain,
  };
}
