import type { Queryable } from '../store/store';
import type {
  Incident,
  IncidentDetail,
  IncidentLink,
  IncidentNote,
  IncidentStatus,
  IncidentUnit,
} from '../../shared/domain/incidents';
import type { IncidentCameraView } from '../../shared/api/incidents';
import { cameraViewsNaming } from '../audit/cameraViews';

/** The only code that reads or writes incidents and their timeline. */

/** An incident's own fields, as the CAD last described them (plus what Watchfloor derived). */
export interface IncidentState {
  readonly callTypeCode: string;
  readonly callTypeText: string;
  readonly priority: number | null;
  readonly status: IncidentStatus;
  readonly address: string | null;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly radiusM: number | null;
  readonly needsPlacement: boolean;
  readonly outsideJurisdiction: boolean;
  readonly worked: boolean;
  readonly units: readonly IncidentUnit[];
  readonly receivedAt: string;
  readonly closedAt: string | null;
  /** The sender's time of this state, when it gave one. */
  readonly sourceUpdatedAt: string | null;
}

export interface IncidentRecord extends IncidentState {
  readonly id: string;
  readonly number: string;
  readonly updatedAt: string;
}

interface IncidentRow {
  id: string;
  number: string;
  call_type_code: string;
  call_type_text: string;
  priority: number | null;
  status: IncidentStatus;
  address: string | null;
  lat: number | null;
  lng: number | null;
  radius_m: number | null;
  needs_placement: boolean;
  outside_jurisdiction: boolean;
  worked: boolean;
  units: unknown;
  received_at: Date | string;
  updated_at: Date | string;
  closed_at: Date | string | null;
  source_updated_at: Date | string | null;
}

const COLUMNS = `id, number, call_type_code, call_type_text, priority, status, address, lat, lng,
  radius_m, needs_placement, outside_jurisdiction, worked, units, received_at, updated_at, closed_at,
  source_updated_at`;

const iso = (v: Date | string) => new Date(v).toISOString();
const num = (v: number | string | null) => (v === null ? null : Number(v));

function recordOf(r: IncidentRow): IncidentRecord {
  const units = typeof r.units === 'string' ? JSON.parse(r.units) : r.units;
  return {
    id: r.id,
    number: r.number,
    callTypeCode: r.call_type_code,
    callTypeText: r.call_type_text,
    priority: num(r.priority),
    status: r.status,
    address: r.address,
    lat: num(r.lat),
    lng: num(r.lng),
    radiusM: num(r.radius_m),
    needsPlacement: r.needs_placement,
    outsideJurisdiction: r.outside_jurisdiction,
    worked: r.worked,
    units: units as IncidentUnit[],
    receivedAt: iso(r.received_at),
    updatedAt: iso(r.updated_at),
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
    sourceUpdatedAt: r.source_updated_at === null ? null : iso(r.source_updated_at),
  };
}

/** The incident as the console sees it. */
export function incidentOf(r: IncidentRecord): Incident {
  return {
    id: r.id,
    number: r.number,
    callType: { code: r.callTypeCode, text: r.callTypeText },
    priority: r.priority,
    status: r.status,
    address: r.address,
    position: r.lat === null || r.lng === null ? null : { lat: r.lat, lon: r.lng },
    radiusM: r.radiusM,
    needsPlacement: r.needsPlacement,
    outsideJurisdiction: r.outsideJurisdiction,
    worked: r.worked,
    units: [...r.units],
    receivedAt: r.receivedAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
  };
}

/** The incident with this CAD number, locked until the transaction ends. */
export async function findIncidentByNumberForUpdate(
  tx: Queryable,
  number: string,
): Promise<IncidentRecord | null> {
  const res = await tx.query<IncidentRow>(
    `select ${COLUMNS} from incidents where number = $1 for update`,
    [number],
  );
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

export async function findIncident(db: Queryable, id: string): Promise<IncidentRecord | null> {
  const res = await db.query<IncidentRow>(`select ${COLUMNS} from incidents where id = $1`, [id]);
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

const stateParams = (s: IncidentState) => [
  s.callTypeCode,
  s.callTypeText,
  s.priority,
  s.status,
  s.address,
  s.lat,
  s.lng,
  s.radiusM,
  s.needsPlacement,
  s.outsideJurisdiction,
  s.worked,
  JSON.stringify(s.units),
  s.receivedAt,
  s.closedAt,
  s.sourceUpdatedAt,
];

export async function insertIncident(
  tx: Queryable,
  row: { id: string; number: string; integrationId: string; at: Date; state: IncidentState },
): Promise<IncidentRecord> {
  const res = await tx.query<IncidentRow>(
    `insert into incidents (call_type_code, call_type_text, priority, status, address, lat, lng,
       radius_m, needs_placement, outside_jurisdiction, worked, units, received_at, closed_at,
       source_updated_at, id, number, integration_id, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15,
       $16, $17, $18, $19)
     returning ${COLUMNS}`,
    [...stateParams(row.state), row.id, row.number, row.integrationId, row.at.toISOString()],
  );
  return recordOf(res.rows[0]!);
}

export async function updateIncident(
  tx: Queryable,
  row: { id: string; integrationId: string | null; at: Date; state: IncidentState },
): Promise<IncidentRecord> {
  const res = await tx.query<IncidentRow>(
    `update incidents set call_type_code = $1, call_type_text = $2, priority = $3, status = $4,
       address = $5, lat = $6, lng = $7, radius_m = $8, needs_placement = $9,
       outside_jurisdiction = $10, worked = $11, units = $12::jsonb, received_at = $13,
       closed_at = $14, source_updated_at = $15, integration_id = coalesce($17, integration_id),
       updated_at = $18
     where id = $16
     returning ${COLUMNS}`,
    [...stateParams(row.state), row.id, row.integrationId, row.at.toISOString()],
  );
  return recordOf(res.rows[0]!);
}

/** Remembers the sender's newer time of a state that changed nothing else. */
export async function advanceSourceTime(tx: Queryable, id: string, time: string): Promise<void> {
  await tx.query(
    `update incidents set source_updated_at = $2
     where id = $1 and (source_updated_at is null or source_updated_at < $2)`,
    [id, time],
  );
}

/** Marks the incident touched (its timeline grew) and answers it as it is now. */
export async function touchIncident(tx: Queryable, id: string, at: Date): Promise<IncidentRecord> {
  const res = await tx.query<IncidentRow>(
    `update incidents set updated_at = $2 where id = $1 returning ${COLUMNS}`,
    [id, at.toISOString()],
  );
  return recordOf(res.rows[0]!);
}

export async function insertStatusChange(
  tx: Queryable,
  incidentId: string,
  at: Date,
  status: IncidentStatus,
): Promise<void> {
  await tx.query(
    'insert into incident_status_changes (incident_id, at, status) values ($1, $2, $3)',
    [incidentId, at.toISOString(), status],
  );
}

/** Appends the lines not kept yet; answers how many were new. */
export async function appendNarrative(
  tx: Queryable,
  incidentId: string,
  lines: readonly { key: string; at: string; author: string; text: string }[],
): Promise<number> {
  if (lines.length === 0) return 0;
  const res = await tx.query(
    `insert into incident_narrative (incident_id, line_key, at, author, text)
     select $1, t.k, t.at::timestamptz, t.author, t.text
     from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(k, at, author, text)
     on conflict do nothing`,
    [
      incidentId,
      lines.map((l) => l.key),
      lines.map((l) => l.at),
      lines.map((l) => l.author),
      lines.map((l) => l.text),
    ],
  );
  return res.rowCount;
}

export async function listOpenIncidents(tx: Queryable): Promise<IncidentRecord[]> {
  const res = await tx.query<IncidentRow>(
    `select ${COLUMNS} from incidents where closed_at is null order by number for update`,
  );
  return res.rows.map(recordOf);
}

/** Open incidents, most urgent and oldest first, then those closed since `closedSince`. */
export async function listIncidents(db: Queryable, closedSince: Date): Promise<Incident[]> {
  const res = await db.query<IncidentRow>(
    `select ${COLUMNS} from incidents
     where closed_at is null or closed_at >= $1
     order by closed_at is not null, priority nulls last, received_at, number`,
    [closedSince.toISOString()],
  );
  return res.rows.map((r) => incidentOf(recordOf(r)));
}

export async function incidentDetail(db: Queryable, id: string): Promise<IncidentDetail | null> {
  const found = await findIncident(db, id);
  if (!found) return null;
  const [changes, narrative, notes, links, named] = await Promise.all([
    db.query<{ at: Date | string; status: IncidentStatus }>(
      'select at, status from incident_status_changes where incident_id = $1 order by id',
      [id],
    ),
    db.query<{ at: Date | string; author: string; text: string }>(
      `select at, author, text from incident_narrative where incident_id = $1
       order by at, line_key`,
      [id],
    ),
    db.query<NoteRow>(
      `select ${NOTE_COLUMNS} from incident_notes where incident_id = $1 order by at, id`,
      [id],
    ),
    db.query<LinkRow>(
      `select ${LINK_COLUMNS} from incident_links where incident_id = $1 order by linked_at, ref`,
      [id],
    ),
    // Tips and alerts whose own record names this incident's number.
    db.query<LinkRow>(
      `select 'tip' as kind, t.id as ref, coalesce(t.state_changed_at, t.received_at) as linked_at,
              'from the tip' as linked_by
       from tips t where upper(t.incident_number) = upper($1)
       union all
       select 'alert', a.id, a.updated_at, 'from the alert'
       from alerts a where upper(a.incident_number) = upper($1)
       order by linked_at, ref`,
      [found.number],
    ),
  ]);
  const linkedHere = new Set(links.rows.map((l) => `${l.kind}:${l.ref}`));
  return {
    ...incidentOf(found),
    statusChanges: changes.rows.map((r) => ({ at: iso(r.at), status: r.status })),
    narrative: narrative.rows.map((r) => ({ at: iso(r.at), author: r.author, text: r.text })),
    notes: notes.rows.map(noteOf),
    links: [
      ...links.rows.map(linkOf),
      ...named.rows.filter((l) => !linkedHere.has(`${l.kind}:${l.ref}`)).map(linkOf),
    ],
  };
}

interface NoteRow {
  id: string;
  at: Date | string;
  author_id: string | null;
  author_name: string;
  text: string;
}
const NOTE_COLUMNS = 'id, at, author_id, author_name, text';
const noteOf = (r: NoteRow): IncidentNote => ({
  id: r.id,
  at: iso(r.at),
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
});

export async function insertNote(
  tx: Queryable,
  note: {
    id: string;
    incidentId: string;
    at: Date;
    authorId: string | null;
    authorName: string;
    text: string;
  },
): Promise<IncidentNote> {
  const res = await tx.query<NoteRow>(
    `insert into incident_notes (id, incident_id, at, author_id, author_name, text)
     values ($1, $2, $3, $4, $5, $6) returning ${NOTE_COLUMNS}`,
    [note.id, note.incidentId, note.at.toISOString(), note.authorId, note.authorName, note.text],
  );
  return noteOf(res.rows[0]!);
}

interface LinkRow {
  kind: 'tip' | 'case' | 'alert';
  ref: string;
  linked_at: Date | string;
  linked_by: string;
}
const LINK_COLUMNS = 'kind, ref, linked_at, linked_by';
const linkOf = (r: LinkRow): IncidentLink => ({
  kind: r.kind,
  ref: r.ref,
  linkedAt: iso(r.linked_at),
  linkedBy: r.linked_by,
});

/** Links once: the link already there is answered as it is, with `created` false. */
export async function insertLink(
  tx: Queryable,
  link: { incidentId: string; kind: 'tip' | 'case'; ref: string; at: Date; by: string },
): Promise<{ link: IncidentLink; created: boolean }> {
  const res = await tx.query<LinkRow>(
    `insert into incident_links (incident_id, kind, ref, linked_at, linked_by)
     values ($1, $2, $3, $4, $5) on conflict do nothing returning ${LINK_COLUMNS}`,
    [link.incidentId, link.kind, link.ref, link.at.toISOString(), link.by],
  );
  if (res.rows[0]) return { link: linkOf(res.rows[0]), created: true };
  const kept = await tx.query<LinkRow>(
    `select ${LINK_COLUMNS} from incident_links where incident_id = $1 and kind = $2 and ref = $3`,
    [link.incidentId, link.kind, link.ref],
  );
  return { link: linkOf(kept.rows[0]!), created: false };
}

/** The camera views granted for an incident: those whose reason names its number. */
export function incidentCameraViews(db: Queryable, number: string): Promise<IncidentCameraView[]> {
  return cameraViewsNaming(db, number);
}
