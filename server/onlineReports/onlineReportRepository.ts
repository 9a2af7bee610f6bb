import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/store';
import type { OnlineReport } from '../../shared/api/onlineReports';
import type { LocationCheck, ReportOutcome, ReportState } from '../../shared/domain/onlineReports';

/** The online reports' SQL (docs/online-reports.md). */

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A link token (emailed, never stored) and the hash that is stored. */
export function newStatusToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** A temporary number: short enough to read out on the phone, random so none can be guessed. */
export function newTempNumber(at: Date): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(6);
  const tail = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `T${String(at.getUTCFullYear()).slice(2)}-${tail}`;
}

/** What the reporter wrote, kept as one document. */
export interface ReportDetails {
  readonly occurredUntil: string | null;
  readonly narrative: string;
  readonly suspect: string | null;
  readonly property: string | null;
  readonly vehicle: string | null;
  readonly supplementsCase: string | null;
  readonly reporterPhone: string | null;
  readonly reporterAddress: string | null;
  readonly dateOfBirth: string;
}

interface ReportRow {
  id: string;
  temp_number: string;
  category: string;
  state: ReportState;
  outcome: ReportOutcome | null;
  submitted_at: string | Date;
  due_at: string | Date;
  decided_at: string | Date | null;
  decided_by: string | null;
  case_number: string | null;
  assigned_to: string | null;
  assigned_name: string | null;
  reporter_name: string;
  reporter_email: string;
  occurred_at: string | Date;
  lat: number | null;
  lng: number | null;
  address: string | null;
  location_check: LocationCheck;
  details: ReportDetails | string;
  info_request: string | null;
  rejection_reason: string | null;
}

const iso = (v: string | Date) => new Date(v).toISOString();

export interface NewReportRow {
  readonly id: string;
  readonly tempNumber: string;
  readonly formTokenHash: string;
  readonly category: string;
  readonly dueAt: Date;
  readonly reporterName: string;
  readonly reporterEmail: string;
  readonly occurredAt: string;
  readonly lat: number | null;
  readonly lng: number | null;
  readonly address: string | null;
  readonly locationCheck: LocationCheck;
  readonly details: ReportDetails;
}

/**
 * Keeps a report unless one was already made from the same form (a double post): answers
 * whether this call made it.
 */
export async function insertReport(tx: Queryable, at: Date, r: NewReportRow): Promise<boolean> {
  const res = await tx.query(
    `insert into online_reports (id, temp_number, form_token_hash, category, state, submitted_at,
       due_at, reporter_name, reporter_email, occurred_at, lat, lng, address, location_check,
       details, updated_at)
     values ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $5)
     on conflict (form_token_hash) do nothing`,
    [
      r.id,
      r.tempNumber,
      r.formTokenHash,
      r.category,
      at.toISOString(),
      r.dueAt.toISOString(),
      r.reporterName,
      r.reporterEmail,
      r.occurredAt,
      r.lat,
      r.lng,
      r.address,
      r.locationCheck,
      JSON.stringify(r.details),
    ],
  );
  return res.rowCount === 1;
}

export async function reportIdByFormToken(db: Queryable, hash: string): Promise<string | null> {
  const res = await db.query<{ id: string }>(
    'select id from online_reports where form_token_hash = $1',
    [hash],
  );
  return res.rows[0]?.id ?? null;
}

export async function insertFile(
  tx: Queryable,
  reportId: string,
  f: { n: number; sha256: string; contentType: string; fileName: string; size: number },
): Promise<void> {
  await tx.query(
    `insert into online_report_files (report_id, n, sha256, content_type, file_name, size)
     values ($1, $2, $3, $4, $5, $6)`,
    [reportId, f.n, f.sha256, f.contentType, f.fileName, f.size],
  );
}

export async function insertStatusLink(
  tx: Queryable,
  at: Date,
  reportId: string,
  hash: string,
  expiresAt: Date,
): Promise<void> {
  await tx.query(
    `insert into online_report_links (token_hash, report_id, created_at, expires_at)
     values ($1, $2, $3, $4)`,
    [hash, reportId, at.toISOString(), expiresAt.toISOString()],
  );
}

/** The report a link opens (null: unknown or expired), locked when `lock`. */
export async function reportIdByLink(
  db: Queryable,
  token: string,
  now: Date,
  lock = false,
): Promise<string | null> {
  const res = await db.query<{ id: string }>(
    `select r.id from online_report_links l join online_reports r on r.id = l.report_id
     where l.token_hash = $1 and l.expires_at > $2 ${lock ? 'for update of r' : ''}`,
    [hashToken(token), now.toISOString()],
  );
  return res.rows[0]?.id ?? null;
}

const SELECT = `select r.*, u.display_name as assigned_name from online_reports r
  left join users u on u.id = r.assigned_to`;

export async function findReport(
  db: Queryable,
  id: string,
  categoryLabel: (key: string) => string,
  lock = false,
): Promise<OnlineReport | null> {
  const res = await db.query<ReportRow>(
    `${SELECT} where r.id = $1 ${lock ? 'for update of r' : ''}`,
    [id],
  );
  const row = res.rows[0];
  return row ? (await withParts(db, [row], categoryLabel))[0]! : null;
}

export async function listReports(
  db: Queryable,
  q: { state: 'open' | 'decided' | 'all'; limit: number },
  categoryLabel: (key: string) => string,
): Promise<OnlineReport[]> {
  const where =
    q.state === 'open'
      ? 'r.outcome is null'
      : q.state === 'decided'
        ? 'r.outcome is not null'
        : 'true';
  const order = q.state === 'open' ? 'r.due_at, r.id' : 'r.submitted_at desc, r.id';
  const res = await db.query<ReportRow>(`${SELECT} where ${where} order by ${order} limit $1`, [
    q.limit,
  ]);
  return withParts(db, res.rows, categoryLabel);
}

async function withParts(
  db: Queryable,
  rows: readonly ReportRow[],
  categoryLabel: (key: string) => string,
): Promise<OnlineReport[]> {
  const ids = rows.map((r) => r.id);
  const additions = await db.query<{
    report_id: string;
    n: number;
    text: string;
    added_at: string | Date;
  }>(
    'select report_id, n, text, added_at from online_report_additions where report_id = any($1::text[]) order by n',
    [ids],
  );
  const files = await db.query<{
    report_id: string;
    n: number;
    file_name: string;
    content_type: string;
    size: number;
  }>(
    'select report_id, n, file_name, content_type, size from online_report_files where report_id = any($1::text[]) order by n',
    [ids],
  );
  return rows.map((r) => {
    const d: ReportDetails = typeof r.details === 'string' ? JSON.parse(r.details) : r.details;
    return {
      id: r.id,
      tempNumber: r.temp_number,
      category: r.category,
      categoryLabel: categoryLabel(r.category),
      state: r.state,
      outcome: r.outcome,
      submittedAt: iso(r.submitted_at),
      dueAt: iso(r.due_at),
      decidedAt: r.decided_at === null ? null : iso(r.decided_at),
      decidedBy: r.decided_by,
      caseNumber: r.case_number,
      assignedTo:
        r.assigned_to === null
          ? null
          : { id: r.assigned_to, name: r.assigned_name ?? r.assigned_to },
      occurredAt: iso(r.occurred_at),
      occurredUntil: d.occurredUntil,
      lat: r.lat === null ? null : Number(r.lat),
      lng: r.lng === null ? null : Number(r.lng),
      address: r.address,
      locationCheck: r.location_check,
      narrative: d.narrative,
      suspect: d.suspect,
      property: d.property,
      vehicle: d.vehicle,
      supplementsCase: d.supplementsCase,
      reporter: {
        name: r.reporter_name,
        email: r.reporter_email,
        phone: d.reporterPhone,
        address: d.reporterAddress,
        dateOfBirth: d.dateOfBirth,
      },
      infoRequest: r.info_request,
      rejectionReason: r.rejection_reason,
      additions: additions.rows
        .filter((a) => a.report_id === r.id)
        .map((a) => ({ n: Number(a.n), text: a.text, addedAt: iso(a.added_at) })),
      files: files.rows
        .filter((f) => f.report_id === r.id)
        .map((f) => ({
          n: Number(f.n),
          fileName: f.file_name,
          contentType: f.content_type,
          size: Number(f.size),
        })),
    };
  });
}

/** Moves a report to a new state, with the columns that state sets. */
export async function setReportState(
  tx: Queryable,
  id: string,
  at: Date,
  change: {
    state: ReportState;
    outcome?: ReportOutcome;
    decidedBy?: string;
    caseNumber?: string;
    assignedTo?: string;
    infoRequest?: string | null;
    rejectionReason?: string;
  },
): Promise<void> {
  await tx.query(
    `update online_reports set state = $2, updated_at = $3,
       outcome = coalesce($4, outcome),
       decided_at = case when $4::text is null then decided_at else $3 end,
       decided_by = coalesce($5, decided_by),
       case_number = coalesce($6, case_number),
       assigned_to = coalesce($7, assigned_to),
       info_request = case when $8::boolean then $9 else info_request end,
       rejection_reason = coalesce($10, rejection_reason)
     where id = $1`,
    [
      id,
      change.state,
      at.toISOString(),
      change.outcome ?? null,
      change.decidedBy ?? null,
      change.caseNumber ?? null,
      change.assignedTo ?? null,
      change.infoRequest !== undefined,
      change.infoRequest ?? null,
      change.rejectionReason ?? null,
    ],
  );
}

export async function insertAddition(
  tx: Queryable,
  reportId: string,
  at: Date,
  text: string,
): Promise<number> {
  const res = await tx.query<{ n: number }>(
    `insert into online_report_additions (report_id, n, text, added_at)
     select $1, coalesce(max(n), 0) + 1, $2, $3 from online_report_additions where report_id = $1
     returning n`,
    [reportId, text, at.toISOString()],
  );
  return Number(res.rows[0]!.n);
}

// ----------------------------------------------------------------------------------------------
// The reporter's files, for reviewers

/** One stored file of a report: its hash in the media store, its type and the reporter's name. */
export async function reportFile(
  db: Queryable,
  reportId: string,
  n: number,
): Promise<{ sha256: string; contentType: string; fileName: string } | null> {
  const res = await db.query<{ sha256: string; content_type: string; file_name: string }>(
    'select sha256, content_type, file_name from online_report_files where report_id = $1 and n = $2',
    [reportId, n],
  );
  const r = res.rows[0];
  return r ? { sha256: r.sha256, contentType: r.content_type, fileName: r.file_name } : null;
}

/**
 * Whether the user opened the report's files (an `onlineReport.files.view` audit row) since a
 * time: the audited opening is the grant (onlineReportChanges.ts, openReportFiles).
 */
export async function filesOpenedSince(
  db: Queryable,
  reportId: string,
  userId: string,
  since: Date,
): Promise<boolean> {
  const res = await db.query(
    `select 1 from audit_log
     where target_type = 'online_report' and target_id = $1 and action = 'onlineReport.files.view'
       and actor_id = $2 and outcome = 'success' and at > $3
     limit 1`,
    [reportId, userId, since.toISOString()],
  );
  return res.rows.length > 0;
}
