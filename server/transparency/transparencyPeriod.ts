import {
  formatIsoDate,
  localDateOf,
  startOfLocalDay,
  type LocalDate,
} from '../../shared/time/zonedTime';

/**
 * The periods the transparency report covers, month by month in the agency's time zone: the
 * last 12 months (this month so far and the 11 before it), or one calendar year, this one or
 * either of the two before it.
 */

export const LAST_12_MONTHS = '12m';

/** Calendar years offered besides the current one. */
const EARLIER_YEARS = 2;

export interface ReportMonth {
  /** YYYY-MM, in the agency's time zone. */
  readonly month: string;
  readonly from: number;
  readonly to: number;
}

export interface ReportPeriod {
  readonly key: string;
  readonly label: string;
  /** First and last local dates covered (the last is today for a period still running). */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly from: number;
  readonly to: number;
  readonly months: readonly ReportMonth[];
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthName(month: string): string {
  const [y, m] = month.split('-');
  return `${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

/** The choices the page offers, newest first after the default. */
export function periodChoices(now: number, timeZone: string): { key: string; label: string }[] {
  const year = localDateOf(now, timeZone).year;
  return [
    { key: LAST_12_MONTHS, label: 'The last 12 months' },
    ...Array.from({ length: EARLIER_YEARS + 1 }, (_, i) => ({
      key: String(year - i),
      label: i === 0 ? `${year} so far` : String(year - i),
    })),
  ];
}

const firstOf = (year: number, month: number): LocalDate => ({ year, month, day: 1 });
const next = (d: LocalDate): LocalDate =>
  d.month === 12 ? firstOf(d.year + 1, 1) : firstOf(d.year, d.month + 1);
const key = (d: LocalDate) => formatIsoDate(d).slice(0, 7);

/** The period a key names, or null for a key the page does not offer. */
export function periodOf(periodKey: string, now: number, timeZone: string): ReportPeriod | null {
  const choice = periodChoices(now, timeZone).find((c) => c.key === periodKey);
  if (!choice) return null;
  const today = localDateOf(now, timeZone);
  let first: LocalDate;
  let count: number;
  if (periodKey === LAST_12_MONTHS) {
    first = today.month === 12 ? firstOf(today.year, 1) : firstOf(today.year - 1, today.month + 1);
    count = 12;
  } else {
    first = firstOf(Number(periodKey), 1);
    count = Number(periodKey) === today.year ? today.month : 12;
  }
  const months: ReportMonth[] = [];
  let d = first;
  for (let i = 0; i < count; i += 1) {
    const n = next(d);
    months.push({
      month: key(d),
      from: startOfLocalDay(d, timeZone),
      to: startOfLocalDay(n, timeZone),
    });
    d = n;
  }
  const last = months[months.length - 1]!;
  const running = now < last.to;
  const lastDay = running
    ? formatIsoDate(today)
    : formatIsoDate(localDateOf(last.to - 1, timeZone));
  return {
    key: periodKey,
    label: choice.label,
    firstDay: formatIsoDate(first),
    lastDay,
    from: months[0]!.from,
    to: running ? now : last.to,
    months,
  };
}
