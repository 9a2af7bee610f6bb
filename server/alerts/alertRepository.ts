import type { Queryable } from '../store/store';
import type {
  Alert,
  AlertDetails,
  AlertKind,
  AlertSeverity,
  Evidence,
} from '../../shared/domain/alerts';

/** The only code that reads or writes alerts and their evidence. */

/** An alert's own fields, as its sender last described them (plus what Watchfloor derived). */
export interface AlertState {
  readonly kind: AlertKind;
  readonly occurredAt: string;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly details: AlertDetails;
  readonly outsideJurisdiction: boolean;
  readonly late: boolean;
  readonly urgent: boolean;
  readonly sourceUpdatedAt: string | null;
}

export interface AlertRecord extends AlertState {
  readonly id: string;
  readonly integrationId: string;
  readonly integrationName: string;
  readonly senderId: string;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
  readonly acknowledged: Alert['acknowledged'];
  readonly incidentNumber: string | null;
}

interface AlertRow {
  id: string;
  integration_id: string;
  integration_name: string;
  sender_id: string;
  kind: AlertKind;
  occurred_at: Date | string;
  received_at: Date | string;
  updated_at: Date | string;
  lat: number | null;
  lng: number | null;
  severity: AlertSeverity;
  title: string;
  details: unknown;
  outside_jurisdiction: boolean;
  late: boolean;
  urgent: boolean;
  revision: number;
  source_updated_at: Date | string | null;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  acknowledged_by_id: string | null;
  acknowledgement_note: string | null;
  incident_number: string | null;
}

const COLUMNS = `a.id, a.integration_id, i.name as integration_name, a.sender_id, a.kind,
  a.occurred_at, a.received_at, a.updated_at, a.lat, a.lng, a.severity, a.title, a.details,
  a.outside_jurisdiction, a.late, a.urgent, a.revision, a.source_updated_at, a.acknowledged_at,
  a.acknowledged_by, a.acknowledged_by_id, a.acknowledgement_note, a.incident_number`;
const FROM = 'alerts a join integrations i on i.id = a.integration_id';

const iso = (v: Date | string) => new Date(v).toISOString();
const num = (v: number | string | null) => (v === null ? null : Number(v));
const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

function recordOf(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    integrationId: r.integration_id,
    integrationName: r.integration_name,
    senderId: r.sender_id,
    kind: r.kind,
    occurredAt: iso(r.occurred_at),
    receivedAt: iso(r.received_at),
    updatedAt: iso(r.updated_at),
    lat: num(r.lat),
    lng: num(r.lng),
    severity: r.severity,
    title: r.title,
    details: json(r.details) as AlertDetails,
    outsideJurisdiction: r.outside_jurisdiction,
    late: r.late,
    urgent: r.urgent,
    revision: Number(r.revision),
    sourceUpdatedAt: r.source_updated_at === null ? null : iso(r.source_updated_at),
    acknowledged:
      r.acknowledged_at === null
        ? null
        : {
            at: iso(r.acknowledged_at),
            by: r.acknowledged_by ?? '',
            byId: r.acknowledged_by_id,
            note: r.acknowledgement_note ?? '',
          },
    incidentNumber: r.incident_number,
  };
}

/** The alert as the console sees it. */
export function alertOf(r: AlertRecord, evidence: readonly Evidence[]): Alert {
  return {
    id: r.id,
    kind: r.kind,
    senderId: r.senderId,
    source: { integrationId: r.integrationId, name: r.integrationName },
    occurredAt: r.occurredAt,
    receivedAt: r.receivedAt,
    updatedAt: r.updatedAt,
    position: r.lat === null || r.lng === null ? null : { lat: r.lat, lon: r.lng },
    severity: r.severity,
    title: r.title,
    outsideJurisdiction: r.outsideJurisdiction,
    late: r.late,
    urgent: r.urgent,
    evidence: [...evidence],
    acknowledged: r.acknowledged,
    incidentNumber: r.incidentNumber,
    revision: r.revision,
    details: r.details,
  } as Alert;
}

/** The alert of this sender's id, locked until the transaction ends. */
export async function findAlertBySenderForUpdate(
  tx: Queryable,
  integrationId: string,
  senderId: string,
): Promise<AlertRecord | null> {
  const res = await tx.query<AlertRow>(
    `select ${COLUMNS} from ${FROM} where a.integration_id = $1 and a.sender_id = $2
     for update of a`,
    [integrationId, senderId],
  );
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

export async function findAlertForUpdate(tx: Queryable, id: string): Promise<AlertRecord | null> {
  const res = await tx.query<AlertRow>(
    `select ${COLUMNS} from ${FROM} where a.id = $1 for update of a`,
    [id],
  );
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

const stateParams = (s: AlertState) => [
  s.kind,
  s.occurredAt,
  s.lat,
  s.lng,
  s.severity,
  s.title,
  JSON.stringify(s.details),
  s.outsideJurisdiction,
  s.late,
  s.urgent,
  s.sourceUpdatedAt,
];

/**
 * Inserts the alert unless its sender's id is already there (another request committed it
 * first): answers null then, and the caller reads the row that won.
 */
export async function insertAlert(
  tx: Queryable,
  row: { id: string; integrationId: string; senderId: string; at: Date; state: AlertState },
): Promise<boolean> {
  const res = await tx.query(
    `insert into alerts (kind, occurred_at, lat, lng, severity, title, details,
       outside_jurisdiction, late, urgent, source_updated_at, id, integration_id, sender_id,
       received_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $15)
     on conflict (integration_id, sender_id) do nothing`,
    [...stateParams(row.state), row.id, row.integrationId, row.senderId, row.at.toISOString()],
  );
  return (res.rowCount ?? 0) > 0;
}

/** A revision from the sender: its fields replace the alert's, and the revision count grows. */
export async function reviseAlert(
  tx: Queryable,
  row: { id: string; at: Date; state: AlertState },
): Promise<void> {
  await tx.query(
    `update alerts set kind = $1, occurred_at = $2, lat = $3, lng = $4, severity = $5, title = $6,
       details = $7::jsonb, outside_jurisdiction = $8, late = $9, urgent = $10,
       source_updated_at = $11, revision = revision + 1, updated_at = $13
     where id = $12`,
    [...stateParams(row.state), row.id, row.at.toISOString()],
  );
}

/** Remembers the sender's newer time of a revision that changed nothing else. */
export async function advanceAlertSourceTime(
  tx: Queryable,
  id: string,
  time: string,
): Promise<void> {
  await tx.query(
    `update alerts set source_updated_at = $2
     where id = $1 and (source_updated_at is null or source_updated_at < $2)`,
    [id, time],
  );
}

export async function acknowledgeAlertRow(
  tx: Queryable,
  row: { id: string; at: Date; by: string; byId: string | null; note: string },
): Promise<void> {
  await tx.query(
    `update alerts set acknowledged_at = $2, acknowledged_by = $3, acknowledged_by_id = $4,
       acknowledgement_note = $5, updated_at = $2
     where id = $1`,
    [row.id, row.at.toISOString(), row.by, row.byId, row.note],
  );
}

export async function setAlertIncident(
  tx: Queryable,
  id: string,
  number: string | null,
  at: Date,
): Promise<void> {
  await tx.query('update alerts set incident_number = $2, updated_at = $3 where id = $1', [
    id,
    number,
    at.toISOString(),
  ]);
}

export async function touchAlert(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query('update alerts set updated_at = $2 where id = $1', [id, at.toISOString()]);
}

export async function getAlertRecord(db: Queryable, id: string): Promise<AlertRecord | null> {
  const res = await db.query<AlertRow>(`select ${COLUMNS} from ${FROM} where a.id = $1`, [id]);
  return res.rows[0] ? recordOf(res.rows[0]) : null;
}

/** Alerts received since a time, newest first, with their evidence. */
export async function listAlerts(db: Queryable, since: Date): Promise<Alert[]> {
  const res = await db.query<AlertRow>(
    `select ${COLUMNS} from ${FROM} where a.received_at >= $1
     order by a.received_at desc, a.id limit 2000`,
    [since.toISOString()],
  );
  const records = res.rows.map(recordOf);
  const evidence = await evidenceOf(
    db,
    records.map((r) => r.id),
  );
  return records.map((r) => alertOf(r, evidence.get(r.id) ?? []));
}

/** One alert as the console sees it. */
export async function getAlert(db: Queryable, id: string): Promise<Alert | null> {
  const record = await getAlertRecord(db, id);
  if (!record) return null;
  return alertOf(record, (await evidenceOf(db, [id])).get(id) ?? []);
}

// ----------------------------------------------------------------------------------------------
// Evidence

interface EvidenceRow {
  alert_id: string;
  n: number;
  kind: 'image';
  state: Evidence['state'];
  sha256: string | null;
  content_type: string | null;
  failure: string | null;
}

export async function evidenceOf(
  db: Queryable,
  alertIds: readonly string[],
): Promise<Map<string, Evidence[]>> {
  const out = new Map<string, Evidence[]>();
  if (alertIds.length === 0) return out;
  const res = await db.query<EvidenceRow>(
    `select alert_id, n, kind, state, sha256, content_type, failure from alert_evidence
     where alert_id = any($1::text[]) order by alert_id, n`,
    [alertIds],
  );
  for (const r of res.rows) {
    const list = out.get(r.alert_id) ?? [];
    list.push({
      n: Number(r.n),
      kind: r.kind,
      state: r.state,
      sha256: r.sha256,
      contentType: r.content_type,
      failure: r.failure,
    });
    out.set(r.alert_id, list);
  }
  return out;
}

/** Adds an image to fetch, unless the alert already has one from this address. */
export async function addEvidence(
  tx: Queryable,
  alertId: string,
  url: string,
  at: Date,
): Promise<boolean> {
  const res = await tx.query(
    `insert into alert_evidence (alert_id, n, kind, url, state, next_attempt_at)
     select $1, coalesce(max(n), 0) + 1, 'image', $2, 'pending', $3
     from alert_evidence where alert_id = $1
     having not exists (select 1 from alert_evidence where alert_id = $1 and url = $2)`,
    [alertId, url, at.toISOString()],
  );
  return (res.rowCount ?? 0) > 0;
}

export interface DueEvidence {
  readonly alertId: string;
  readonly n: number;
  readonly url: string;
  readonly integrationId: string;
  /** Counting this one. */
  readonly attempts: number;
}

/** Takes up to `limit` due fetches, leasing them so that no other run takes them meanwhile. */
export async function claimDueEvidence(
  db: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueEvidence[]> {
  const res = await db.query<{
    alert_id: string;
    n: number;
    url: string;
    integration_id: string;
    attempts: number;
  }>(
    `update alert_evidence e set attempts = e.attempts + 1, lease_until = $2
     from alerts a
     where a.id = e.alert_id and (e.alert_id, e.n) in (
       select alert_id, n from alert_evidence
       where state = 'pending' and next_attempt_at <= $1
         and (lease_until is null or lease_until <= $1)
       order by next_attempt_at limit $3
     )
     returning e.alert_id, e.n, e.url, a.integration_id, e.attempts`,
    [now.toISOString(), leaseUntil.toISOString(), limit],
  );
  return res.rows.map((r) => ({
    alertId: r.alert_id,
    n: Number(r.n),
    url: r.url,
    integrationId: r.integration_id,
    attempts: Number(r.attempts),
  }));
}

export async function evidenceStored(
  tx: Queryable,
  alertId: string,
  n: number,
  stored: { sha256: string; contentType: string },
): Promise<void> {
  await tx.query(
    `update alert_evidence set state = 'stored', sha256 = $3, content_type = $4, failure = null,
       next_attempt_at = null, lease_until = null
     where alert_id = $1 and n = $2`,
    [alertId, n, stored.sha256, stored.contentType],
  );
}

/** A failed fetch: tried again at `retryAt`, or failed for good when that is null. */
export async function evidenceFailed(
  tx: Queryable,
  alertId: string,
  n: number,
  failure: string,
  retryAt: Date | null,
): Promise<void> {
  await tx.query(
    `update alert_evidence set state = $3, failure = $4, next_attempt_at = $5, lease_until = null
     where alert_id = $1 and n = $2`,
    [alertId, n, retryAt ? 'pending' : 'failed', failure, retryAt?.toISOString() ?? null],
  );
}

/**
 * Whether the user opened the alert's evidence (an `alert.evidence.view` audit row) since a
 * time: the audited opening is the grant (alertChanges.ts, openAlertEvidence).
 */
export async function evidenceOpenedSince(
  db: Queryable,
  alertId: string,
  userId: string,
  since: Date,
): Promise<boolean> {
  const res = await db.query(
    `select 1 from audit_log
     where target_type = 'alert' and target_id = $1 and action = 'alert.evidence.view'
       and actor_id = $2 and outcome = 'success' and at > $3
     limit 1`,
    [alertId, userId, since.toISOString()],
  );
  return res.rows.length > 0;
}

/** One stored image of an alert's evidence: its hash in the media store and its type. */
export async function storedEvidence(
  db: Queryable,
  alertId: string,
  n: number,
): Promise<{ sha256: string; contentType: string } | null> {
  const res = await db.query<{ sha256: string | null; content_type: string | null }>(
    `select sha256, content_type from alert_evidence
     where alert_id = $1 and n = $2 and state = 'stored'`,
    [alertId, n],
  );
  const r = res.rows[0];
  return r?.sha256 && r.content_type ? { sha256: r.sha256, contentType: r.content_type } : null;
}
