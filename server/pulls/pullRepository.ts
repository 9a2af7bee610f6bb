import type { Queryable } from '../store/store';
import type {
  AnalystPullLoad,
  CandidateAction,
  CandidateOutcome,
  OutcomeChange,
  Pull,
  PullCandidate,
  PullDetail,
  PullStatus,
  PullUrgency,
} from '../../shared/domain/pulls';
import type { CameraKind } from '../../shared/domain/cameras';
import type { SelectedCandidate } from './pullCandidates';

/** The only code that reads or writes camera pulls, their candidates and their outcomes. */

/** A pull's own fields, as the changes write them. */
export interface PullFields {
  readonly requesterName: string | null;
  readonly requesterBadge: string | null;
  readonly requesterUnit: string | null;
  readonly requesterUserId: string | null;
  readonly caseNumber: string | null;
  readonly incidentId: string | null;
  readonly lat: number;
  readonly lng: number;
  readonly address: string | null;
  readonly radiusM: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly lookFor: string;
  readonly urgency: PullUrgency;
  readonly status: PullStatus;
  readonly assignedTo: string;
  readonly requestedAt: string;
  readonly closedAt: string | null;
  readonly closingNote: string | null;
}

export interface PullRecord extends PullFields {
  readonly id: string;
  readonly number: string;
  readonly loggedBy: string | null;
  readonly loggedByName: string;
  readonly loggedAt: string;
  readonly updatedAt: string;
}

interface PullRow {
  id: string;
  number: string;
  requester_name: string | null;
  requester_badge: string | null;
  requester_unit: string | null;
  requester_user_id: string | null;
  requester_user_name: string | null;
  case_number: string | null;
  incident_id: string | null;
  incident_number: string | null;
  lat: number | string;
  lng: number | string;
  address: string | null;
  radius_m: number | string;
  window_start: Date | string;
  window_end: Date | string;
  look_for: string;
  urgency: PullUrgency;
  status: PullStatus;
  assigned_to: string;
  assigned_name: string;
  logged_by: string | null;
  logged_by_name: string;
  requested_at: Date | string;
  logged_at: Date | string;
  updated_at: Date | string;
  closed_at: Date | string | null;
  closing_note: string | null;
  n_total: number | string;
  n_fetch: number | string;
  n_agency: number | string;
  n_contact: number | string;
  n_untouched: number | string;
  n_obtained: number | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));

const SELECT_PULLS = `select p.id, p.number, p.requester_name, p.requester_badge, p.requester_unit,
    p.requester_user_id, r.display_name as requester_user_name, p.case_number, p.incident_id,
    i.number as incident_number, p.lat, p.lng, p.address, p.radius_m, p.window_start,
    p.window_end, p.look_for, p.urgency, p.status, p.assigned_to, a.display_name as assigned_name,
    p.logged_by, p.logged_by_name, p.requested_at, p.logged_at, p.updated_at, p.closed_at,
    p.closing_note, k.n_total, k.n_fetch, k.n_agency, k.n_contact, k.n_untouched, k.n_obtained
  from pulls p
  join users a on a.id = p.assigned_to
  left join users r on r.id = p.requester_user_id
  left join incidents i on i.id = p.incident_id
  cross join lateral (
    select count(*) as n_total,
      count(*) filter (where c.action = 'fetch_now') as n_fetch,
      count(*) filter (where c.action = 'agency') as n_agency,
      count(*) filter (where c.action = 'contact_owner') as n_contact,
      count(*) filter (where c.outcome = 'not_contacted') as n_untouched,
      count(*) filter (where c.outcome = 'footage_obtained') as n_obtained
    from pull_candidates c where c.pull_id = p.id
  ) k`;

function pullOf(r: PullRow): Pull {
  return {
    id: r.id,
    number: r.number,
    requester: {
      name: r.requester_name,
      badge: r.requester_badge,
      unit: r.requester_unit,
      userId: r.requester_user_id,
      userName: r.requester_user_name,
    },
    caseNumber: r.case_number,
    incidentId: r.incident_id,
    incidentNumber: r.incident_number,
    position: { lat: Number(r.lat), lon: Number(r.lng) },
    address: r.address,
    radiusM: Number(r.radius_m),
    windowStart: iso(r.window_start),
    windowEnd: iso(r.window_end),
    lookFor: r.look_for,
    urgency: r.urgency,
    status: r.status,
    assignedTo: { id: r.assigned_to, name: r.assigned_name },
    loggedBy: { id: r.logged_by ?? 'system', name: r.logged_by_name },
    requestedAt: iso(r.requested_at),
    loggedAt: iso(r.logged_at),
    updatedAt: iso(r.updated_at),
    closedAt: isoOrNull(r.closed_at),
    closingNote: r.closing_note,
    counts: {
      total: Number(r.n_total),
      fetchNow: Number(r.n_fetch),
      agency: Number(r.n_agency),
      contactOwner: Number(r.n_contact),
      untouched: Number(r.n_untouched),
      footageObtained: Number(r.n_obtained),
    },
  };
}

/** The pull as the console sees it, or null. `forUpdate` locks it until the transaction ends. */
export async function findPull(
  db: Queryable,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Pull | null> {
  if (opts.forUpdate) await db.query('select id from pulls where id = $1 for update', [id]);
  const res = await db.query<PullRow>(`${SELECT_PULLS} where p.id = $1`, [id]);
  return res.rows[0] ? pullOf(res.rows[0]) : null;
}

const fieldParams = (f: PullFields) => [
  f.requesterName,
  f.requesterBadge,
  f.requesterUnit,
  f.requesterUserId,
  f.caseNumber,
  f.incidentId,
  f.lat,
  f.lng,
  f.address,
  f.radiusM,
  f.windowStart,
  f.windowEnd,
  f.lookFor,
  f.urgency,
  f.status,
  f.assignedTo,
  f.requestedAt,
  f.closedAt,
  f.closingNote,
];

export async function insertPull(
  tx: Queryable,
  row: {
    id: string;
    fields: PullFields;
    loggedBy: string | null;
    loggedByName: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into pulls (requester_name, requester_badge, requester_unit, requester_user_id,
       case_number, incident_id, lat, lng, address, radius_m, window_start, window_end, look_for,
       urgency, status, assigned_to, requested_at, closed_at, closing_note,
       id, logged_by, logged_by_name, logged_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
       $20, $21, $22, $23, $23)`,
    [...fieldParams(row.fields), row.id, row.loggedBy, row.loggedByName, row.at.toISOString()],
  );
}

export async function updatePull(
  tx: Queryable,
  id: string,
  fields: PullFields,
  at: Date,
): Promise<void> {
  await tx.query(
    `update pulls set requester_name = $1, requester_badge = $2, requester_unit = $3,
       requester_user_id = $4, case_number = $5, incident_id = $6, lat = $7, lng = $8,
       address = $9, radius_m = $10, window_start = $11, window_end = $12, look_for = $13,
       urgency = $14, status = $15, assigned_to = $16, requested_at = $17, closed_at = $18,
       closing_note = $19, updated_at = $21
     where id = $20`,
    [...fieldParams(fields), id, at.toISOString()],
  );
}

/** The fields of a pull as the changes rewrite them. */
export function fieldsOf(p: Pull): PullFields {
  return {
    requesterName: p.requester.name,
    requesterBadge: p.requester.badge,
    requesterUnit: p.requester.unit,
    requesterUserId: p.requester.userId,
    caseNumber: p.caseNumber,
    incidentId: p.incidentId,
    lat: p.position.lat,
    lng: p.position.lon,
    address: p.address,
    radiusM: p.radiusM,
    windowStart: p.windowStart,
    windowEnd: p.windowEnd,
    lookFor: p.lookFor,
    urgency: p.urgency,
    status: p.status,
    assignedTo: p.assignedTo.id,
    requestedAt: p.requestedAt,
    closedAt: p.closedAt,
    closingNote: p.closingNote,
  };
}

export type PullListState = 'open' | 'closed' | 'all';

const STATE_FILTER: Readonly<Record<PullListState, string>> = {
  open: "p.status in ('open', 'in_progress')",
  closed: "p.status in ('fulfilled', 'closed_unfulfilled')",
  all: 'true',
};

/** Open pulls first, the most urgent first, then the newest request. */
const LIST_ORDER = `order by p.status in ('open', 'in_progress') desc,
  case p.urgency when 'urgent' then 0 when 'priority' then 1 else 2 end,
  p.requested_at desc, p.id`;

export async function listPulls(
  db: Queryable,
  q: { state: PullListState; limit: number; requesterUserId?: string },
): Promise<Pull[]> {
  const params: unknown[] = [q.limit];
  let where = STATE_FILTER[q.state];
  if (q.requesterUserId !== undefined) {
    params.push(q.requesterUserId);
    where += ` and p.requester_user_id = $${params.length}`;
  }
  const res = await db.query<PullRow>(
    `${SELECT_PULLS} where ${where} ${LIST_ORDER} limit $1`,
    params,
  );
  return res.rows.map(pullOf);
}

/** The pulls logged under a case number (any letter case), newest first: the case's page. */
export async function pullsForCase(db: Queryable, caseNumber: string): Promise<Pull[]> {
  const res = await db.query<PullRow>(
    `${SELECT_PULLS} where upper(p.case_number) = upper($1) order by p.requested_at desc, p.id`,
    [caseNumber],
  );
  return res.rows.map(pullOf);
}

// ----------------------------------------------------------------------------------------------
// Candidates

interface CandidateRow {
  camera_id: string;
  kind: CameraKind;
  name: string;
  lat: number | string;
  lng: number | string;
  address: string | null;
  distance_m: number | string;
  action: CandidateAction;
  action_note: string | null;
  has_owner_contact: boolean;
  rank: number | string;
  in_radius: boolean;
  outcome: CandidateOutcome;
  outcome_at: Date | string | null;
  outcome_by: string | null;
}

const CANDIDATE_COLUMNS = `camera_id, kind, name, lat, lng, address, distance_m, action, action_note,
  has_owner_contact, rank, in_radius, outcome, outcome_at, outcome_by`;

interface OutcomeRow {
  camera_id: string;
  outcome: CandidateOutcome;
  note: string | null;
  at: Date | string;
  by_id: string | null;
  by_name: string;
}

const candidateOf = (r: CandidateRow, history: OutcomeChange[]): PullCandidate => ({
  cameraId: r.camera_id,
  name: r.name,
  kind: r.kind,
  lat: Number(r.lat),
  lng: Number(r.lng),
  address: r.address,
  distanceM: Number(r.distance_m),
  action: r.action,
  actionNote: r.action_note,
  hasOwnerContact: r.has_owner_contact,
  rank: Number(r.rank),
  inRadius: r.in_radius,
  outcome: r.outcome,
  outcomeAt: isoOrNull(r.outcome_at),
  outcomeBy: r.outcome_by,
  history,
});

const changeOf = (r: OutcomeRow): OutcomeChange => ({
  outcome: r.outcome,
  at: iso(r.at),
  byId: r.by_id,
  byName: r.by_name,
  note: r.note,
});

async function candidatesOf(db: Queryable, pullId: string, cameraId?: string) {
  const params = cameraId === undefined ? [pullId] : [pullId, cameraId];
  const only = cameraId === undefined ? '' : ' and camera_id = $2';
  const [rows, outcomes] = await Promise.all([
    db.query<CandidateRow>(
      `select ${CANDIDATE_COLUMNS} from pull_candidates where pull_id = $1${only}
       order by in_radius desc, rank, camera_id`,
      params,
    ),
    db.query<OutcomeRow>(
      `select camera_id, outcome, note, at, by_id, by_name from pull_candidate_outcomes
       where pull_id = $1${only} order by id`,
      params,
    ),
  ]);
  const history = new Map<string, OutcomeChange[]>();
  for (const o of outcomes.rows) {
    history.set(o.camera_id, [...(history.get(o.camera_id) ?? []), changeOf(o)]);
  }
  return rows.rows.map((r) => candidateOf(r, history.get(r.camera_id) ?? []));
}

export async function findCandidate(
  db: Queryable,
  pullId: string,
  cameraId: string,
): Promise<PullCandidate | null> {
  return (await candidatesOf(db, pullId, cameraId))[0] ?? null;
}

export async function pullDetail(db: Queryable, id: string): Promise<PullDetail | null> {
  const pull = await findPull(db, id);
  if (!pull) return null;
  return { pull, candidates: await candidatesOf(db, id) };
}

/**
 * Keeps the selected cameras with the pull. A camera already listed keeps its outcome and
 * history and takes its new distance, action and rank; a listed camera no longer selected is
 * dropped while nobody has worked it, and kept outside the radius once it has an outcome.
 * Answers how many were added and dropped.
 */
export async function storeCandidates(
  tx: Queryable,
  pullId: string,
  selected: readonly SelectedCandidate[],
): Promise<{ added: number; dropped: number }> {
  const ids = selected.map((s) => s.camera.id);
  const dropped = await tx.query(
    `delete from pull_candidates where pull_id = $1 and outcome = 'not_contacted'
       and not exists (select 1 from pull_candidate_outcomes o
                       where o.pull_id = pull_candidates.pull_id
                         and o.camera_id = pull_candidates.camera_id)
       and not (camera_id = any($2::text[]))`,
    [pullId, ids],
  );
  await tx.query(
    `update pull_candidates set in_radius = false
     where pull_id = $1 and not (camera_id = any($2::text[]))`,
    [pullId, ids],
  );
  if (selected.length === 0) return { added: 0, dropped: dropped.rowCount };
  const added = await tx.query<{ inserted: boolean }>(
    `insert into pull_candidates (pull_id, camera_id, kind, name, lat, lng, address, distance_m,
       action, action_note, has_owner_contact, rank, in_radius)
     select $1, t.camera_id, t.kind, t.name, t.lat, t.lng, t.address, t.distance_m, t.action,
       t.action_note, t.has_owner_contact, t.rank, true
     from unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[],
       $8::float8[], $9::text[], $10::text[], $11::boolean[], $12::int[])
       as t(camera_id, kind, name, lat, lng, address, distance_m, action, action_note,
         has_owner_contact, rank)
     on conflict (pull_id, camera_id) do update set kind = excluded.kind, name = excluded.name,
       lat = excluded.lat, lng = excluded.lng, address = excluded.address,
       distance_m = excluded.distance_m, action = excluded.action,
       action_note = excluded.action_note, has_owner_contact = excluded.has_owner_contact,
       rank = excluded.rank, in_radius = true
     returning (xmax = 0) as inserted`,
    [
      pullId,
      ids,
      selected.map((s) => s.camera.kind),
      selected.map((s) => s.camera.name),
      selected.map((s) => s.camera.lat),
      selected.map((s) => s.camera.lng),
      selected.map((s) => s.camera.address),
      selected.map((s) => s.distanceM),
      selected.map((s) => s.action),
      selected.map((s) => s.actionNote),
      selected.map((s) => s.camera.hasOwnerContact),
      selected.map((s) => s.rank),
    ],
  );
  return {
    added: added.rows.filter((r) => r.inserted).length,
    dropped: dropped.rowCount,
  };
}

/** Records a candidate's outcome and appends it to its history. */
export async function setCandidateOutcome(
  tx: Queryable,
  o: {
    pullId: string;
    cameraId: string;
    outcome: CandidateOutcome;
    note: string | null;
    at: Date;
    byId: string | null;
    byName: string;
  },
): Promise<boolean> {
  const res = await tx.query(
    `update pull_candidates set outcome = $3, outcome_at = $4, outcome_by = $5
     where pull_id = $1 and camera_id = $2`,
    [o.pullId, o.cameraId, o.outcome, o.at.toISOString(), o.byName],
  );
  if (res.rowCount === 0) return false;
  await tx.query(
    `insert into pull_candidate_outcomes (pull_id, camera_id, outcome, note, at, by_id, by_name)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [o.pullId, o.cameraId, o.outcome, o.note, o.at.toISOString(), o.byId, o.byName],
  );
  return true;
}

export async function touchPull(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query('update pulls set updated_at = $2 where id = $1', [id, at.toISOString()]);
}

// ----------------------------------------------------------------------------------------------
// For other modules

/**
 * Open pulls (open and in progress) per assigned analyst, the most loaded first: the
 * lieutenants' workload view reads this.
 */
export async function openPullsPerAnalyst(db: Queryable): Promise<AnalystPullLoad[]> {
  const res = await db.query<{
    user_id: string;
    name: string;
    open: number | string;
    in_progress: number | string;
    urgent: number | string;
    oldest: Date | string;
  }>(
    `select p.assigned_to as user_id, u.display_name as name,
       count(*) filter (where p.status = 'open') as open,
       count(*) filter (where p.status = 'in_progress') as in_progress,
       count(*) filter (where p.urgency = 'urgent') as urgent,
       min(p.requested_at) as oldest
     from pulls p join users u on u.id = p.assigned_to
     where p.status in ('open', 'in_progress')
     group by p.assigned_to, u.display_name
     order by count(*) desc, min(p.requested_at), p.assigned_to`,
  );
  return res.rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    open: Number(r.open),
    inProgress: Number(r.in_progress),
    urgent: Number(r.urgent),
    oldestRequestedAt: iso(r.oldest),
  }));
}
