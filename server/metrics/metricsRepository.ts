import type { Queryable } from '../store/store';

/**
 * The metrics' SQL: the facts of a time range, read from the audit trail by action name (so that
 * modules built apart, pulls, evidence and cases, count as soon as they write their actions) and
 * from the incidents table. The grouping is done by the caller, in the agency's time zone.
 */

/** The actions metrics read. */
export const METRIC_ACTIONS = [
  'stream.grant',
  'tip.state',
  'pull.create',
  'pull.update',
  'pull.candidate.outcome',
  'pull.fulfil',
  'pull.close',
  'evidence.fetch',
  'evidence.export',
  'evidence.link.create',
  'case.create',
  'case.update',
  'case.assign',
  'case.note',
  'case.link',
  'product.create',
  'product.approve',
] as const;

export interface ActionFact {
  readonly id: number;
  readonly at: number;
  readonly action: string;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly reasonCode: string | null;
  /** A view's reason reference, upper case. */
  readonly reference: string | null;
  readonly tipTo: string | null;
  readonly caseNumber: string | null;
  readonly incidentId: string | null;
  readonly requestedAt: number | null;
}

interface ActionRow {
  readonly id: number | string;
  readonly at: Date | string;
  readonly action: string;
  readonly actor_id: string | null;
  readonly actor_name: string | null;
  readonly target_type: string | null;
  readonly target_id: string | null;
  readonly reason_code: string | null;
  readonly reference: string | null;
  readonly tip_to: string | null;
  readonly case_number: string | null;
  readonly incident_id: string | null;
  readonly requested_at: string | null;
}

const time = (v: Date | string) => new Date(v).getTime();

function instantOrNull(text: string | null): number | null {
  if (text === null) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

/** The successful actions metrics count, in [from, to), in the order they happened. */
export async function actionFacts(db: Queryable, from: Date, to: Date): Promise<ActionFact[]> {
  const res = await db.query<ActionRow>(
    `select id, at, action, actor_id, actor_name, target_type, target_id,
       details->'reason'->>'code' as reason_code,
       upper(details->'reason'->>'reference') as reference,
       details->>'to' as tip_to,
       details->>'caseNumber' as case_number,
       details->>'incidentId' as incident_id,
       details->>'requestedAt' as requested_at
     from audit_log
     where action = any($3::text[]) and at >= $1 and at < $2 and outcome = 'success'
     order by id`,
    [from.toISOString(), to.toISOString(), [...METRIC_ACTIONS]],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    at: time(r.at),
    action: r.action,
    actorId: r.actor_id,
    actorName: r.actor_name,
    targetType: r.target_type,
    targetId: r.target_id,
    reasonCode: r.reason_code,
    reference: r.reference,
    tipTo: r.tip_to,
    caseNumber: r.case_number,
    incidentId: r.incident_id,
    requestedAt: instantOrNull(r.requested_at),
  }));
}

export interface CallFact {
  readonly incidentId: string;
  readonly number: string;
  readonly receivedAt: number;
  /** The first camera view granted for the call at or after it arrived; null: none. */
  readonly firstViewAt: number | null;
  readonly firstViewerId: string | null;
  readonly firstViewerName: string | null;
}

interface CallRow {
  readonly id: string;
  readonly number: string;
  readonly received_at: Date | string;
  readonly view_at: Date | string | null;
  readonly actor_id: string | null;
  readonly actor_name: string | null;
}

/**
 * The calls received in [from, to) with their first camera view: a view whose reason names the
 * call's number (docking names it; so does an analyst who gives it), found through the index on
 * views by reference.
 */
export async function callFacts(db: Queryable, from: Date, to: Date): Promise<CallFact[]> {
  const res = await db.query<CallRow>(
    `select i.id, i.number, i.received_at, v.at as view_at, v.actor_id, v.actor_name
     from incidents i
     left join lateral (
       select a.at, a.actor_id, a.actor_name from audit_log a
       where a.action = 'stream.grant' and a.outcome = 'success'
         and upper(a.details->'reason'->>'reference') = upper(i.number)
         and a.at >= i.received_at
       order by a.at, a.id limit 1
     ) v on true
     where i.received_at >= $1 and i.received_at < $2
     order by i.received_at, i.id`,
    [from.toISOString(), to.toISOString()],
  );
  return res.rows.map((r) => ({
    incidentId: r.id,
    number: r.number,
    receivedAt: time(r.received_at),
    firstViewAt: r.view_at === null ? null : time(r.view_at),
    firstViewerId: r.actor_id,
    firstViewerName: r.actor_name,
  }));
}

/**
 * Which of these references (upper-case numbers or ids) are incidents: the incident's id for
 * each that is.
 */
export async function incidentsReferenced(
  db: Queryable,
  refs: readonly string[],
): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const res = await db.query<{ id: string; number: string }>(
    // Joined (hashed) rather than `= any(array)`, which compares every incident with every
    // reference.
    `select i.id, i.number from unnest($1::text[]) r(ref) join incidents i on upper(i.number) = r.ref
     union
     select i.id, i.number from unnest($1::text[]) r(ref) join incidents i on upper(i.id) = r.ref`,
    [[...new Set(refs)]],
  );
  const out = new Map<string, string>();
  for (const r of res.rows) {
    out.set(r.number.toUpperCase(), r.id);
    out.set(r.id.toUpperCase(), r.id);
  }
  return out;
}
