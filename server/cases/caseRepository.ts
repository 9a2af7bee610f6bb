import type { Queryable } from '../store/store';
import type {
  Case,
  CaseLink,
  CaseLinkKind,
  CaseNote,
  CasePerson,
  CasePriority,
  CaseStatus,
  CaseType,
} from '../../shared/domain/cases';
import type { Role } from '../../shared/domain/roles';

/** The only code that reads or writes cases, their analysts, notes, links and number counter. */

/** A case's own fields, as a change sets them. */
export interface CaseFields {
  readonly title: string;
  readonly type: CaseType;
  readonly status: CaseStatus;
  readonly priority: CasePriority;
  readonly leadInvestigator: string | null;
  readonly dueDate: string | null;
  readonly closedAt: string | null;
}

export interface CaseRecord extends CaseFields {
  readonly id: string;
  readonly number: string;
  readonly openedAt: string;
  readonly openedBy: string;
  readonly updatedAt: string;
}

interface CaseRow {
  id: string;
  number: string;
  title: string;
  type: CaseType;
  status: CaseStatus;
  priority: CasePriority;
  lead_investigator: string | null;
  due_date: string | null;
  opened_at: Date | string;
  opened_by: string;
  updated_at: Date | string;
  closed_at: Date | string | null;
}

// The due date is read as text: a date column read as a Date would be midnight in the server's
// zone, and the date is the agency's.
const columnsOf = (t: string) => `${t}.id, ${t}.number, ${t}.title, ${t}.type, ${t}.status,
  ${t}.priority, ${t}.lead_investigator, to_char(${t}.due_date, 'YYYY-MM-DD') as due_date,
  ${t}.opened_at, ${t}.opened_by, ${t}.updated_at, ${t}.closed_at`;
const COLUMNS = columnsOf('cases');

const iso = (v: Date | string) => new Date(v).toISOString();

function recordOf(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    type: r.type,
    status: r.status,
    priority: r.priority,
    leadInvestigator: r.lead_investigator,
    dueDate: r.due_date,
    openedAt: iso(r.opened_at),
    openedBy: r.opened_by,
    updatedAt: iso(r.updated_at),
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
  };
}

export function caseOf(r: CaseRecord, analysts: readonly CasePerson[]): Case {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    type: r.type,
    status: r.status,
    priority: r.priority,
    leadInvestigator: r.leadInvestigator,
    analysts: [...analysts],
    dueDate: r.dueDate,
    openedAt: r.openedAt,
    openedBy: r.openedBy,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
  };
}

// ----------------------------------------------------------------------------------------------
// Numbers

/**
 * The next sequence number of a year. The upsert takes the year's row lock until the transaction
 * ends, so concurrent creates wait for each other and get consecutive numbers.
 */
export async function nextCaseSequence(tx: Queryable, year: number): Promise<number> {
  const res = await tx.query<{ last_seq: number }>(
    `insert into case_number_counters (year, last_seq) values ($1, 1)
     on conflict (year) do update set last_seq = case_number_counters.last_seq + 1
     returning last_seq`,
    [year],
  );
  return Number(res.rows[0]!.last_seq);
}

// ----------------------------------------------------------------------------------------------
// Cases

export async function insertCase(
  tx: Queryable,
  row: CaseFields & { id: string; number: string; at: Date; openedBy: string },
): Promise<CaseRecord> {
  const res = await tx.query<CaseRow>(
    `insert into cases (id, number, title, type, status, priority, lead_investigator, due_date,
       opened_at, opened_by, updated_at, closed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, $10, $9, $11)
     returning ${COLUMNS}`,
    [
      row.id,
      row.number,
      row.title,
      row.type,
      row.status,
      row.priority,
      row.leadInvestigator,
      row.dueDate,
      row.at.toISOString(),
      row.openedBy,
      row.closedAt,
    ],
  );
  return recordOf(res.rows[0]!);
}

/** The case with this number, locked until the transaction ends (a change reads it first). */
export async function findCaseForUpdate(tx: Queryable, number: string): Promise<CaseRecord | null> {
  const res = await tx.query<CaseRow>(
    `select ${COLUMNS} from cases where upper(number) = upper($1) for update`,
    [number],
  );
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

/** Case numbers are typed by people (in a view reason, a search): found without regard to case. */
export async function findCase(db: Queryable, number: string): Promise<CaseRecord | null> {
  const res = await db.query<CaseRow>(
    `select ${COLUMNS} from cases where upper(number) = upper($1)`,
    [number],
  );
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

export async function updateCase(
  tx: Queryable,
  id: string,
  fields: CaseFields,
  at: Date,
): Promise<CaseRecord> {
  const res = await tx.query<CaseRow>(
    `update cases set title = $2, type = $3, status = $4, priority = $5, lead_investigator = $6,
       due_date = $7::date, closed_at = $8, updated_at = $9
     where id = $1 returning ${COLUMNS}`,
    [
      id,
      fields.title,
      fields.type,
      fields.status,
      fields.priority,
      fields.leadInvestigator,
      fields.dueDate,
      fields.closedAt,
      at.toISOString(),
    ],
  );
  return recordOf(res.rows[0]!);
}

/** Marks the case touched (its timeline grew) and answers it as it is now. */
export async function touchCase(tx: Queryable, id: string, at: Date): Promise<CaseRecord> {
  const res = await tx.query<CaseRow>(
    `update cases set updated_at = $2 where id = $1 returning ${COLUMNS}`,
    [id, at.toISOString()],
  );
  return recordOf(res.rows[0]!);
}

/** At most this many cases are listed at once (the newest work is never that far down). */
const LISTED = 1000;
const PRIORITY_ORDER = `case c.priority when 'high' then 0 when 'normal' then 1 else 2 end`;

/**
 * Cases with a status (or every one not closed), the asker's own first, then by priority, due
 * date and age. `mine` lists only the asker's own.
 */
export async function listCases(
  db: Queryable,
  q: { readonly userId: string; readonly mine: boolean; readonly status: CaseStatus | 'current' },
): Promise<CaseRecord[]> {
  const res = await db.query<CaseRow>(
    `select * from (
       select ${columnsOf('c')}, c.due_date as due,
         exists (select 1 from case_analysts ca where ca.case_id = c.id and ca.user_id = $1) as mine,
         ${PRIORITY_ORDER} as rank
       from cases c
       where ($2::text = 'current' and c.status <> 'closed' or c.status = $2::text)
     ) l
     where l.mine or not $3::boolean
     order by l.mine desc, l.rank, l.due nulls last, l.opened_at, l.number
     limit ${LISTED}`,
    [q.userId, q.status, q.mine],
  );
  return res.rows.map(recordOf);
}

/** The cases not closed, for the workload view. */
export async function listCurrentCases(db: Queryable): Promise<CaseRecord[]> {
  const res = await db.query<CaseRow>(
    `select ${columnsOf('c')} from cases c where c.status <> 'closed'
     order by ${PRIORITY_ORDER}, c.due_date nulls last, c.opened_at, c.number`,
  );
  return res.rows.map(recordOf);
}

// ----------------------------------------------------------------------------------------------
// Analysts

/** The analysts of each case, by case id, in the order they were assigned. */
export async function analystsOf(
  db: Queryable,
  caseIds: readonly string[],
): Promise<Map<string, CasePerson[]>> {
  const out = new Map<string, CasePerson[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const res = await db.query<{ case_id: string; id: string; name: string }>(
    `select ca.case_id, u.id, u.display_name as name
     from case_analysts ca join users u on u.id = ca.user_id
     where ca.case_id = any($1::text[])
     order by ca.assigned_at, u.display_name, u.id`,
    [caseIds],
  );
  for (const r of res.rows) out.get(r.case_id)?.push({ id: r.id, name: r.name });
  return out;
}

/** Replaces a case's analysts: those kept keep their assignment time. */
export async function setAnalysts(
  tx: Queryable,
  caseId: string,
  userIds: readonly string[],
  at: Date,
  by: string,
): Promise<void> {
  await tx.query(
    `delete from case_analysts where case_id = $1 and not (user_id = any($2::text[]))`,
    [caseId, userIds],
  );
  if (userIds.length === 0) return;
  await tx.query(
    `insert into case_analysts (case_id, user_id, assigned_at, assigned_by)
     select $1, u, $3, $4 from unnest($2::text[]) as u
     on conflict do nothing`,
    [caseId, userIds, at.toISOString(), by],
  );
}

export interface AssignableUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** People a case can be assigned to: accounts of these roles that are not disabled. */
export async function assignableUsers(
  db: Queryable,
  roles: readonly Role[],
  ids?: readonly string[],
): Promise<AssignableUser[]> {
  const res = await db.query<{ id: string; name: string; role: Role }>(
    `select id, display_name as name, role from users
     where not disabled and role = any($1::text[]) and ($2::text[] is null or id = any($2::text[]))
     order by display_name, id`,
    [roles, ids ?? null],
  );
  return res.rows;
}

// ----------------------------------------------------------------------------------------------
// Notes

interface NoteRow {
  id: string;
  at: Date | string;
  author_id: string | null;
  author_name: string;
  text: string;
}
const NOTE_COLUMNS = 'id, at, author_id, author_name, text';
const noteOf = (r: NoteRow): CaseNote => ({
  id: r.id,
  at: iso(r.at),
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
});

export async function insertCaseNote(
  tx: Queryable,
  note: {
    id: string;
    caseId: string;
    at: Date;
    authorId: string | null;
    authorName: string;
    text: string;
  },
): Promise<CaseNote> {
  const res = await tx.query<NoteRow>(
    `insert into case_notes (id, case_id, at, author_id, author_name, text)
     values ($1, $2, $3, $4, $5, $6) returning ${NOTE_COLUMNS}`,
    [note.id, note.caseId, note.at.toISOString(), note.authorId, note.authorName, note.text],
  );
  return noteOf(res.rows[0]!);
}

export async function caseNotes(db: Queryable, caseId: string): Promise<CaseNote[]> {
  const res = await db.query<NoteRow>(
    `select ${NOTE_COLUMNS} from case_notes where case_id = $1 order by seq`,
    [caseId],
  );
  return res.rows.map(noteOf);
}

// ----------------------------------------------------------------------------------------------
// Links

/** Whether the incident, tip or alert a link names is on file. */
export async function linkTargetExists(
  db: Queryable,
  kind: CaseLinkKind,
  ref: string,
): Promise<boolean> {
  const table = { incident: 'incidents', tip: 'tips', alert: 'alerts' }[kind];
  const res = await db.query(`select 1 from ${table} where id = $1`, [ref]);
  return res.rows.length > 0;
}

interface LinkRow {
  kind: CaseLinkKind;
  ref: string;
  label: string | null;
  linked_at: Date | string;
  linked_by: string;
}

// What each linked record is, as it reads now: the incident's number and call type, the tip's
// first words, the alert's title.
const LINK_SELECT = `select l.kind, l.ref, l.linked_at, l.linked_by,
    coalesce(
      case l.kind
        when 'incident' then (select i.number || ' · ' || i.call_type_text from incidents i
                              where i.id = l.ref)
        when 'tip' then (select left(regexp_replace(t.body, '\\s+', ' ', 'g'), 80) from tips t
                         where t.id = l.ref)
        when 'alert' then (select a.title from alerts a where a.id = l.ref)
      end, l.ref) as label
  from case_links l`;

const linkOf = (r: LinkRow): CaseLink => ({
  kind: r.kind,
  ref: r.ref,
  label: r.label ?? r.ref,
  linkedAt: iso(r.linked_at),
  linkedBy: r.linked_by,
});

/** Links once: a link already there is answered as it is, with `created` false. */
export async function insertCaseLink(
  tx: Queryable,
  link: { caseId: string; kind: CaseLinkKind; ref: string; at: Date; by: string },
): Promise<{ link: CaseLink; created: boolean }> {
  const res = await tx.query(
    `insert into case_links (case_id, kind, ref, linked_at, linked_by)
     values ($1, $2, $3, $4, $5) on conflict do nothing`,
    [link.caseId, link.kind, link.ref, link.at.toISOString(), link.by],
  );
  const kept = await tx.query<LinkRow>(
    `${LINK_SELECT} where l.case_id = $1 and l.kind = $2 and l.ref = $3`,
    [link.caseId, link.kind, link.ref],
  );
  return { link: linkOf(kept.rows[0]!), created: res.rowCount > 0 };
}

/**
 * What a case lists as linked: the incidents, tips and alerts linked from it, then the tips and
 * incidents whose own record names its number (linked from the Tips panel or the incident).
 */
export async function caseLinks(
  db: Queryable,
  c: { id: string; number: string },
): Promise<CaseLink[]> {
  const [linked, named] = await Promise.all([
    db.query<LinkRow>(`${LINK_SELECT} where l.case_id = $1 order by l.linked_at, l.kind, l.ref`, [
      c.id,
    ]),
    db.query<LinkRow>(
      `select 'tip' as kind, t.id as ref, left(regexp_replace(t.body, '\\s+', ' ', 'g'), 80) as label,
              coalesce(t.state_changed_at, t.received_at) as linked_at, 'from the tip' as linked_by
       from tips t where upper(t.case_number) = upper($1)
       union all
       select 'incident', i.id, i.number || ' · ' || i.call_type_text, l.linked_at,
              'from the incident'
       from incident_links l join incidents i on i.id = l.incident_id
       where l.kind = 'case' and upper(l.ref) = upper($1)
       order by linked_at, ref`,
      [c.number],
    ),
  ]);
  const here = new Set(linked.rows.map((l) => `${l.kind}:${l.ref}`));
  return [
    ...linked.rows.map(linkOf),
    ...named.rows.filter((l) => !here.has(`${l.kind}:${l.ref}`)).map(linkOf),
  ];
}
