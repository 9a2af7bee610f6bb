import type { Queryable } from '../store/store';
import type {
  AuditCounts,
  AuditEntry,
  AuditFilters,
  AuditTargetKind,
  FlagReview,
} from '../../shared/api/auditReview';
import { AUDIT_TARGET_KINDS } from '../../shared/api/auditReview';
import type { Shift } from '../../shared/domain/agency';
import {
  REVEAL_ACTION,
  VIEW_ACTION,
  type ActivityDay,
  type AuditFlagKind,
  type FlagActivity,
  type PrivateCameraDay,
  type Reveal,
  type ShiftActivity,
} from '../../shared/domain/auditFlags';
import type { ReaderScope } from './auditScope';

/**
 * The audit review's SQL: the trail searched, counted and summed up for the flags, and the
 * reviews of flags (migration 0021). Every expression that an index of 0021 covers is written
 * exactly as the index has it: change them together.
 */

/** A filter made into SQL: where-clauses over `audit_log a`, with their parameters. */
interface Where {
  readonly clauses: string[];
  readonly params: unknown[];
}

/** The range every query is held to, resolved (the filters' from/to, or their defaults). */
export interface ResolvedFilters extends Omit<AuditFilters, 'from' | 'to'> {
  readonly from: number;
  readonly to: number;
}

function whereOf(f: ResolvedFilters, scope: ReaderScope): Where {
  const w: Where = { clauses: [], params: [] };
  const p = (value: unknown) => {
    w.params.push(value);
    return `$${w.params.length}`;
  };
  w.clauses.push(`a.at >= ${p(new Date(f.from).toISOString())}`);
  w.clauses.push(`a.at < ${p(new Date(f.to).toISOString())}`);
  if (f.actorId) w.clauses.push(`a.actor_id = ${p(f.actorId)}`);
  if (f.cameraId) {
    w.clauses.push(`a.target_type = 'camera' and a.target_id = ${p(f.cameraId)}`);
  }
  if (f.caseNumber) {
    const n = p(f.caseNumber);
    w.clauses.push(
      `((a.details ? 'reason' and upper(a.details->'reason'->>'reference') = upper(${n}))
        or (a.target_type = 'case' and a.target_id = ${n}))`,
    );
  }
  if (f.reasonCode) {
    w.clauses.push(`a.details ? 'reason' and (a.details->'reason'->>'code') = ${p(f.reasonCode)}`);
  }
  if (f.reasonText) {
    // strpos, not like: the reader's words are matched as written, % and _ included.
    w.clauses.push(
      `a.details ? 'reason' and strpos(lower(a.details->'reason'->>'note'), lower(${p(f.reasonText)})) > 0`,
    );
  }
  if (f.action) w.clauses.push(`a.action = ${p(f.action)}`);
  if (f.outcome) w.clauses.push(`a.outcome = ${p(f.outcome)}`);
  w.clauses.push(...scopeClauses(scope, p));
  return w;
}

/**
 * The clauses that hold a query over `audit_log a` to a reader's scope: for a supervisor,
 * people's entries within the supervisor's shifts. `p` binds a parameter and names it.
 */
export function scopeClauses(scope: ReaderScope, p: (value: unknown) => string): string[] {
  if (scope.scope === 'all') return [];
  if (scope.windows.length === 0) return ['false'];
  const starts = p(scope.windows.map(([s]) => new Date(s).toISOString()));
  const ends = p(scope.windows.map(([, e]) => new Date(e).toISOString()));
  return [
    `a.actor_id is not null and a.actor_id not like 'integration:%'`,
    // Held to the first and last window too, so the time index narrows the rows first.
    `a.at >= ${p(new Date(scope.windows[0]![0]).toISOString())}`,
    `a.at < ${p(new Date(scope.windows.at(-1)![1]).toISOString())}`,
    `exists (select 1 from unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) s(f, t)
             where a.at >= s.f and a.at < s.t)`,
  ];
}

interface EntryRow {
  id: number | string;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditEntry['outcome'];
  details: Record<string, unknown> | string;
  hash: string;
  label: string | null;
}

const KINDS = new Set<string>(AUDIT_TARGET_KINDS);

function targetKind(type: string): AuditTargetKind {
  return KINDS.has(type) ? (type as AuditTargetKind) : 'other';
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

export function entryOf(r: EntryRow): AuditEntry {
  const details = (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<
    string,
    unknown
  >;
  const reason = details.reason;
  const why =
    reason !== null && typeof reason === 'object' ? (reason as Record<string, unknown>) : null;
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    outcome: r.outcome,
    target:
      r.target_type !== null && r.target_id !== null
        ? { kind: targetKind(r.target_type), type: r.target_type, id: r.target_id, label: r.label }
        : null,
    reason: why
      ? { code: text(why.code), reference: text(why.reference), note: text(why.note) }
      : null,
    details,
    hash: r.hash,
  };
}

/**
 * What an entry refers to, by name: joined only for the page's rows, after the page is cut.
 * Cases are named by their number already (their target id).
 */
const LABELLED = `
  left join cameras c on a.target_type = 'camera' and c.id = a.target_id
  left join users u on a.target_type = 'user' and u.id = a.target_id
  left join pulls p on a.target_type = 'pull' and p.id = a.target_id
  left join incidents i on a.target_type = 'incident' and i.id = a.target_id`;
const LABEL = `coalesce(c.name, u.display_name, p.number, i.number)`;

/** One page, newest first: entries below `before` (an id), at most `limit`. */
export async function searchEntries(
  db: Queryable,
  f: ResolvedFilters,
  scope: ReaderScope,
  page: { readonly before?: number | undefined; readonly limit: number },
): Promise<{ entries: AuditEntry[]; next: number | null }> {
  const w = whereOf(f, scope);
  if (page.before !== undefined) {
    w.params.push(page.before);
    w.clauses.push(`a.id < $${w.params.length}`);
  }
  // One more than asked: whether there is a next page, without counting.
  w.params.push(page.limit + 1);
  const res = await db.query<EntryRow>(
    `select a.id, a.at, a.actor_id, a.actor_name, a.action, a.target_type, a.target_id, a.outcome,
            a.details, a.hash, ${LABEL} as label
     from (select * from audit_log a where ${w.clauses.join(' and ')}
           order by a.id desc limit $${w.params.length}) a
     ${LABELLED}
     order by a.id desc`,
    w.params,
  );
  const rows = res.rows.slice(0, page.limit);
  const more = res.rows.length > page.limit;
  return { entries: rows.map(entryOf), next: more ? Number(rows.at(-1)!.id) : null };
}

/** Every entry of the filtered range, oldest first, in pages: what an export writes. */
export async function* entriesInOrder(
  db: Queryable,
  f: ResolvedFilters,
  scope: ReaderScope,
  upTo: number | null,
  pageSize = 5000,
): AsyncGenerator<AuditEntry[]> {
  let after = 0;
  for (;;) {
    const w = whereOf(f, scope);
    w.params.push(after);
    w.clauses.push(`a.id > $${w.params.length}`);
    if (upTo !== null) {
      w.params.push(upTo);
      w.clauses.push(`a.id <= $${w.params.length}`);
    }
    w.params.push(pageSize);
    const res = await db.query<EntryRow>(
      `select a.id, a.at, a.actor_id, a.actor_name, a.action, a.target_type, a.target_id,
              a.outcome, a.details, a.hash, ${LABEL} as label
       from (select * from audit_log a where ${w.clauses.join(' and ')}
             order by a.id limit $${w.params.length}) a
       ${LABELLED}
       order by a.id`,
      w.params,
    );
    if (res.rows.length === 0) return;
    yield res.rows.map(entryOf);
    after = Number(res.rows.at(-1)!.id);
    if (res.rows.length < pageSize) return;
  }
}

/** Entries per user and per reason code over the filtered range. */
export async function countEntries(
  db: Queryable,
  f: ResolvedFilters,
  scope: ReaderScope,
): Promise<Omit<AuditCounts, 'scope'>> {
  const w = whereOf(f, scope);
  const where = w.clauses.join(' and ');
  const [users, reasons] = await Promise.all([
    db.query<{ actor_id: string | null; actor_name: string | null; n: number | string }>(
      `select a.actor_id, max(a.actor_name) as actor_name, count(*) as n
       from audit_log a where ${where}
       group by a.actor_id order by count(*) desc, a.actor_id limit 200`,
      w.params,
    ),
    db.query<{ code: string | null; n: number | string }>(
      `select a.details->'reason'->>'code' as code, count(*) as n
       from audit_log a where ${where}
       group by 1 order by count(*) desc`,
      w.params,
    ),
  ]);
  const byReason = reasons.rows.map((r) => ({ code: r.code, count: Number(r.n) }));
  return {
    total: byReason.reduce((sum, r) => sum + r.count, 0),
    byUser: users.rows.map((r) => ({
      actorId: r.actor_id,
      actorName: r.actor_name,
      count: Number(r.n),
    })),
    byReason,
  };
}

// ----------------------------------------------------------------------------------------------
// The flags' activity, summed up on the database

/**
 * A CASE that names the shift of a local time of day: the index in `shifts` (sorted by start)
 * of the last shift started by then, or -1 before the first start (the last shift of the day
 * before, still running). Starts are bound as parameters.
 */
function shiftCase(shifts: readonly Shift[], p: (v: unknown) => string, lt: string): string {
  const arms = shifts
    .map((s, i) => ({ s, i }))
    .reverse()
    .map(({ s, i }) => `when ${lt} >= ${p(s.start)}::time then ${i}`);
  return `case ${arms.join(' ')} else -1 end`;
}

interface AgencyClock {
  readonly timeZone: string;
  readonly shifts: readonly Shift[];
}

/**
 * The activity of [from, to) as `activityFromRows` (shared/domain/auditFlags.ts) computes it in
 * code, summed on the database: a trail of millions of rows is read once, by the time index,
 * and only sums come back. Local days and shifts are taken in the agency's zone, by its wall
 * clock, as shiftAt does.
 */
export async function readFlagActivity(
  db: Queryable,
  agency: AgencyClock,
  from: number,
  to: number,
): Promise<FlagActivity> {
  const shifts = [...agency.shifts].sort((a, b) => (a.start < b.start ? -1 : 1));
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const views = `
    select a.actor_id, a.actor_name, a.target_id,
      (coalesce(btrim(a.details->'reason'->>'reference'), '') = '') as no_case,
      (a.at at time zone ${p(agency.timeZone)}) as lt
    from audit_log a
    where a.action = ${p(VIEW_ACTION)} and a.at >= ${p(new Date(from).toISOString())}
      and a.at < ${p(new Date(to).toISOString())}
      and a.outcome = 'success' and a.target_type = 'camera' and a.actor_id is not null`;
  const shiftIdx = shiftCase(shifts, p, 'v.lt::time');
  // Two sums from one read of the views: per user, day and shift (every view), and per user,
  // day and private camera (the views without a case only), so a trail of many cameras sends
  // back rows in the order of its users' days, not of its cameras.
  const res = await db.query<{
    actor_id: string;
    actor_name: string | null;
    day: string;
    shift_idx: number;
    target_id: string | null;
    views: number | string;
    no_case: number | string;
  }>(
    `with v as (${views}),
     s as (select v.*, ${shiftIdx} as shift_idx from v)
     select s.actor_id, max(s.actor_name) as actor_name, to_char(s.lt, 'YYYY-MM-DD') as day,
       s.shift_idx, null::text as target_id,
       count(*) as views, count(*) filter (where s.no_case) as no_case
     from s group by s.actor_id, 3, s.shift_idx
     union all
     select s.actor_id, max(s.actor_name), to_char(s.lt, 'YYYY-MM-DD'), 0, s.target_id,
       count(*), count(*)
     from s join cameras c on c.id = s.target_id and c.kind in ('registered', 'integrated')
     where s.no_case
     group by s.actor_id, 3, s.target_id`,
    params,
  );
  const sums = res.rows.map((r) => ({
    actorId: r.actor_id,
    actorName: r.actor_name ?? r.actor_id,
    day: r.day,
    shiftIdx: Number(r.shift_idx),
    cameraId: r.target_id,
    views: Number(r.views),
    noCase: Number(r.no_case),
  }));
  return activityOfSums(sums, shifts, await readReveals(db, from, to));
}

interface Sum {
  readonly actorId: string;
  readonly actorName: string;
  readonly day: string;
  readonly shiftIdx: number;
  /** Set: a private camera's views without a case that day; null: the user's day and shift. */
  readonly cameraId: string | null;
  readonly views: number;
  readonly noCase: number;
}

const dayBefore = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** The per-day, per-shift and per-camera sums, folded into the flags' activity. */
function activityOfSums(
  sums: readonly Sum[],
  shifts: readonly Shift[],
  reveals: readonly Reveal[],
): FlagActivity {
  const days = new Map<string, ActivityDay>();
  const byShift = new Map<string, ShiftActivity>();
  const cams: PrivateCameraDay[] = [];
  for (const s of sums) {
    if (s.cameraId !== null) {
      cams.push({
        actorId: s.actorId,
        actorName: s.actorName,
        cameraId: s.cameraId,
        date: s.day,
        views: s.views,
      });
      continue;
    }
    const dk = `${s.actorId}|${s.day}`;
    const d = days.get(dk);
    days.set(dk, {
      actorId: s.actorId,
      actorName: s.actorName,
      date: s.day,
      views: (d?.views ?? 0) + s.views,
      viewsWithoutCase: (d?.viewsWithoutCase ?? 0) + s.noCase,
    });
    const early = s.shiftIdx < 0;
    const shift = shifts[early ? shifts.length - 1 : s.shiftIdx]!;
    const shiftDate = early ? dayBefore(s.day) : s.day;
    const sk = `${s.actorId}|${shiftDate}|${shift.name}`;
    byShift.set(sk, {
      actorId: s.actorId,
      actorName: s.actorName,
      shiftDate,
      shiftName: shift.name,
      views: (byShift.get(sk)?.views ?? 0) + s.views,
    });
  }
  return {
    days: [...days.values()],
    shifts: [...byShift.values()],
    privateCameraDays: cams,
    reveals,
  };
}

async function readReveals(db: Queryable, from: number, to: number): Promise<Reveal[]> {
  const res = await db.query<{
    id: number | string;
    actor_id: string;
    actor_name: string | null;
    at: Date | string;
    target_id: string;
    code: string | null;
    reference: string | null;
  }>(
    `select a.id, a.actor_id, a.actor_name, a.at, a.target_id,
       a.details->'reason'->>'code' as code, a.details->'reason'->>'reference' as reference
     from audit_log a
     where a.action = $1 and a.at >= $2 and a.at < $3 and a.outcome = 'success'
       and a.target_type = 'camera' and a.actor_id is not null
     order by a.id`,
    [REVEAL_ACTION, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    actorId: r.actor_id,
    actorName: r.actor_name ?? r.actor_id,
    at: new Date(r.at).getTime(),
    cameraId: r.target_id,
    reasonCode: r.code,
    reference: r.reference && r.reference.trim() !== '' ? r.reference : null,
  }));
}

/** For each camera given, when a camera pull first listed it (cameras no pull lists are absent). */
export async function firstPulled(
  db: Queryable,
  cameraIds: readonly string[],
): Promise<Map<string, number>> {
  if (cameraIds.length === 0) return new Map();
  const res = await db.query<{ camera_id: string; first: Date | string }>(
    `select c.camera_id, min(p.logged_at) as first
     from pull_candidates c join pulls p on p.id = c.pull_id
     where c.camera_id = any($1) group by c.camera_id`,
    [[...new Set(cameraIds)]],
  );
  return new Map(res.rows.map((r) => [r.camera_id, new Date(r.first).getTime()]));
}

export async function cameraNames(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const res = await db.query<{ id: string; name: string }>(
    'select id, name from cameras where id = any($1)',
    [[...new Set(ids)]],
  );
  return new Map(res.rows.map((r) => [r.id, r.name]));
}

// ----------------------------------------------------------------------------------------------
// Reviews of flags

interface ReviewRow {
  flag_key: string;
  kind: AuditFlagKind;
  reviewed_at: Date | string;
  reviewer_id: string | null;
  reviewer_name: string;
  note: string;
}

const reviewOf = (r: ReviewRow): FlagReview => ({
  key: r.flag_key,
  kind: r.kind,
  at: new Date(r.reviewed_at).toISOString(),
  reviewerId: r.reviewer_id,
  reviewerName: r.reviewer_name,
  note: r.note,
});

export async function insertFlagReview(
  tx: Queryable,
  r: {
    readonly key: string;
    readonly kind: AuditFlagKind;
    readonly subjectId: string;
    readonly date: string;
    readonly explanation: string;
    readonly at: Date;
    readonly reviewerId: string | null;
    readonly reviewerName: string;
    readonly note: string;
  },
): Promise<FlagReview> {
  const res = await tx.query<ReviewRow>(
    `insert into audit_flag_reviews (flag_key, kind, subject_id, flag_date, explanation,
       reviewed_at, reviewer_id, reviewer_name, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     returning flag_key, kind, reviewed_at, reviewer_id, reviewer_name, note`,
    [
      r.key,
      r.kind,
      r.subjectId,
      r.date,
      r.explanation,
      r.at.toISOString(),
      r.reviewerId,
      r.reviewerName,
      r.note,
    ],
  );
  return reviewOf(res.rows[0]!);
}

/** The newest review of each of these flags. */
export async function latestReviews(
  db: Queryable,
  keys: readonly string[],
): Promise<Map<string, FlagReview>> {
  if (keys.length === 0) return new Map();
  const res = await db.query<ReviewRow>(
    `select distinct on (flag_key) flag_key, kind, reviewed_at, reviewer_id, reviewer_name, note
     from audit_flag_reviews where flag_key = any($1)
     order by flag_key, id desc`,
    [[...keys]],
  );
  return new Map(res.rows.map((r) => [r.flag_key, reviewOf(r)]));
}
