import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/store';
import { PUBLIC_CAMERA_COLUMNS, type CameraRow } from '../cameras/cameraRows';
import type { PolicyKeeper } from '../../shared/domain/cameraAdmin';

/**
 * The SQL of camera owners on the portal (docs/owners.md): their accounts, emailed sign-in links,
 * sessions, alarms, their cameras and who viewed them. Tokens are random and kept only as their
 * SHA-256, like the registrations' links.
 */

export function newOwnerToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOwnerToken(token) };
}

export function hashOwnerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const iso = (d: Date) => d.toISOString();

export interface OwnerAccountRow {
  readonly id: string;
  readonly email: string;
  readonly totp_secret: string | null;
  readonly totp_pending_secret: string | null;
  readonly totp_last_step: number | string | null;
}

export async function findAccountByEmail(
  db: Queryable,
  email: string,
): Promise<OwnerAccountRow | null> {
  const res = await db.query<OwnerAccountRow>('select * from owner_accounts where email = $1', [
    email.toLowerCase(),
  ]);
  return res.rows[0] ?? null;
}

export async function lockAccount(tx: Queryable, id: string): Promise<OwnerAccountRow | null> {
  const res = await tx.query<OwnerAccountRow>(
    'select * from owner_accounts where id = $1 for update',
    [id],
  );
  return res.rows[0] ?? null;
}

/** The account of an address, made on its first sign-in. */
export async function ensureAccount(
  tx: Queryable,
  at: Date,
  id: string,
  email: string,
): Promise<OwnerAccountRow> {
  await tx.query(
    `insert into owner_accounts (id, email, created_at, updated_at) values ($1, $2, $3, $3)
     on conflict (email) do nothing`,
    [id, email.toLowerCase(), iso(at)],
  );
  return (await findAccountByEmail(tx, email))!;
}

/** Whether any active integrated camera names this address as its owner's. */
export async function ownsCameras(db: Queryable, email: string): Promise<boolean> {
  const res = await db.query(
    `select 1 from cameras c join camera_owner_contacts o on o.camera_id = c.id
     where c.kind = 'integrated' and c.status = 'active' and lower(o.email) = $1 limit 1`,
    [email.toLowerCase()],
  );
  return res.rows.length > 0;
}

export interface OwnedCameraRow extends CameraRow {
  readonly policy_keeper: PolicyKeeper;
}

/** The owner's active integrated cameras, by the address on each camera's owner contact. */
export async function camerasOfOwner(db: Queryable, email: string): Promise<OwnedCameraRow[]> {
  const cols = PUBLIC_CAMERA_COLUMNS.split(',')
    .map((c) => `c.${c.trim()}`)
    .join(', ');
  const res = await db.query<OwnedCameraRow>(
    `select ${cols}, c.policy_keeper from cameras c
     join camera_owner_contacts o on o.camera_id = c.id
     where c.kind = 'integrated' and c.status = 'active' and lower(o.email) = $1
     order by c.name, c.id`,
    [email.toLowerCase()],
  );
  return res.rows;
}

/** One of the owner's cameras, locked for a change; null when it is not theirs. */
export async function lockOwnedCamera(
  tx: Queryable,
  email: string,
  cameraId: string,
): Promise<OwnedCameraRow | null> {
  const cols = PUBLIC_CAMERA_COLUMNS.split(',')
    .map((c) => `c.${c.trim()}`)
    .join(', ');
  const res = await tx.query<OwnedCameraRow>(
    `select ${cols}, c.policy_keeper from cameras c
     join camera_owner_contacts o on o.camera_id = c.id
     where c.id = $2 and c.kind = 'integrated' and c.status = 'active' and lower(o.email) = $1
     for update of c`,
    [email.toLowerCase(), cameraId],
  );
  return res.rows[0] ?? null;
}

// ---- Links ---------------------------------------------------------------------------------

export async function insertLink(
  tx: Queryable,
  at: Date,
  hash: string,
  email: string,
  expiresAt: Date,
): Promise<void> {
  await tx.query(
    `insert into owner_links (token_hash, email, created_at, expires_at) values ($1, $2, $3, $4)`,
    [hash, email.toLowerCase(), iso(at), iso(expiresAt)],
  );
}

/** The address a link signs in, if it is unused and unexpired (no lock: for showing the page). */
export async function findUsableLink(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ email: string } | null> {
  const res = await db.query<{ email: string }>(
    `select email from owner_links where token_hash = $1 and used_at is null and expires_at > $2`,
    [hashOwnerToken(token), iso(now)],
  );
  return res.rows[0] ?? null;
}

/** Uses a link up, once: the second of two posts finds nothing. */
export async function useLink(tx: Queryable, token: string, at: Date): Promise<string | null> {
  const res = await tx.query<{ email: string }>(
    `update owner_links set used_at = $2
     where token_hash = $1 and used_at is null and expires_at > $2 returning email`,
    [hashOwnerToken(token), iso(at)],
  );
  return res.rows[0]?.email ?? null;
}

/** Links that can no longer be used are of no further interest. */
export async function deleteDeadLinks(db: Queryable, before: Date): Promise<void> {
  await db.query('delete from owner_links where expires_at < $1', [iso(before)]);
}

// ---- Sessions ------------------------------------------------------------------------------

export interface OwnerSessionRow {
  readonly token_hash: string;
  readonly account_id: string;
  readonly stage: 'code' | 'full';
  readonly failed_codes: number;
  readonly created_at: Date | string;
  readonly last_seen_at: Date | string;
  readonly expires_at: Date | string;
  readonly ended_at: Date | string | null;
  readonly email: string;
  readonly has_totp: boolean;
}

export async function insertSession(
  tx: Queryable,
  at: Date,
  hash: string,
  accountId: string,
  stage: 'code' | 'full',
  expiresAt: Date,
): Promise<void> {
  await tx.query(
    `insert into owner_sessions (token_hash, account_id, stage, created_at, last_seen_at,
       expires_at) values ($1, $2, $3, $4, $4, $5)`,
    [hash, accountId, stage, iso(at), iso(expiresAt)],
  );
}

/** A session that has not been ended, with its owner's address (expiry is the caller's call). */
export async function findSession(db: Queryable, hash: string): Promise<OwnerSessionRow | null> {
  const res = await db.query<OwnerSessionRow>(
    `select s.*, a.email, (a.totp_secret is not null) as has_totp
     from owner_sessions s join owner_accounts a on a.id = s.account_id
     where s.token_hash = $1 and s.ended_at is null`,
    [hash],
  );
  return res.rows[0] ?? null;
}

export async function touchSession(db: Queryable, hash: string, at: Date): Promise<void> {
  await db.query('update owner_sessions set last_seen_at = $2 where token_hash = $1', [
    hash,
    iso(at),
  ]);
}

export async function endSession(db: Queryable, hash: string, at: Date): Promise<void> {
  await db.query(
    'update owner_sessions set ended_at = $2 where token_hash = $1 and ended_at is null',
    [hash, iso(at)],
  );
}

/** One more wrong authenticator code in a session; answers how many it has sent. */
export async function countWrongCode(tx: Queryable, hash: string): Promise<number> {
  const res = await tx.query<{ failed_codes: number }>(
    `update owner_sessions set failed_codes = failed_codes + 1 where token_hash = $1
     returning failed_codes`,
    [hash],
  );
  return Number(res.rows[0]?.failed_codes ?? Number.POSITIVE_INFINITY);
}

/**
 * Ends the account's sessions still waiting for an authenticator code: once the app is removed
 * there is no code to check, and the owner asks for a new link. Answers how many ended.
 */
export async function endSessionsAwaitingCode(
  tx: Queryable,
  accountId: string,
  at: Date,
): Promise<number> {
  const res = await tx.query(
    `update owner_sessions set ended_at = $2
     where account_id = $1 and stage = 'code' and ended_at is null`,
    [accountId, iso(at)],
  );
  return res.rowCount ?? 0;
}

/** Ends every open session of the account; answers how many ended. */
export async function endAllSessions(tx: Queryable, accountId: string, at: Date): Promise<number> {
  const res = await tx.query(
    'update owner_sessions set ended_at = $2 where account_id = $1 and ended_at is null',
    [accountId, iso(at)],
  );
  return res.rowCount ?? 0;
}

// ---- Authenticator -------------------------------------------------------------------------

/** Forgets the account's authenticator: its secret, one being added, and the last code used. */
export async function removeTotp(tx: Queryable, accountId: string, at: Date): Promise<void> {
  await tx.query(
    `update owner_accounts set totp_secret = null, totp_pending_secret = null,
       totp_last_step = null, updated_at = $2 where id = $1`,
    [accountId, iso(at)],
  );
}

// ---- Alarms --------------------------------------------------------------------------------

export interface OwnerAlarmRow {
  readonly id: string;
  readonly account_id: string;
  readonly raised_at: Date | string;
  readonly ends_at: Date | string;
  readonly alert_id: string | null;
}

/** The owner's alarm in force, if any (one at a time). */
export async function openAlarmOf(db: Queryable, accountId: string): Promise<OwnerAlarmRow | null> {
  const res = await db.query<OwnerAlarmRow>(
    `select id, account_id, raised_at, ends_at, alert_id from owner_alarms
     where account_id = $1 and ended_at is null order by raised_at desc limit 1`,
    [accountId],
  );
  return res.rows[0] ?? null;
}

/** An alarm not yet ended, locked for ending it; null once it has ended. */
export async function lockOpenAlarm(tx: Queryable, id: string): Promise<OwnerAlarmRow | null> {
  const res = await tx.query<OwnerAlarmRow>(
    `select id, account_id, raised_at, ends_at, alert_id from owner_alarms
     where id = $1 and ended_at is null for update`,
    [id],
  );
  return res.rows[0] ?? null;
}

/** Alarms whose time is up at `now`. */
export async function dueAlarms(db: Queryable, now: Date): Promise<OwnerAlarmRow[]> {
  const res = await db.query<OwnerAlarmRow>(
    `select id, account_id, raised_at, ends_at, alert_id from owner_alarms
     where ended_at is null and ends_at <= $1 order by ends_at, id`,
    [iso(now)],
  );
  return res.rows;
}

/** The policy a camera returns to when its owner's alarm ends; null when no alarm holds it. */
export async function keptPolicy(
  db: Queryable,
  cameraId: string,
): Promise<{ alarmId: string; policy: unknown } | null> {
  const res = await db.query<{ alarm_id: string; normal_policy: unknown }>(
    `select c.alarm_id, c.normal_policy from owner_alarm_cameras c
     join owner_alarms a on a.id = c.alarm_id
     where c.camera_id = $1 and a.ended_at is null`,
    [cameraId],
  );
  const r = res.rows[0];
  return r ? { alarmId: r.alarm_id, policy: r.normal_policy } : null;
}

// ---- Views ---------------------------------------------------------------------------------

export interface OwnerViewRow {
  readonly at: Date | string;
  readonly camera_id: string;
  readonly camera_name: string | null;
  readonly viewer: string | null;
  readonly reason: string | null;
  readonly reference: string | null;
  readonly access: string | null;
  readonly issued_at: Date | string | null;
  readonly expires_at: Date | string | null;
  readonly revoked_at: Date | string | null;
}

/** At most this many views are listed, the newest. */
export const VIEWS_LISTED = 200;

/**
 * The views granted on these cameras, newest first: the audit trail's `stream.grant` records
 * (who, when, why) with their grant's end (how long), as cameraViews.ts reads them for a case.
 */
export async function viewsOfCameras(
  db: Queryable,
  cameraIds: readonly string[],
): Promise<OwnerViewRow[]> {
  if (cameraIds.length === 0) return [];
  const res = await db.query<OwnerViewRow>(
    `select a.at, a.target_id as camera_id, c.name as camera_name, a.actor_name as viewer,
       a.details->'reason'->>'code' as reason, a.details->'reason'->>'reference' as reference,
       a.details->>'access' as access, g.issued_at, g.expires_at, g.revoked_at
     from audit_log a
     left join cameras c on c.id = a.target_id
     left join camera_grants g on g.id = a.details->>'grantId'
     where a.action = 'stream.grant' and a.outcome = 'success' and a.target_type = 'camera'
       and a.target_id = any($1::text[])
     order by a.id desc limit ${VIEWS_LISTED}`,
    [cameraIds],
  );
  return res.rows;
}
