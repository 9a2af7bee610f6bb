import type { Queryable } from '../store/store';
import type { RetentionKind } from '../../shared/domain/retention';

/**
 * The retention SQL (docs/retention.md): for each kind, one batch of expired, unheld records
 * found and deleted with everything that hangs off them, and the count of expired records a
 * legal hold keeps. Every batch takes the cutoff ($1) and the batch size ($2) and runs in its own
 * short transaction (retentionPurge.ts), so the purge never holds locks for long.
 */

// ----------------------------------------------------------------------------------------------
// What a legal hold keeps: records linked to a held case, by the links each domain keeps.

const heldTip = (t: string) => `(
  exists (select 1 from case_links l join cases c on c.id = l.case_id
          where c.legal_hold and l.kind = 'tip' and l.ref = ${t}.id)
  or (${t}.case_number is not null and exists (
          select 1 from cases c where c.legal_hold and upper(c.number) = upper(${t}.case_number))))`;

const heldAlert = (a: string) => `exists (
  select 1 from case_links l join cases c on c.id = l.case_id
  where c.legal_hold and l.kind = 'alert' and l.ref = ${a}.id)`;

// An incident names its case in its own links by number (or id); a case names it by id.
const heldIncident = (i: string) => `(
  exists (select 1 from case_links l join cases c on c.id = l.case_id
          where c.legal_hold and l.kind = 'incident' and l.ref = ${i}.id)
  or exists (select 1 from incident_links il join cases c
               on upper(c.number) = upper(il.ref) or c.id = il.ref
             where c.legal_hold and il.incident_id = ${i}.id and il.kind = 'case'))`;

const heldCaseNumber = (expr: string) => `exists (
  select 1 from cases c where c.legal_hold and upper(c.number) = upper(${expr}))`;

// ----------------------------------------------------------------------------------------------
// Expired records, by kind.

/** Tips whose media has expired: the tip was received before the cutoff. */
const EXPIRED_TIP_MEDIA = (held: boolean) => `
  select a.tip_id, a.n from tip_attachments a join tips t on t.id = a.tip_id
  where t.received_at < $1 and ${held ? '' : 'not'} ${heldTip('t')}`;

/** A thread expires whole, once its last message is older than the cutoff and nothing in it is held. */
const EXPIRED_THREADS = (held: boolean) => `
  select th.id from tip_threads th
  where th.last_at < $1 and ${held ? '' : 'not'} exists (
    select 1 from tips t where t.thread_id = th.id and ${heldTip('t')})`;

/**
 * An LPR hit the center did not work: never acknowledged, linked to no incident and to no case.
 * A hit linked to a case is worked, so a legal hold never applies here.
 */
const UNWORKED_LPR = (a: string) => `(${a}.kind = 'lpr' and ${a}.acknowledged_at is null
  and ${a}.incident_number is null
  and not exists (select 1 from case_links l where l.kind = 'alert' and l.ref = ${a}.id))`;

const EXPIRED_LPR = `
  select a.id from alerts a where a.kind = 'lpr' and a.received_at < $1 and ${UNWORKED_LPR('a')}`;

const EXPIRED_ALERTS = (held: boolean) => `
  select a.id from alerts a
  where a.received_at < $1 and not ${UNWORKED_LPR('a')} and ${held ? '' : 'not'} ${heldAlert('a')}`;

/**
 * A closed incident's copy. One a pull or a product names stays as long as they do: they are the
 * center's own records and read it.
 */
const EXPIRED_INCIDENTS = (held: boolean) => `
  select i.id from incidents i
  where i.closed_at is not null and i.closed_at < $1
    and not exists (select 1 from pulls p where p.incident_id = i.id)
    and not exists (select 1 from products p where p.incident_id = i.id)
    and ${held ? '' : 'not'} ${heldIncident('i')}`;

/**
 * A case's evidence (files and exported packages) once the case has been closed longer than the
 * period; evidence under a number no case holds, once its newest file is that old.
 */
const EXPIRED_EVIDENCE_CASES = (held: boolean) => `
  select n.case_number from (
    select case_number from evidence_files union select case_number from evidence_exports) n
  where ${held ? '' : 'not'} ${heldCaseNumber('n.case_number')}
    and case
      when exists (select 1 from cases c where upper(c.number) = upper(n.case_number))
        then exists (select 1 from cases c where upper(c.number) = upper(n.case_number)
                     and c.closed_at is not null and c.closed_at < $1)
      else coalesce(
        (select max(f.fetched_at) from evidence_files f where f.case_number = n.case_number),
        (select max(e.created_at) from evidence_exports e where e.case_number = n.case_number)
      ) < $1
    end`;

/**
 * An online report, counted from when it was received. One whose case is held stays (an
 * approved report's case number is on it).
 */
const EXPIRED_ONLINE_REPORTS = (held: boolean) => `
  select r.id from online_reports r
  where r.submitted_at < $1 and ${held ? '' : 'not'} (
    r.case_number is not null and ${heldCaseNumber('r.case_number')})`;

const EXPIRED_GRANTS = (held: boolean) => `
  select g.id from camera_grants g
  where g.expires_at < $1 and coalesce(g.revoked_at, g.expires_at) < $1
    and ${held ? '' : 'not'} ${heldCaseNumber("g.reason->>'reference'")}`;

// ----------------------------------------------------------------------------------------------
// One batch per kind.

/** What one batch removed: the kind's records, and export folders to remove after commit. */
export interface BatchOutcome {
  readonly removed: number;
  readonly extra?: Readonly<Record<string, number>>;
  readonly folders?: readonly string[];
  /** More remains beyond what `removed` counts (a second table the batch also clears). */
  readonly more?: boolean;
}

export type PurgeBatch = (tx: Queryable, cutoff: Date, limit: number) => Promise<BatchOutcome>;

const ids = async (tx: Queryable, sql: string, cutoff: Date, limit: number): Promise<string[]> =>
  (await tx.query<{ id: string }>(`${sql} limit $2`, [cutoff.toISOString(), limit])).rows.map(
    (r) => r.id,
  );

async function tipMediaBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const res = await tx.query(
    `delete from tip_attachments where (tip_id, n) in (${EXPIRED_TIP_MEDIA(false)} limit $2)`,
    [cutoff.toISOString(), limit],
  );
  return { removed: res.rowCount };
}

async function tipThreadBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const threads = await ids(tx, EXPIRED_THREADS(false), cutoff, limit);
  if (threads.length === 0) return { removed: 0 };
  const tips = (
    await tx.query<{ id: string }>('select id from tips where thread_id = any($1)', [threads])
  ).rows.map((r) => r.id);
  // A tip elsewhere marked as a duplicate of one going away no longer points at it.
  await tx.query(
    'update tips set duplicate_of = null where duplicate_of = any($1) and not (thread_id = any($2))',
    [tips, threads],
  );
  await tx.query('delete from tip_media_grants where tip_id = any($1)', [tips]);
  await tx.query('delete from tip_attachments where tip_id = any($1)', [tips]);
  await tx.query('delete from tip_replies where thread_id = any($1)', [threads]);
  await tx.query(`delete from case_links where kind = 'tip' and ref = any($1)`, [tips]);
  await tx.query(`delete from incident_links where kind = 'tip' and ref = any($1)`, [tips]);
  await tx.query('update tips set duplicate_of = null where thread_id = any($1)', [threads]);
  await tx.query('delete from tips where thread_id = any($1)', [threads]);
  await tx.query('delete from tip_threads where id = any($1)', [threads]);
  return { removed: threads.length, extra: { tips: tips.length } };
}

/**
 * Finds a batch of alerts and deletes them with their evidence rows and case links in one
 * statement (one round trip per batch: the unworked LPR hits are by far the largest kind). The
 * foreign keys are checked at the end of the statement, when all three deletes are done.
 */
async function deleteAlertBatch(
  tx: Queryable,
  select: string,
  cutoff: Date,
  limit: number,
): Promise<BatchOutcome> {
  const res = await tx.query(
    `with gone as (${select} limit $2),
       evidence as (delete from alert_evidence where alert_id in (select id from gone)),
       links as (delete from case_links where kind = 'alert' and ref in (select id from gone))
     delete from alerts where id in (select id from gone)`,
    [cutoff.toISOString(), limit],
  );
  return { removed: res.rowCount };
}

const lprBatch: PurgeBatch = (tx, cutoff, limit) =>
  deleteAlertBatch(tx, EXPIRED_LPR, cutoff, limit);

const alertBatch: PurgeBatch = (tx, cutoff, limit) =>
  deleteAlertBatch(tx, EXPIRED_ALERTS(false), cutoff, limit);

async function trackBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const points = await tx.query(
    `delete from track_points where (integration_id, subject, at) in (
       select integration_id, subject, at from track_points where at < $1 limit $2)`,
    [cutoff.toISOString(), limit],
  );
  // A subject last heard of before the cutoff: its latest position has expired too.
  const subjects =
    points.rowCount < limit
      ? await tx.query(
          `delete from track_subjects where (integration_id, subject) in (
             select integration_id, subject from track_subjects where last_at < $1 limit $2)`,
          [cutoff.toISOString(), limit],
        )
      : { rowCount: 0 };
  return {
    removed: points.rowCount,
    extra: { trackSubjects: subjects.rowCount },
    more: subjects.rowCount >= limit,
  };
}

async function incidentBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const found = await ids(tx, EXPIRED_INCIDENTS(false), cutoff, limit);
  if (found.length === 0) return { removed: 0 };
  for (const table of [
    'incident_status_changes',
    'incident_narrative',
    'incident_notes',
    'incident_links',
  ]) {
    await tx.query(`delete from ${table} where incident_id = any($1)`, [found]);
  }
  await tx.query(`delete from case_links where kind = 'incident' and ref = any($1)`, [found]);
  await tx.query('delete from incidents where id = any($1)', [found]);
  return { removed: found.length };
}

async function evidenceBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const cases = (
    await tx.query<{ case_number: string }>(`${EXPIRED_EVIDENCE_CASES(false)} limit $2`, [
      cutoff.toISOString(),
      limit,
    ])
  ).rows.map((r) => r.case_number);
  if (cases.length === 0) return { removed: 0 };
  await tx.query('delete from evidence_links where case_number = any($1)', [cases]);
  // Stills first: they point at the file they were taken from.
  await tx.query(
    'delete from evidence_files where case_number = any($1) and parent_id is not null',
    [cases],
  );
  const files = await tx.query('delete from evidence_files where case_number = any($1)', [cases]);
  const exports = await tx.query<{ dir: string }>(
    'delete from evidence_exports where case_number = any($1) returning dir',
    [cases],
  );
  // The chain of custody stays: it is the history of what was done with the evidence, and it
  // records nothing of the footage itself.
  return {
    removed: files.rowCount,
    extra: { evidencePackages: exports.rowCount },
    folders: exports.rows.map((r) => r.dir),
  };
}

async function shiftLogBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const logs = await tx.query<{ shift_date: string; shift_name: string }>(
    'select shift_date, shift_name from shift_logs where ends_at < $1 limit $2',
    [cutoff.toISOString(), limit],
  );
  if (logs.rows.length === 0) return { removed: 0 };
  const dates = logs.rows.map((r) => r.shift_date);
  const names = logs.rows.map((r) => r.shift_name);
  const keys = `select * from unnest($1::text[], $2::text[]) as k(d, n)`;
  await tx.query(`delete from shift_entries where (shift_date, shift_name) in (${keys})`, [
    dates,
    names,
  ]);
  await tx.query(`delete from shift_logs where (shift_date, shift_name) in (${keys})`, [
    dates,
    names,
  ]);
  return { removed: logs.rows.length };
}

async function onlineReportBatch(
  tx: Queryable,
  cutoff: Date,
  limit: number,
): Promise<BatchOutcome> {
  const found = await ids(tx, EXPIRED_ONLINE_REPORTS(false), cutoff, limit);
  if (found.length === 0) return { removed: 0 };
  for (const table of ['online_report_links', 'online_report_additions', 'online_report_files']) {
    await tx.query(`delete from ${table} where report_id = any($1)`, [found]);
  }
  await tx.query('delete from online_reports where id = any($1)', [found]);
  return { removed: found.length };
}

async function grantBatch(tx: Queryable, cutoff: Date, limit: number): Promise<BatchOutcome> {
  const res = await tx.query(
    `delete from camera_grants where id in (${EXPIRED_GRANTS(false)} limit $2)`,
    [cutoff.toISOString(), limit],
  );
  return { removed: res.rowCount };
}

/**
 * The batches, in the order a run takes them: media before the threads that hold it, hits
 * before the incidents they name.
 */
export const PURGE_BATCHES: Readonly<Record<RetentionKind, PurgeBatch | null>> = {
  tipMedia: tipMediaBatch,
  tipThreads: tipThreadBatch,
  lprUnmatched: lprBatch,
  alerts: alertBatch,
  tracks: trackBatch,
  incidents: incidentBatch,
  onlineReports: onlineReportBatch,
  evidence: evidenceBatch,
  shiftLogs: shiftLogBatch,
  cameraViews: grantBatch,
};

/** The expired records a legal hold keeps, per kind, counted once a run is done. */
const HELD_QUERIES: Partial<Record<RetentionKind, string>> = {
  tipMedia: EXPIRED_TIP_MEDIA(true),
  tipThreads: EXPIRED_THREADS(true),
  alerts: EXPIRED_ALERTS(true),
  incidents: EXPIRED_INCIDENTS(true),
  evidence: EXPIRED_EVIDENCE_CASES(true),
  onlineReports: EXPIRED_ONLINE_REPORTS(true),
  cameraViews: EXPIRED_GRANTS(true),
};

export async function countHeld(db: Queryable, kind: RetentionKind, cutoff: Date): Promise<number> {
  const sql = HELD_QUERIES[kind];
  if (!sql) return 0;
  const res = await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) h`, [
    cutoff.toISOString(),
  ]);
  return Number(res.rows[0]!.n);
}

// ----------------------------------------------------------------------------------------------
// Media still referenced, and the record of runs.

/** Every media name a record still points at (the media store is shared by tips, alerts, evidence). */
export async function referencedMedia(db: Queryable): Promise<Set<string>> {
  const res = await db.query<{ sha256: string }>(
    `select sha256 from tip_attachments where sha256 is not null
     union select preview_sha256 from tip_attachments where preview_sha256 is not null
     union select playable_sha256 from tip_attachments where playable_sha256 is not null
     union select sha256 from alert_evidence where sha256 is not null
     union select sha256 from evidence_files
     union select sha256 from online_report_files`,
  );
  return new Set(res.rows.map((r) => r.sha256));
}

export interface RunRow {
  id: string;
  trigger: 'schedule' | 'admin';
  started_by: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  outcome: 'completed' | 'failed' | 'interrupted' | null;
  counts: unknown;
  problem: string | null;
}

export async function insertRun(
  db: Queryable,
  run: { id: string; trigger: 'schedule' | 'admin'; startedBy: string; at: Date },
): Promise<void> {
  await db.query(
    `insert into retention_runs (id, trigger, started_by, started_at) values ($1, $2, $3, $4)`,
    [run.id, run.trigger, run.startedBy, run.at.toISOString()],
  );
}

/** Adds a batch's counts to its run, in the batch's own transaction. */
export async function addToRun(
  tx: Queryable,
  runId: string,
  counts: Readonly<Record<string, number>>,
): Promise<void> {
  const res = await tx.query<{ counts: unknown }>(
    'select counts from retention_runs where id = $1 for update',
    [runId],
  );
  const raw = res.rows[0]?.counts ?? {};
  const sum = { ...((typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, number>) };
  for (const [k, v] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + v;
  await tx.query('update retention_runs set counts = $2 where id = $1', [
    runId,
    JSON.stringify(sum),
  ]);
}

export async function finishRun(
  tx: Queryable,
  runId: string,
  end: {
    at: Date;
    outcome: 'completed' | 'failed';
    problem: string | null;
    extra: Record<string, number>;
  },
): Promise<RunRow> {
  await addToRun(tx, runId, end.extra);
  const res = await tx.query<RunRow>(
    `update retention_runs set finished_at = $2, outcome = $3, problem = $4 where id = $1
     returning *`,
    [runId, end.at.toISOString(), end.outcome, end.problem],
  );
  return res.rows[0]!;
}

/** Runs a crash cut short: marked, and named by the next run's audit entry. */
export async function markInterrupted(tx: Queryable, startedBefore: Date): Promise<RunRow[]> {
  const res = await tx.query<RunRow>(
    `update retention_runs set outcome = 'interrupted'
     where finished_at is null and outcome is null and started_at < $1
     returning *`,
    [startedBefore.toISOString()],
  );
  return res.rows;
}

export async function lastRun(db: Queryable): Promise<RunRow | null> {
  const res = await db.query<RunRow>(
    'select * from retention_runs order by started_at desc, id desc limit 1',
  );
  return res.rows[0] ?? null;
}

// ----------------------------------------------------------------------------------------------
// The legal hold.

export interface HoldRow {
  id: string;
  number: string;
  legal_hold: boolean;
  legal_hold_reason: string | null;
  legal_hold_set_at: Date | string | null;
  legal_hold_set_by: string | null;
}

export async function findCaseHold(db: Queryable, number: string): Promise<HoldRow | null> {
  const res = await db.query<HoldRow>(
    `select id, number, legal_hold, legal_hold_reason, legal_hold_set_at, legal_hold_set_by
     from cases where upper(number) = upper($1)`,
    [number],
  );
  return res.rows[0] ?? null;
}

export async function findCaseHoldForUpdate(
  tx: Queryable,
  number: string,
): Promise<HoldRow | null> {
  const res = await tx.query<HoldRow>(
    `select id, number, legal_hold, legal_hold_reason, legal_hold_set_at, legal_hold_set_by
     from cases where upper(number) = upper($1) for update`,
    [number],
  );
  return res.rows[0] ?? null;
}

export async function setCaseHold(
  tx: Queryable,
  id: string,
  hold: { held: boolean; reason: string; at: Date; by: string },
): Promise<HoldRow> {
  const res = await tx.query<HoldRow>(
    `update cases set legal_hold = $2, legal_hold_reason = $3, legal_hold_set_at = $4,
       legal_hold_set_by = $5 where id = $1
     returning id, number, legal_hold, legal_hold_reason, legal_hold_set_at, legal_hold_set_by`,
    [id, hold.held, hold.reason, hold.at.toISOString(), hold.by],
  );
  return res.rows[0]!;
}
