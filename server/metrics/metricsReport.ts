import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import type { AgencyConfig } from '../../shared/domain/agency';
import {
  distribution,
  TIP_OUTCOMES,
  type MetricGrouping,
  type MetricsReport,
  type MetricsRow,
  type TipOutcome,
} from '../../shared/domain/metrics';
import { VIEW_REASONS, type ViewReasonCode } from '../../shared/domain/reasons';
import { shiftAt, shiftLabel, shiftsBetween } from '../../shared/domain/shifts';
import {
  addDays,
  compareDates,
  formatIsoDate,
  localDateOf,
  parseIsoDate,
  startOfLocalDay,
  weekdayOf,
  type LocalDate,
} from '../../shared/time/zonedTime';
import { actionFacts, callFacts, incidentsReferenced, type ActionFact } from './metricsRepository';

/** How many days one report may cover. */
export const MAX_METRIC_DAYS = 366;

/** One group's running counts. */
interface Tally {
  readonly label: string;
  readonly assists: Set<string>;
  readonly callSeconds: number[];
  pullsRequested: number;
  pullsFulfilled: number;
  readonly fulfilMinutes: number[];
  /** Each tip's last outcome in the group. */
  readonly tips: Map<string, TipOutcome>;
  readonly views: Record<ViewReasonCode, number>;
  readonly cases: Set<string>;
  exports: number;
}

const emptyTally = (label: string): Tally => ({
  label,
  assists: new Set(),
  callSeconds: [],
  pullsRequested: 0,
  pullsFulfilled: 0,
  fulfilMinutes: [],
  tips: new Map(),
  views: Object.fromEntries(VIEW_REASONS.map((r) => [r, 0])) as Record<ViewReasonCode, number>,
  cases: new Set(),
  exports: 0,
});

function rowOf(key: string, t: Tally): MetricsRow {
  const tips = { actionable: 0, no_action: 0, duplicate: 0 };
  for (const outcome of t.tips.values()) tips[outcome] += 1;
  return {
    key,
    label: t.label,
    assists: t.assists.size,
    callToCamera: distribution(t.callSeconds),
    pullsRequested: t.pullsRequested,
    pullsFulfilled: t.pullsFulfilled,
    timeToFulfil: distribution(t.fulfilMinutes),
    tipsByOutcome: tips,
    viewsByReason: { ...t.views },
    casesSupported: t.cases.size,
    exports: t.exports,
  };
}

const monday = (d: LocalDate) => addDays(d, -weekdayOf(d));
const monthKey = (d: LocalDate) => formatIsoDate(d).slice(0, 7);

/** The groups of a range, in order, so that a quiet day still has its (empty) row. */
function groupsOf(
  by: MetricGrouping,
  agency: AgencyConfig,
  from: LocalDate,
  to: LocalDate,
): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const push = (key: string, label: string) => {
    if (!seen.has(key)) out.push([key, label]);
    seen.add(key);
  };
  if (by === 'shift') {
    const start = startOfLocalDay(from, agency.timeZone);
    const end = startOfLocalDay(addDays(to, 1), agency.timeZone);
    for (const i of shiftsBetween(agency.shifts, start, end, agency.timeZone)) {
      push(shiftLabel(i), shiftLabel(i));
    }
    return out;
  }
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) {
    if (by === 'day') push(formatIsoDate(d), formatIsoDate(d));
    if (by === 'week') push(formatIsoDate(monday(d)), `Week of ${formatIsoDate(monday(d))}`);
    if (by === 'month') push(monthKey(d), monthKey(d));
  }
  return out;
}

/** A range's groups in time (its days, or its shifts), found by instant with a binary search. */
interface Span {
  readonly startsAt: number;
  readonly endsAt: number;
  readonly key: string;
  readonly label: string;
}

function spansOf(by: MetricGrouping, agency: AgencyConfig, from: LocalDate, to: LocalDate): Span[] {
  const tz = agency.timeZone;
  if (by === 'shift') {
    const start = startOfLocalDay(from, tz);
    const end = startOfLocalDay(addDays(to, 1), tz);
    return shiftsBetween(agency.shifts, start, end, tz).map((i) => ({
      startsAt: i.startsAt,
      endsAt: i.endsAt,
      key: shiftLabel(i),
      label: shiftLabel(i),
    }));
  }
  const spans: Span[] = [];
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) {
    spans.push({
      startsAt: startOfLocalDay(d, tz),
      endsAt: startOfLocalDay(addDays(d, 1), tz),
      key: formatIsoDate(d),
      label: formatIsoDate(d),
    });
  }
  return spans;
}

function findSpan(spans: readonly Span[], at: number): Span | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (at < s.startsAt) hi = mid - 1;
    else if (at >= s.endsAt) lo = mid + 1;
    else return s;
  }
  return null;
}

/** The group an action (or a call) falls in. */
function groupOf(
  by: MetricGrouping,
  agency: AgencyConfig,
  at: number,
  actor: { readonly id: string | null; readonly name: string | null },
  spans: readonly Span[],
): [string, string] {
  const tz = agency.timeZone;
  // The range's days and shifts are known in advance: looked up, not worked out again for every
  // action (an action outside them, which the queries do not return, is worked out).
  const span = by === 'analyst' ? null : findSpan(spans, at);
  const day = span && by !== 'shift' ? parseIsoDate(span.key) : null;
  switch (by) {
    case 'analyst':
      return [actor.id ?? 'system', actor.name ?? 'system'];
    case 'shift': {
      const label = span?.label ?? shiftLabel(shiftAt(agency.shifts, at, tz));
      return [label, label];
    }
    case 'day': {
      const d = formatIsoDate(day ?? localDateOf(at, tz));
      return [d, d];
    }
    case 'week': {
      const d = formatIsoDate(monday(day ?? localDateOf(at, tz)));
      return [d, `Week of ${d}`];
    }
    case 'month': {
      const m = monthKey(day ?? localDateOf(at, tz));
      return [m, m];
    }
  }
}

function parseRange(from: string, to: string): { from: LocalDate; to: LocalDate } {
  const parse = (text: string, field: string) => {
    try {
      return parseIsoDate(text);
    } catch (e) {
      throw new HttpError(400, `Invalid query: ${field}: ${(e as Error).message}.`, [
        { path: `query.${field}`, message: 'a calendar date in the form YYYY-MM-DD' },
      ]);
    }
  };
  const range = { from: parse(from, 'from'), to: parse(to, 'to') };
  if (compareDates(range.to, range.from) < 0) {
    throw new HttpError(400, 'Invalid query: to: the last day comes before the first.', [
      { path: 'query.to', message: 'on or after from' },
    ]);
  }
  if (compareDates(addDays(range.from, MAX_METRIC_DAYS - 1), range.to) < 0) {
    throw new HttpError(
      400,
      `Invalid query: to: a report covers at most ${MAX_METRIC_DAYS} days.`,
      [{ path: 'query.to', message: `at most ${MAX_METRIC_DAYS} days after from` }],
    );
  }
  return range;
}

const isOutcome = (s: string | null): s is TipOutcome =>
  s !== null && (TIP_OUTCOMES as readonly string[]).includes(s);
const isReason = (s: string | null): s is ViewReasonCode =>
  s !== null && (VIEW_REASONS as readonly string[]).includes(s);

/**
 * The figures of a range of local days, grouped. Definitions (docs/metrics.md):
 * - an assist is an incident for which the center viewed a camera (a view whose reason names the
 *   call) or provided footage (a pull fulfilled or an export naming the incident);
 * - call to camera: from the CAD's received time to the first such view, for calls received in
 *   the range; grouped by when the call came in (per analyst: who put the camera up);
 * - time to fulfil: from the pull's `requestedAt` (else its logging) to its fulfilment;
 * - tips by outcome: each tip's last triage outcome in the group;
 * - cases supported: distinct case numbers named by pulls, exports, products and case work, and
 *   by views whose reason names a number that is not an incident's.
 */
export async function metricsReport(
  db: Queryable,
  agency: AgencyConfig,
  query: { readonly from: string; readonly to: string; readonly by: MetricGrouping },
): Promise<MetricsReport> {
  const range = parseRange(query.from, query.to);
  const tz = agency.timeZone;
  const start = new Date(startOfLocalDay(range.from, tz));
  const end = new Date(startOfLocalDay(addDays(range.to, 1), tz));
  const [facts, calls] = await Promise.all([
    actionFacts(db, start, end),
    callFacts(db, start, end),
  ]);
  const incidents = await incidentsReferenced(db, incidentRefs(facts));

  const tallies = new Map<string, Tally>();
  for (const [key, label] of groupsOf(query.by, agency, range.from, range.to)) {
    tallies.set(key, emptyTally(label));
  }
  const total = emptyTally('Total');
  const spans = query.by === 'analyst' ? [] : spansOf(query.by, agency, range.from, range.to);
  const tallyFor = (at: number, actor: { id: string | null; name: string | null }) => {
    const [key, label] = groupOf(query.by, agency, at, actor, spans);
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = emptyTally(label)));
    return [t, total];
  };

  const loggedAt = new Map<string, number>();
  for (const f of facts) {
    if (f.action === 'pull.create' && f.targetId) loggedAt.set(f.targetId, f.at);
    for (const t of tallyFor(f.at, { id: f.actorId, name: f.actorName })) {
      countAction(t, f, incidents, loggedAt);
    }
  }
  for (const c of calls) {
    if (c.firstViewAt === null) continue;
    for (const t of tallyFor(c.receivedAt, { id: c.firstViewerId, name: c.firstViewerName })) {
      t.callSeconds.push((c.firstViewAt - c.receivedAt) / 1000);
    }
  }

  const rows = [...tallies.entries()].map(([key, t]) => rowOf(key, t));
  if (query.by === 'analyst') rows.sort((a, b) => a.label.localeCompare(b.label));
  return {
    from: formatIsoDate(range.from),
    to: formatIsoDate(range.to),
    by: query.by,
    timeZone: tz,
    rows,
    total: rowOf('total', total),
  };
}

function incidentRefs(facts: readonly ActionFact[]): string[] {
  const refs: string[] = [];
  for (const f of facts) {
    if (f.action === 'stream.grant' && f.reference) refs.push(f.reference);
    if (f.incidentId) refs.push(f.incidentId.toUpperCase());
  }
  return refs;
}

function countAction(
  t: Tally,
  f: ActionFact,
  incidents: ReadonlyMap<string, string>,
  loggedAt: ReadonlyMap<string, number>,
): void {
  const incident = f.incidentId ? incidents.get(f.incidentId.toUpperCase()) : undefined;
  if (f.caseNumber) t.cases.add(f.caseNumber.toUpperCase());
  if (f.targetType === 'case' && f.targetId) t.cases.add(f.targetId.toUpperCase());
  switch (f.action) {
    case 'stream.grant': {
      if (isReason(f.reasonCode)) t.views[f.reasonCode] += 1;
      if (!f.reference) return;
      const viewed = incidents.get(f.reference);
      if (viewed) t.assists.add(viewed);
      else t.cases.add(f.reference);
      return;
    }
    case 'tip.state':
      if (isOutcome(f.tipTo) && f.targetId) t.tips.set(f.targetId, f.tipTo);
      return;
    case 'pull.create':
      t.pullsRequested += 1;
      return;
    case 'pull.fulfil': {
      t.pullsFulfilled += 1;
      if (incident) t.assists.add(incident);
      const asked = f.requestedAt ?? (f.targetId ? loggedAt.get(f.targetId) : undefined);
      if (asked !== undefined && asked <= f.at) t.fulfilMinutes.push((f.at - asked) / 60_000);
      return;
    }
    case 'evidence.export':
      t.exports += 1;
      if (incident) t.assists.add(incident);
      return;
  }
}
