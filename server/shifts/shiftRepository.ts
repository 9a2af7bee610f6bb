import type { Queryable } from '../store/store';
import type { ShiftEntry, ShiftEntryKind, ShiftSummary } from '../../shared/domain/shifts';
import { ShiftSummarySchema } from '../../shared/domain/shifts';

/** The shift log's SQL: shift_logs and shift_entries, and the shift's work read from the trail. */

export interface ShiftKey {
  readonly date: string;
  readonly name: string;
}

export interface ShiftLogRow {
  readonly signedOffAt: string | null;
  readonly signedOffBy: string | null;
  readonly signedOffByName: string | null;
  readonly signoffNote: string;
  readonly summary: ShiftSummary | null;
}

interface LogRow {
  readonly signed_off_at: Date | string | null;
  readonly signed_off_by: string | null;
  readonly signed_off_by_name: string | null;
  readonly signoff_note: string | null;
  readonly summary: unknown;
}

const iso = (v: Date | string) => new Date(v).toISOString();

function logOf(r: LogRow): ShiftLogRow {
  const summary = typeof r.summary === 'string' ? JSON.parse(r.summary) : r.summary;
  return {
    signedOffAt: r.signed_off_at === null ? null : iso(r.signed_off_at),
    signedOffBy: r.signed_off_by,
    signedOffByName: r.signed_off_by_name,
    signoffNote: r.signoff_note ?? '',
    summary: summary ? ShiftSummarySchema.parse(summary) : null,
  };
}

export async function findShiftLog(db: Queryable, key: ShiftKey): Promise<ShiftLogRow | null> {
  const res = await db.query<LogRow>(
    `select signed_off_at, signed_off_by, signed_off_by_name, signoff_note, summary
     from shift_logs where shift_date = $1 and shift_name = $2`,
    [key.date, key.name],
  );
  return res.rows[0] ? logOf(res.rows[0]) : null;
}

/** The shift's row, made if it is the first thing written, and held until commit. */
export async function lockShiftLog(
  tx: Queryable,
  key: ShiftKey,
  window: { readonly startsAt: Date; readonly endsAt: Date },
): Promise<ShiftLogRow> {
  await tx.query(
    `insert into shift_logs (shift_date, shift_name, starts_at, ends_at) values ($1, $2, $3, $4)
     on conflict (shift_date, shift_name) do nothing`,
    [key.date, key.name, window.startsAt.toISOString(), window.endsAt.toISOString()],
  );
  const res = await tx.query<LogRow>(
    `select signed_off_at, signed_off_by, signed_off_by_name, signoff_note, summary
     from shift_logs where shift_date = $1 and shift_name = $2 for update`,
    [key.date, key.name],
  );
  return logOf(res.rows[0]!);
}

export async function markSignedOff(
  tx: Queryable,
  key: ShiftKey,
  s: {
    readonly at: Date;
    readonly byId: string | null;
    readonly byName: string;
    readonly note: string;
    readonly summary: ShiftSummary;
  },
): Promise<void> {
  await tx.query(
    `update shift_logs set signed_off_at = $3, signed_off_by = $4, signed_off_by_name = $5,
       signoff_note = $6, summary = $7
     where shift_date = $1 and shift_name = $2 and signed_off_at is null`,
    [key.date, key.name, s.at.toISOString(), s.byId, s.byName, s.note, JSON.stringify(s.summary)],
  );
}

interface EntryRow {
  readonly id: string;
  readonly at: Date | string;
  readonly written_at: Date | string;
  readonly kind: ShiftEntryKind;
  readonly text: string;
  readonly author_id: string | null;
  readonly author_name: string;
  readonly addendum: boolean;
}

const entryOf = (r: EntryRow): ShiftEntry => ({
  id: r.id,
  at: iso(r.at),
  writtenAt: iso(r.written_at),
  kind: r.kind,
  text: r.text,
  authorId: r.author_id,
  authorName: r.author_name,
  addendum: r.addendum,
});

export async function insertEntry(
  tx: Queryable,
  key: ShiftKey,
  e: Omit<ShiftEntry, 'at' | 'writtenAt'> & { readonly at: Date; readonly writtenAt: Date },
): Promise<ShiftEntry> {
  const res = await tx.query<EntryRow>(
    `insert into shift_entries (id, shift_date, shift_name, at, written_at, kind, text, author_id,
       author_name, addendum)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     returning id, at, written_at, kind, text, author_id, author_name, addendum`,
    [
      e.id,
      key.date,
      key.name,
      e.at.toISOString(),
      e.writtenAt.toISOString(),
      e.kind,
      e.text,
      e.authorId,
      e.authorName,
      e.addendum,
    ],
  );
  return entryOf(res.rows[0]!);
}

/** Entries in the order they happened, then addenda in the order they were written. */
export async function listEntries(db: Queryable, key: ShiftKey): Promise<ShiftEntry[]> {
  const res = await db.query<EntryRow>(
    `select id, at, written_at, kind, text, author_id, author_name, addendum
     from shift_entries where shift_date = $1 and shift_name = $2
     order by addendum, case when addendum then written_at else at end, written_at, id`,
    [key.date, key.name],
  );
  return res.rows.map(entryOf);
}

/** Tip states that end triage. */
const TRIAGED = ['actionable', 'no_action', 'duplicate'];

/**
 * The shift's work from the audit trail, by action name, so that modules built apart (pulls,
 * evidence) count as soon as they write their actions. An incident counts as worked when the
 * center viewed a camera for it, wrote a note or link on it, or logged a pull or export for it.
 */
export async function countShiftWork(db: Queryable, from: Date, to: Date): Promise<ShiftSummary> {
  const res = await db.query<Record<string, number | string>>(
    `with a as (
       select action, target_id, details from audit_log
       where at >= $1 and at < $2 and outcome = 'success'
         and action in ('stream.grant', 'tip.state', 'alert.acknowledge', 'incident.note',
           'incident.link', 'pull.create', 'pull.fulfil', 'evidence.export')
     ),
     refs as (
       select upper(details->'reason'->>'reference') as ref from a
       where action = 'stream.grant' and details->'reason'->>'code' = 'active_incident'
       union select upper(target_id) from a where action in ('incident.note', 'incident.link')
       union select upper(details->>'incidentId') from a
       where action in ('pull.create', 'pull.fulfil', 'evidence.export')
     )
     select
       (select count(*) from incidents i
         where upper(i.number) in (select ref from refs) or upper(i.id) in (select ref from refs))
         as incidents_worked,
       (select count(*) from a where action = 'stream.grant'
         and details->'reason'->>'note' like 'Docked:%') as cameras_docked,
       (select count(*) from a where action = 'stream.grant') as camera_views,
       (select count(distinct target_id) from a where action = 'tip.state'
         and details->>'to' = any($3::text[])) as tips_triaged,
       (select count(*) from a where action = 'alert.acknowledge') as alerts_acknowledged,
       (select count(*) from a where action = 'pull.create') as pulls_logged,
       (select count(*) from a where action = 'pull.fulfil') as pulls_fulfilled,
       (select count(*) from a where action = 'evidence.export') as exports`,
    [from.toISOString(), to.toISOString(), TRIAGED],
  );
  const r = res.rows[0]!;
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    incidentsWorked: n('incidents_worked'),
    camerasDocked: n('cameras_docked'),
    cameraViews: n('camera_views'),
    tipsTriaged: n('tips_triaged'),
    alertsAcknowledged: n('alerts_acknowledged'),
    pullsLogged: n('pulls_logged'),
    pullsFulfilled: n('pulls_fulfilled'),
    exports: n('exports'),
  };
}
