import type { OnlineReportSource } from '../transparency/onlineReportFigures';
import { REPORT_OUTCOMES } from '../../shared/domain/onlineReports';

/**
 * The online reports decided in a period, for the transparency report (docs/portal.md,
 * "Transparency report"): exact counts by outcome and the median hours from submission to
 * decision. The report applies the small-count rule to them.
 */
export const decidedReportsTally: OnlineReportSource = async (db, { from, to }) => {
  const range = [from.toISOString(), to.toISOString()];
  const counts = await db.query<{ outcome: string; n: number }>(
    `select outcome, count(*)::int as n from online_reports
      where decided_at >= $1 and decided_at < $2 group by outcome`,
    range,
  );
  const median = await db.query<{ hours: number | string | null }>(
    `select percentile_cont(0.5) within group
            (order by extract(epoch from decided_at - submitted_at) / 3600) as hours
       from online_reports where decided_at >= $1 and decided_at < $2`,
    range,
  );
  const byOutcome: Record<string, number> = Object.fromEntries(REPORT_OUTCOMES.map((o) => [o, 0]));
  let decided = 0;
  for (const row of counts.rows) {
    byOutcome[row.outcome] = Number(row.n);
    decided += Number(row.n);
  }
  const hours = median.rows[0]?.hours;
  return {
    byOutcome,
    decided,
    medianHoursToDecision: hours === null || hours === undefined ? null : Number(hours),
  };
};
