import type { Queryable } from '../store/store';
import type {
  CustodyAction,
  CustodyEntry,
  EvidenceConsent,
  EvidenceExport,
  EvidenceFile,
  EvidenceLink,
} from '../../shared/api/evidence';
import { GENESIS_HASH, hashCustodyEntry } from './custodyChain';

/** Serialises appends to one case's chain of custody (an advisory lock per case number). */
const CUSTODY_LOCK_KEY = 740_017;

const iso = (v: Date | string): string => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

interface FileRow {
  id: string;
  case_number: string;
  pull_id: string | null;
  kind: EvidenceFile['kind'];
  parent_id: string | null;
  camera_id: string;
  camera_name: string;
  consent: unknown;
  range_start: Date | string;
  range_end: Date | string;
  source: string;
  sha256: string;
  size_bytes: number | string;
  content_type: string;
  fetched_by: string;
  fetched_at: Date | string;
}

const FILE_COLUMNS = `id, case_number, pull_id, kind, parent_id, camera_id, camera_name, consent,
  range_start, range_end, source, sha256, size_bytes, content_type, fetched_by, fetched_at`;

function fileOf(r: FileRow): EvidenceFile {
  return {
    id: r.id,
    caseNumber: r.case_number,
    pullId: r.pull_id,
    kind: r.kind,
    parentId: r.parent_id,
    cameraId: r.camera_id,
    cameraName: r.camera_name,
    consent: json<EvidenceConsent>(r.consent),
    start: iso(r.range_start),
    end: iso(r.range_end),
    source: r.source,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    contentType: r.content_type,
    fetchedBy: r.fetched_by,
    fetchedAt: iso(r.fetched_at),
  };
}

export async function insertEvidenceFile(tx: Queryable, f: EvidenceFile): Promise<void> {
  await tx.query(
    `insert into evidence_files (${FILE_COLUMNS})
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      f.id,
      f.caseNumber,
      f.pullId,
      f.kind,
      f.parentId,
      f.cameraId,
      f.cameraName,
      JSON.stringify(f.consent),
      f.start,
      f.end,
      f.source,
      f.sha256,
      f.sizeBytes,
      f.contentType,
      f.fetchedBy,
      f.fetchedAt,
    ],
  );
}

export async function findEvidenceFile(db: Queryable, id: string): Promise<EvidenceFile | null> {
  const res = await db.query<FileRow>(`select ${FILE_COLUMNS} from evidence_files where id = $1`, [
    id,
  ]);
  return res.rows[0] ? fileOf(res.rows[0]) : null;
}

/** A case's files (one pull's only, when given), oldest first, a video before its stills. */
export async function listEvidenceFiles(
  db: Queryable,
  caseNumber: string,
  pullId?: string,
): Promise<EvidenceFile[]> {
  const res = await db.query<FileRow>(
    `select ${FILE_COLUMNS} from evidence_files
     where case_number = $1 and ($2::text is null or pull_id = $2)
     order by fetched_at, kind = 'still', id`,
    [caseNumber, pullId ?? null],
  );
  return res.rows.map(fileOf);
}

interface CustodyRow {
  case_number: string;
  seq: number;
  at: Date | string;
  action: CustodyAction;
  actor: string;
  file_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

function custodyOf(r: CustodyRow): CustodyEntry {
  return {
    caseNumber: r.case_number,
    seq: Number(r.seq),
    at: iso(r.at),
    action: r.action,
    actor: r.actor,
    fileId: r.file_id,
    details: json<Record<string, unknown>>(r.details),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface CustodyStep {
  readonly action: CustodyAction;
  readonly actor: string;
  readonly fileId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Appends entries to a case's chain of custody, inside the caller's transaction. The case's
 * lock makes concurrent appends take turns, so two never claim the same number.
 */
export async function appendCustody(
  tx: Queryable,
  caseNumber: string,
  at: Date,
  steps: readonly CustodyStep[],
): Promise<CustodyEntry[]> {
  await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [CUSTODY_LOCK_KEY, caseNumber]);
  const head = await tx.query<{ seq: number; hash: string }>(
    'select seq, hash from evidence_custody where case_number = $1 order by seq desc limit 1',
    [caseNumber],
  );
  let seq = head.rows[0] ? Number(head.rows[0].seq) : 0;
  let prevHash = head.rows[0]?.hash ?? GENESIS_HASH;
  const written: CustodyEntry[] = [];
  for (const step of steps) {
    seq += 1;
    const body = {
      caseNumber,
      seq,
      at: at.toISOString(),
      action: step.action,
      actor: step.actor,
      fileId: step.fileId,
      // Through JSON, as the database will hand it back, so the hash is of what is stored.
      details: JSON.parse(JSON.stringify(step.details)) as Record<string, unknown>,
      prevHash,
    };
    const entry: CustodyEntry = { ...body, hash: hashCustodyEntry(body) };
    await tx.query(
      `insert into evidence_custody (case_number, seq, at, action, actor, file_id, details,
         prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        caseNumber,
        seq,
        entry.at,
        entry.action,
        entry.actor,
        entry.fileId,
        JSON.stringify(entry.details),
        entry.prevHash,
        entry.hash,
      ],
    );
    written.push(entry);
    prevHash = entry.hash;
  }
  return written;
}

export async function listCustody(db: Queryable, caseNumber: string): Promise<CustodyEntry[]> {
  const res = await db.query<CustodyRow>(
    `select case_number, seq, at, action, actor, file_id, details, prev_hash, hash
     from evidence_custody where case_number = $1 order by seq`,
    [caseNumber],
  );
  return res.rows.map(custodyOf);
}

interface ExportRow {
  id: string;
  case_number: string;
  pull_id: string | null;
  dir: string;
  manifest_sha256: string;
  files: number;
  size_bytes: number | string;
  key_fingerprint: string;
  created_by: string;
  created_at: Date | string;
}

const exportOf = (r: ExportRow): EvidenceExport => ({
  id: r.id,
  caseNumber: r.case_number,
  pullId: r.pull_id,
  dir: r.dir,
  manifestSha256: r.manifest_sha256,
  files: Number(r.files),
  sizeBytes: Number(r.size_bytes),
  keyFingerprint: r.key_fingerprint,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

export async function insertEvidenceExport(tx: Queryable, e: EvidenceExport): Promise<void> {
  await tx.query(
    `insert into evidence_exports (id, case_number, pull_id, dir, manifest_sha256, files,
       size_bytes, key_fingerprint, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.id,
      e.caseNumber,
      e.pullId,
      e.dir,
      e.manifestSha256,
      e.files,
      e.sizeBytes,
      e.keyFingerprint,
      e.createdBy,
      e.createdAt,
    ],
  );
}

export async function listEvidenceExports(
  db: Queryable,
  caseNumber: string,
): Promise<EvidenceExport[]> {
  const res = await db.query<ExportRow>(
    `select id, case_number, pull_id, dir, manifest_sha256, files, size_bytes, key_fingerprint,
       created_by, created_at from evidence_exports where case_number = $1
     order by created_at, id`,
    [caseNumber],
  );
  return res.rows.map(exportOf);
}

interface LinkRow {
  id: string;
  file_id: string;
  case_number: string;
  officer: string;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  opened_count: number;
  last_opened_at: Date | string | null;
}

const LINK_COLUMNS = `id, file_id, case_number, officer, created_by, created_at, expires_at,
  revoked_at, opened_count, last_opened_at`;

const linkOf = (r: LinkRow): EvidenceLink => ({
  id: r.id,
  fileId: r.file_id,
  caseNumber: r.case_number,
  officer: r.officer,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  revokedAt: isoOrNull(r.revoked_at),
  openedCount: Number(r.opened_count),
  lastOpenedAt: isoOrNull(r.last_opened_at),
});

export async function insertEvidenceLink(
  tx: Queryable,
  link: EvidenceLink,
  tokenSha256: string,
): Promise<void> {
  await tx.query(
    `insert into evidence_links (id, token_sha256, file_id, case_number, officer, created_by,
       created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      link.id,
      tokenSha256,
      link.fileId,
      link.caseNumber,
      link.officer,
      link.createdBy,
      link.createdAt,
      link.expiresAt,
    ],
  );
}

export async function findLinkById(db: Queryable, id: string): Promise<EvidenceLink | null> {
  const res = await db.query<LinkRow>(`select ${LINK_COLUMNS} from evidence_links where id = $1`, [
    id,
  ]);
  return res.rows[0] ? linkOf(res.rows[0]) : null;
}

export async function findLinkByToken(
  db: Queryable,
  tokenSha256: string,
): Promise<EvidenceLink | null> {
  const res = await db.query<LinkRow>(
    `select ${LINK_COLUMNS} from evidence_links where token_sha256 = $1`,
    [tokenSha256],
  );
  return res.rows[0] ? linkOf(res.rows[0]) : null;
}

export async function revokeLinkRow(tx: Queryable, id: string, at: Date): Promise<EvidenceLink> {
  const res = await tx.query<LinkRow>(
    `update evidence_links set revoked_at = $2 where id = $1 returning ${LINK_COLUMNS}`,
    [id, at.toISOString()],
  );
  return linkOf(res.rows[0]!);
}

export async function noteLinkOpened(tx: Queryable, id: string, at: Date): Promise<void> {
  await tx.query(
    `update evidence_links set opened_count = opened_count + 1, last_opened_at = $2
     where id = $1`,
    [id, at.toISOString()],
  );
}

export async function listEvidenceLinks(
  db: Queryable,
  caseNumber: string,
): Promise<EvidenceLink[]> {
  const res = await db.query<LinkRow>(
    `select ${LINK_COLUMNS} from evidence_links where case_number = $1 order by created_at, id`,
    [caseNumber],
  );
  return res.rows.map(linkOf);
}
