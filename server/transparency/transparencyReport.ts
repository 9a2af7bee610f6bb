import type { Queryable } from '../store/store';
import type { Clock } from '../../shared/time/clock';
import type { AgencyConfig } from '../../shared/domain/agency';
import { VIEW_REASONS, VIEW_REASON_LABELS, type ViewReasonCode } from '../../shared/domain/reasons';
import { formatIsoDate, localDateOf } from '../../shared/time/zonedTime';
import { retentionPeriodsInForce } from '../retention/retentionPeriods';
import {
  otherFigures,
  viewsByMonth,
  type ExactFigures,
  type MonthViews,
} from './transparencyFigures';
import type { OnlineReportSource } from './onlineReportFigures';
import { periodOf, type ReportPeriod } from './transparencyPeriod';
import {
  SUPPRESSION_RULE,
  SHOWN_FROM,
  reportedCount,
  reportedShare,
  type ReportedCount,
} from './smallCounts';

/**
 * The transparency report (docs/portal.md, "Transparency report"): the same figures for the
 * public page and for /portal/transparency.json, every count passed through the small-count
 * rule. It names no person, no camera, no owner and no case: only counts, periods and settings.
 */

export const TRANSPARENCY_FORMAT = 'watchfloor.transparency/1';

type ReasonCounts = Readonly<Record<ViewReasonCode, ReportedCount>>;

export interface TransparencyReport {
  readonly format: typeof TRANSPARENCY_FORMAT;
  readonly agency: string;
  readonly period: {
    readonly key: string;
    readonly label: string;
    readonly firstDay: string;
    readonly lastDay: string;
    readonly timeZone: string;
  };
  readonly computedAt: string;
  readonly smallCounts: string;
  readonly cameras: Readonly<Record<'registered' | 'integrated' | 'agency', ReportedCount>>;
  readonly cameraViews: {
    readonly reasons: Readonly<Record<ViewReasonCode, string>>;
    readonly byMonth: readonly {
      readonly month: string;
      readonly total: ReportedCount;
      readonly byReason: ReasonCounts;
    }[];
    readonly total: ReportedCount;
    readonly byReason: ReasonCounts;
    /** Percent of the period's views that named a case or incident number; null when too few. */
    readonly withCaseNumberPercent: number | null;
  };
  readonly pulls: { readonly requested: ReportedCount; readonly fulfilled: ReportedCount };
  readonly tips: { readonly received: ReportedCount };
  readonly onlineReports:
    | { readonly available: false; readonly note: string }
    | {
        readonly available: true;
        readonly byOutcome: Readonly<Record<string, ReportedCount>>;
        /** Whole hours; null when fewer than 10 were decided. */
        readonly medianHoursToDecision: number | null;
      };
  readonly retention: readonly {
    readonly kind: string;
    readonly label: string;
    readonly days: number;
    readonly enforced: boolean;
  }[];
  readonly auditChain: {
    /** The local date of the newest passing verification, or null when none has passed. */
    readonly lastVerifiedOn: string | null;
    readonly newestCheckPassed: boolean | null;
  };
}

export const ONLINE_REPORTS_NOT_YET = 'not available: no source of online report figures';

const reasonCounts = (exact: Readonly<Record<ViewReasonCode, number>>): ReasonCounts =>
  Object.fromEntries(VIEW_REASONS.map((r) => [r, reportedCount(exact[r])])) as ReasonCounts;

/** The report from the exact figures: the only place exact counts become shown ones. */
export function reportOf(
  agency: AgencyConfig,
  period: ReportPeriod,
  exact: ExactFigures,
  online: Awaited<ReturnType<OnlineReportSource>>,
  retention: TransparencyReport['retention'],
  computedAt: number,
): TransparencyReport {
  const sum = Object.fromEntries(VIEW_REASONS.map((r) => [r, 0])) as Record<ViewReasonCode, number>;
  let total = 0;
  let withReference = 0;
  for (const m of exact.views) {
    for (const r of VIEW_REASONS) sum[r] += m.byReason[r];
    total += m.total;
    withReference += m.withReference;
  }
  return {
    format: TRANSPARENCY_FORMAT,
    agency: agency.name,
    period: {
      key: period.key,
      label: period.label,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      timeZone: agency.timeZone,
    },
    computedAt: new Date(computedAt).toISOString(),
    smallCounts: SUPPRESSION_RULE,
    cameras: {
      registered: reportedCount(exact.cameras.registered),
      integrated: reportedCount(exact.cameras.integrated),
      agency: reportedCount(exact.cameras.agency),
    },
    cameraViews: {
      reasons: VIEW_REASON_LABELS,
      byMonth: exact.views.map((m) => ({
        month: m.month,
        total: reportedCount(m.total),
        byReason: reasonCounts(m.byReason),
      })),
      total: reportedCount(total),
      byReason: reasonCounts(sum),
      withCaseNumberPercent: reportedShare(withReference, total),
    },
    pulls: {
      requested: reportedCount(exact.pullsRequested),
      fulfilled: reportedCount(exact.pullsFulfilled),
    },
    tips: { received: reportedCount(exact.tipsReceived) },
    onlineReports:
      online === null
        ? { available: false, note: ONLINE_REPORTS_NOT_YET }
        : {
            available: true,
            byOutcome: Object.fromEntries(
              Object.entries(online.byOutcome).map(([k, n]) => [k, reportedCount(n)]),
            ),
            medianHoursToDecision:
              online.decided >= SHOWN_FROM && online.medianHoursToDecision !== null
                ? Math.round(online.medianHoursToDecision)
                : null,
          },
    retention,
    auditChain: {
      lastVerifiedOn:
        exact.chain.lastVerifiedAt === null
          ? null
          : formatIsoDate(localDateOf(Date.parse(exact.chain.lastVerifiedAt), agency.timeZone)),
      newestCheckPassed: exact.chain.newestPassed,
    },
  };
}

/** How long a computed report is served before it is computed again. */
export const REPORT_CACHE_MS = 15 * 60_000;

/**
 * A month's views are kept for good once the month ended this long ago: the trail is append-only
 * and each entry is stamped when it is written, so a closed month's count cannot change after.
 */
export const MONTH_SETTLED_MS = 60 * 60_000;

/**
 * Computes reports and keeps each period's for REPORT_CACHE_MS on the injected clock. The views
 * figure scans the audit trail, so a closed month's views are kept for good (MONTH_SETTLED_MS)
 * and only the month still running is read again. Requests that arrive while a period is being
 * computed share that one computation.
 */
export class TransparencyReports {
  private readonly cache = new Map<
    string,
    { readonly at: number; readonly report: Promise<TransparencyReport> }
  >();
  /** Closed months' views, by time zone and month. */
  private readonly settled = new Map<string, MonthViews>();

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly onlineReports: OnlineReportSource,
  ) {}

  /** The report for a period key, or null for a key the page does not offer. */
  async report(agency: AgencyConfig, periodKey: string): Promise<TransparencyReport | null> {
    const now = this.clock.now();
    const period = periodOf(periodKey, now, agency.timeZone);
    if (!period) return null;
    // The agency's name or zone may change: a cached report is for the settings it was made with.
    const key = `${periodKey}|${agency.timeZone}|${agency.name}`;
    const hit = this.cache.get(key);
    if (hit && now - hit.at < REPORT_CACHE_MS) return hit.report;
    const report = this.compute(agency, period, now);
    this.cache.set(key, { at: now, report });
    // A failed computation is not kept: the next request tries again.
    report.catch(() => {
      if (this.cache.get(key)?.report === report) this.cache.delete(key);
    });
    return report;
  }

  private async compute(
    agency: AgencyConfig,
    period: ReportPeriod,
    now: number,
  ): Promise<TransparencyReport> {
    const range = { from: new Date(period.from), to: new Date(period.to) };
    const [views, others, online, periods] = await Promise.all([
      this.views(agency.timeZone, period, now),
      otherFigures(this.db, period),
      this.onlineReports(this.db, range),
      retentionPeriodsInForce(this.db),
    ]);
    const exact: ExactFigures = { ...others, views };
    const retention = periods.map((p) => ({
      kind: p.kind,
      label: p.label,
      days: p.days,
      enforced: p.enforced,
    }));
    return reportOf(agency, period, exact, online, retention, now);
  }

  /** The period's views: closed months from memory, the rest read in one pass. */
  private async views(timeZone: string, period: ReportPeriod, now: number): Promise<MonthViews[]> {
    const keyOf = (month: string) => `${timeZone}|${month}`;
    const first = period.months.findIndex((m) => !this.settled.has(keyOf(m.month)));
    const read =
      first < 0 ? [] : await viewsByMonth(this.db, period.months.slice(first), period.to);
    const fresh = new Map(read.map((v) => [v.month, v]));
    for (const m of period.months.slice(Math.max(first, 0))) {
      const v = fresh.get(m.month);
      if (v && m.to <= now - MONTH_SETTLED_MS) this.settled.set(keyOf(m.month), v);
    }
    return period.months.map((m) => this.settled.get(keyOf(m.month)) ?? fresh.get(m.month)!);
  }
}
