import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, SYSTEM_ACTOR, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { enqueueMail } from '../mail/outboxRepository';
import { acceptTotp, newTotpSecret, totpUri } from '../auth/totp';
import { cameraFromRow, sharingOf, type CameraRow } from '../cameras/cameraRows';
import { findCamera } from '../cameras/cameraRepository';
import { revocationEvents, revokeGrantsNoLongerAllowed } from '../cameras/grantRevocation';
import { PORTAL_ACTOR } from '../registrations/registrationChanges';
import { sessionIdleMinutesFor } from '../auth/sessionIdle';
import { dockingEventsFor } from '../alerts/alertChanges';
import {
  acknowledgeAlertRow,
  alertOf,
  findAlertForUpdate,
  insertAlert,
  reviseAlert,
} from '../alerts/alertRepository';
import { outsideJurisdiction } from '../../shared/policy/jurisdiction';
import { formatInstant } from '../../shared/policy/describeSharingPolicy';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { GrantRevokedPayload } from '../../shared/api/cameras';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { Alert } from '../../shared/domain/alerts';
import { SharingPolicySchema, type SharingPolicy } from '../../shared/domain/sharingPolicy';
import {
  camerasOfOwner,
  countWrongCode,
  dueAlarms,
  endSession,
  endSessionsAwaitingCode,
  ensureAccount,
  findSession,
  hashOwnerToken,
  insertLink,
  insertSession,
  keptPolicy,
  lockAccount,
  lockOpenAlarm,
  lockOwnedCamera,
  newOwnerToken,
  openAlarmOf,
  ownsCameras,
  removeTotp,
  endAllSessions,
  findAccountByEmail,
  touchSession,
  useLink,
  type OwnedCameraRow,
} from './ownerRepository';
import { ownerSignInMail, ownerTotpRemovedMail } from './ownerMail';

/**
 * What owners of integrated cameras do on the portal (docs/owners.md): sign in by an emailed
 * link (and an authenticator code once they add one), change their cameras' sharing policies,
 * raise an alarm. A policy change or an alarm's end revokes, in the same transaction, the grants
 * the policy no longer allows, by the path a withdrawal takes (server/cameras/grantRevocation.ts),
 * so that the viewer's tile stops and says the owner's reason.
 */

/** How long an emailed sign-in link works. */
export const LINK_MINUTES = 15;
/** An owner's session ends after this long without a page, and in any case after SESSION_MAX_HOURS. */
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;
/** Wrong authenticator codes a session may send before it is ended. */
export const MAX_CODE_FAILURES = 5;
/** How long an owner may raise an alarm for, in minutes. */
export const ALARM_MINUTES = [15, 30, 60] as const;
export type AlarmMinutes = (typeof ALARM_MINUTES)[number];

/** The id of the source owners' alarms come in as (an integration with no key). */
export const OWNER_ALARM_SOURCE = 'portal-owner-alarms';

const MINUTE_MS = 60_000;

/** The link to a portal page for owners. */
export const ownerLinkUrl = (ctx: ServerContext, token: string) =>
  `${ctx.config.publicUrl}/portal/owners/sign-in?token=${token}`;

/** An owner as the audit trail names them: by their account, never by their address. */
export function ownerActor(accountId: string): Actor {
  return { id: `owner:${accountId}`, name: 'camera owner' };
}

/** The policy a camera is given while its owner's alarm is raised: everything it can share. */
export function alarmPolicy(camera: Pick<CameraRow, 'ptz'>): SharingPolicy {
  return SharingPolicySchema.parse({
    mode: 'always',
    live: true,
    recordings: true,
    ptz: camera.ptz,
  });
}

const NOTHING_SHARED: SharingPolicy = SharingPolicySchema.parse({ mode: 'schedule' });

// ---- Sign-in -------------------------------------------------------------------------------

/**
 * Emails a sign-in link when the address owns integrated cameras; otherwise does nothing. The
 * page answers the same either way, so it tells nobody whose address owns cameras.
 */
export async function requestSignInLink(ctx: ServerContext, email: string): Promise<boolean> {
  const address = email.toLowerCase();
  if (!(await ownsCameras(ctx.store, address))) return false;
  const link = newOwnerToken();
  await ctx.record({
    apply: async ({ tx, at }) => {
      await insertLink(
        tx,
        at,
        link.hash,
        address,
        new Date(at.getTime() + LINK_MINUTES * MINUTE_MS),
      );
      const agency = await getAgency(tx);
      await enqueueMail(
        tx,
        at,
        'owner.sign_in',
        ownerSignInMail(agency, address, ownerLinkUrl(ctx, link.token), LINK_MINUTES),
      );
    },
    audit: auditBy(PORTAL_ACTOR, {
      action: 'owner.link',
      targetType: 'owner',
      targetId: null,
      outcome: 'success',
      details: {},
    }),
    event: null,
  });
  return true;
}

export interface OwnerSession {
  /** The hash of the cookie's token: what names the session in the database. */
  readonly hash: string;
  readonly accountId: string;
  readonly email: string;
  readonly stage: 'code' | 'full';
  readonly hasTotp: boolean;
}

/** The refusal of a link that is unknown, used or expired (the page says what to do). */
export const OWNER_LINK_GONE = 'This sign-in link has expired or has already been used.';

/**
 * Uses a sign-in link up and starts a session: a full one, or one that waits for the
 * authenticator code when the owner has added one. Returns the cookie's token.
 */
export async function signInWithLink(
  ctx: ServerContext,
  token: string,
): Promise<{ token: string; stage: 'code' | 'full' }> {
  const session = newOwnerToken();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const email = await useLink(tx, token, at);
      if (email === null || !(await ownsCameras(tx, email))) {
        throw new HttpError(404, OWNER_LINK_GONE);
      }
      const account = await ensureAccount(tx, at, randomUUID(), email);
      const stage = account.totp_secret === null ? ('full' as const) : ('code' as const);
      await insertSession(
        tx,
        at,
        session.hash,
        account.id,
        stage,
        new Date(at.getTime() + SESSION_MAX_HOURS * 60 * MINUTE_MS),
      );
      return { accountId: account.id, stage };
    },
    audit: (v) =>
      auditBy(ownerActor(v.accountId), {
        action: 'owner.sign_in',
        targetType: 'owner',
        targetId: v.accountId,
        outcome: 'success',
        details: { secondFactor: v.stage === 'code' ? 'required' : 'none' },
      }),
    event: null,
  });
  return { token: session.token, stage: value.stage };
}

/**
 * The session a cookie's token names, if it is still good: not ended, not idle longer than
 * SESSION_IDLE_MINUTES, not older than SESSION_MAX_HOURS. A good one counts as seen now.
 */
export async function currentSession(
  ctx: ServerContext,
  token: string,
): Promise<OwnerSession | null> {
  const hash = hashOwnerToken(token);
  const row = await findSession(ctx.store, hash);
  if (!row) return null;
  const now = ctx.clock.now();
  const idle = now - new Date(row.last_seen_at).getTime() > SESSION_IDLE_MINUTES * MINUTE_MS;
  if (idle || now >= new Date(row.expires_at).getTime()) {
    await endSession(ctx.store, hash, new Date(now));
    return null;
  }
  await touchSession(ctx.store, hash, new Date(now));
  return {
    hash,
    accountId: row.account_id,
    email: row.email,
    stage: row.stage,
    hasTotp: row.has_totp,
  };
}

export type CodeOutcome = 'accepted' | 'wrong' | 'ended';

/**
 * A wrong authenticator code, at sign-in or to remove the app: counted against the session, which
 * ends once it has sent MAX_CODE_FAILURES of them.
 */
async function wrongCode(
  tx: Queryable,
  session: OwnerSession,
  at: Date,
): Promise<'wrong' | 'ended'> {
  if ((await countWrongCode(tx, session.hash)) < MAX_CODE_FAILURES) return 'wrong';
  await endSession(tx, session.hash, at);
  return 'ended';
}

/**
 * The second step of a sign-in: the authenticator's code. Each code is accepted once; after
 * MAX_CODE_FAILURES wrong ones the session ends and the owner asks for a new link.
 */
export async function checkSignInCode(
  ctx: ServerContext,
  session: OwnerSession,
  code: string,
): Promise<CodeOutcome> {
  const { value } = await ctx.record<CodeOutcome>({
    apply: async ({ tx, at }) => {
      const account = await lockAccount(tx, session.accountId);
      if (!account?.totp_secret) return 'wrong';
      const last = account.totp_last_step === null ? null : Number(account.totp_last_step);
      const step = await acceptTotp(account.totp_secret, code, at.getTime(), last);
      if (step !== null) {
        await tx.query('update owner_accounts set totp_last_step = $2 where id = $1', [
          account.id,
          step,
        ]);
        await tx.query(`update owner_sessions set stage = 'full' where token_hash = $1`, [
          session.hash,
        ]);
        return 'accepted';
      }
      return wrongCode(tx, session, at);
    },
    audit: (v) =>
      auditBy(ownerActor(session.accountId), {
        action: 'owner.sign_in.code',
        targetType: 'owner',
        targetId: session.accountId,
        outcome: v === 'accepted' ? 'success' : 'failure',
        details: v === 'ended' ? { sessionEnded: true } : {},
      }),
    event: null,
  });
  return value;
}

/** Starts adding an authenticator: a new secret, kept pending until a code from it is sent. */
export async function beginOwnerTotp(
  ctx: ServerContext,
  session: OwnerSession,
): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  await ctx.store.transaction(async (tx) => {
    const account = await lockAccount(tx, session.accountId);
    if (!account) throw new HttpError(404, 'This account no longer exists.');
    if (account.totp_secret !== null) {
      throw new HttpError(409, 'An authenticator app is already added to this account.');
    }
    await tx.query('update owner_accounts set totp_pending_secret = $2 where id = $1', [
      account.id,
      secret,
    ]);
  });
  return { secret, uri: totpUri(session.email, secret) };
}

/** Finishes adding an authenticator when the code matches the pending secret. */
export async function confirmOwnerTotp(
  ctx: ServerContext,
  session: OwnerSession,
  code: string,
): Promise<boolean> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const account = await lockAccount(tx, session.accountId);
      if (!account?.totp_pending_secret || account.totp_secret !== null) return false;
      const step = await acceptTotp(account.totp_pending_secret, code, at.getTime(), null);
      if (step === null) return false;
      await tx.query(
        `update owner_accounts set totp_secret = totp_pending_secret, totp_pending_secret = null,
           totp_last_step = $2, updated_at = $3 where id = $1`,
        [account.id, step, at.toISOString()],
      );
      return true;
    },
    audit: (ok) =>
      auditBy(ownerActor(session.accountId), {
        action: 'owner.totp.add',
        targetType: 'owner',
        targetId: session.accountId,
        outcome: ok ? 'success' : 'failure',
        details: {},
      }),
    event: null,
  });
  return value;
}

/** The pending secret of an authenticator being added (shown again when a code was wrong). */
export async function pendingOwnerTotp(
  ctx: ServerContext,
  session: OwnerSession,
): Promise<{ secret: string; uri: string } | null> {
  const account = await lockAccount(ctx.store, session.accountId);
  if (!account?.totp_pending_secret) return null;
  return {
    secret: account.totp_pending_secret,
    uri: totpUri(session.email, account.totp_pending_secret),
  };
}

export type TotpRemoval = 'removed' | 'wrong' | 'ended' | 'none';

/**
 * Removes the owner's authenticator app. The signed-in session is not enough on its own: the
 * owner gives a code the app shows now, so that someone at a browser left signed in cannot take
 * the second factor off (docs/owners.md). The code is checked as at sign-in (accepted once, and
 * wrong ones count toward the session's MAX_CODE_FAILURES). Once removed, sign-in asks for no
 * code, sessions still waiting for one end, and the owner is emailed through the outbox.
 */
export async function removeOwnerTotp(
  ctx: ServerContext,
  session: OwnerSession,
  code: string,
): Promise<TotpRemoval> {
  const { value } = await ctx.record<{ outcome: TotpRemoval; sessionsEnded: number }>({
    apply: async ({ tx, at }) => {
      const account = await lockAccount(tx, session.accountId);
      if (!account?.totp_secret) return { outcome: 'none', sessionsEnded: 0 };
      const last = account.totp_last_step === null ? null : Number(account.totp_last_step);
      const step = await acceptTotp(account.totp_secret, code, at.getTime(), last);
      if (step === null) return { outcome: await wrongCode(tx, session, at), sessionsEnded: 0 };
      await removeTotp(tx, account.id, at);
      const sessionsEnded = await endSessionsAwaitingCode(tx, account.id, at);
      await mailTotpRemoved(ctx, tx, at, account.email);
      return { outcome: 'removed', sessionsEnded };
    },
    audit: (v) =>
      auditBy(ownerActor(session.accountId), {
        action: 'owner.totp.remove',
        targetType: 'owner',
        targetId: session.accountId,
        outcome: v.outcome === 'removed' ? 'success' : 'failure',
        details:
          v.outcome === 'removed'
            ? { sessionsAwaitingCodeEnded: v.sessionsEnded }
            : v.outcome === 'none'
              ? { reason: 'no_authenticator' }
              : { reason: 'wrong_code', ...(v.outcome === 'ended' ? { sessionEnded: true } : {}) },
      }),
    event: null,
  });
  return value.outcome;
}

/** Tells the owner, by email through the outbox, that their authenticator app is gone. */
async function mailTotpRemoved(
  ctx: ServerContext,
  tx: Queryable,
  at: Date,
  email: string,
): Promise<void> {
  const agency = await getAgency(tx);
  await enqueueMail(
    tx,
    at,
    'owner.totp.removed',
    ownerTotpRemovedMail(
      agency,
      email,
      formatInstant(at.getTime(), agency.timeZone),
      `${ctx.config.publicUrl}/portal/owners/sign-in`,
    ),
  );
}

/**
 * An administrator clears the authenticator of an owner who lost it (`wf owner reset-totp`;
 * docs/owners.md): the app is forgotten, every session of the owner ends, and the owner is
 * emailed that it happened, so that an owner who did not ask learns of it. The next sign-in by
 * emailed link needs no code. Audited under the administrator, naming the account, never the
 * address.
 */
export async function clearOwnerTotp(
  ctx: ServerContext,
  email: string,
  actor: Actor,
): Promise<{ readonly accountId: string; readonly sessionsEnded: number }> {
  const account = await findAccountByEmail(ctx.store, email);
  if (!account) throw new HttpError(404, 'No camera owner has signed in with that address.');
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const locked = (await lockAccount(tx, account.id))!;
      if (locked.totp_secret === null && locked.totp_pending_secret === null) {
        throw new HttpError(409, 'That owner has no authenticator app to clear.');
      }
      await removeTotp(tx, locked.id, at);
      const sessionsEnded = await endAllSessions(tx, locked.id, at);
      await mailTotpRemoved(ctx, tx, at, locked.email);
      return { accountId: locked.id, sessionsEnded };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'owner.totp.clear',
        targetType: 'owner',
        targetId: v.accountId,
        outcome: 'success',
        details: { sessionsEnded: v.sessionsEnded },
      }),
    event: null,
  });
  return value;
}

export async function signOutOwner(ctx: ServerContext, session: OwnerSession): Promise<void> {
  await ctx.record({
    apply: async ({ tx, at }) => endSession(tx, session.hash, at),
    audit: auditBy(ownerActor(session.accountId), {
      action: 'owner.sign_out',
      targetType: 'owner',
      targetId: session.accountId,
      outcome: 'success',
      details: {},
    }),
    event: null,
  });
}

// ---- Cameras and policies ------------------------------------------------------------------

export interface OwnedCamera {
  readonly row: OwnedCameraRow;
  /** The owner's own policy: during an alarm, the one the camera returns to. */
  readonly policy: SharingPolicy | null;
  /** The agency keeps this camera's policy on the owner's behalf: shown, not edited. */
  readonly agencyKeeps: boolean;
}

export async function ownerCameras(ctx: ServerContext, email: string): Promise<OwnedCamera[]> {
  const rows = await camerasOfOwner(ctx.store, email);
  const out: OwnedCamera[] = [];
  for (const row of rows) {
    const kept = await keptPolicy(ctx.store, row.id);
    out.push({
      row,
      policy: kept ? SharingPolicySchema.parse(kept.policy) : sharingOf(row),
      agencyKeeps: row.policy_keeper === 'agency',
    });
  }
  return out;
}

/**
 * The owner sets a camera's policy. It applies at once: grants the new policy does not allow are
 * revoked with its reason. During the owner's alarm it is kept for when the alarm ends.
 */
export async function setOwnerPolicy(
  ctx: ServerContext,
  session: OwnerSession,
  cameraId: string,
  policy: SharingPolicy,
): Promise<{ revoked: readonly GrantRevokedPayload[]; duringAlarm: boolean }> {
  const next = SharingPolicySchema.parse(policy);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = await lockOwnedCamera(tx, session.email, cameraId);
      if (!row) throw new HttpError(404, 'That camera is not one of yours.');
      if (row.policy_keeper === 'agency') {
        throw new HttpError(
          409,
          `The agency keeps the sharing policy of "${row.name}" on your behalf: ask the agency to change it.`,
        );
      }
      const kept = await keptPolicy(tx, cameraId);
      const before = kept ? (kept.policy as SharingPolicy) : (sharingOf(row) ?? NOTHING_SHARED);
      if (kept) {
        await tx.query(
          'update owner_alarm_cameras set normal_policy = $3 where alarm_id = $1 and camera_id = $2',
          [kept.alarmId, cameraId, JSON.stringify(next)],
        );
        return { row, before, revoked: [], duringAlarm: true, camera: null };
      }
      await tx.query('update cameras set sharing = $2, updated_at = $3 where id = $1', [
        cameraId,
        JSON.stringify(next),
        at.toISOString(),
      ]);
      const updated = (await findCamera(tx, cameraId))!;
      const revoked = await revokeGrantsNoLongerAllowed(tx, at, updated);
      return { row, before, revoked, duringAlarm: false, camera: cameraFromRow(updated) };
    },
    audit: (v) =>
      auditBy(ownerActor(session.accountId), {
        action: 'owner.policy.update',
        targetType: 'camera',
        targetId: cameraId,
        outcome: 'success',
        details: {
          name: v.row.name,
          diff: { sharing: { before: v.before, after: next } },
          duringAlarm: v.duringAlarm,
          revokedGrants: v.revoked.map((r) => r.grantId),
        },
      }),
    event: (v): CatalogEvent[] =>
      v.camera === null
        ? []
        : [
            ...revocationEvents(v.revoked),
            { type: 'camera.updated', payload: { camera: v.camera, changed: ['sharing'] } },
          ],
  });
  return { revoked: value.revoked, duringAlarm: value.duringAlarm };
}

// ---- Alarms --------------------------------------------------------------------------------

/** The source the alarms' alerts come in as, made the first time an owner raises one. */
async function ensureAlarmSource(tx: Queryable, at: Date): Promise<void> {
  await tx.query(
    `insert into integrations (id, name, scope, key_hash, created_by, created_at)
     values ($1, 'Camera owners'' alarms (public portal)', 'cap', $2, 'system', $3)
     on conflict do nothing`,
    // Not the SHA-256 of anything: no key can ever be this source's.
    [OWNER_ALARM_SOURCE, `none:${OWNER_ALARM_SOURCE}`, at.toISOString()],
  );
}

export interface AlarmState {
  readonly id: string;
  readonly raisedAt: string;
  readonly endsAt: string;
}

export async function ownerAlarm(
  ctx: ServerContext,
  session: OwnerSession,
): Promise<AlarmState | null> {
  const a = await openAlarmOf(ctx.store, session.accountId);
  return a
    ? {
        id: a.id,
        raisedAt: new Date(a.raised_at).toISOString(),
        endsAt: new Date(a.ends_at).toISOString(),
      }
    : null;
}

/**
 * The owner is in trouble: every one of their cameras shares everything it can (live,
 * recordings, PTZ) for `minutes`, and the center gets an urgent alert at the first camera's
 * place, with its nearest cameras docked by the agency's rules as for any alert.
 */
export async function raiseOwnerAlarm(
  ctx: ServerContext,
  session: OwnerSession,
  minutes: AlarmMinutes,
): Promise<AlarmState> {
  const alarmId = randomUUID();
  const alertId = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const current = await openAlarmOf(tx, session.accountId);
      if (current) {
        throw new HttpError(
          409,
          'Your alarm is already raised. End it first to raise a new one for another length of time.',
        );
      }
      const cameras: OwnedCameraRow[] = [];
      for (const c of await camerasOfOwner(tx, session.email)) {
        const locked = await lockOwnedCamera(tx, session.email, c.id);
        if (locked) cameras.push(locked);
      }
      if (cameras.length === 0) throw new HttpError(409, 'You have no cameras to share.');
      const endsAt = new Date(at.getTime() + minutes * MINUTE_MS);
      await tx.query(
        `insert into owner_alarms (id, account_id, raised_at, ends_at, alert_id)
         values ($1, $2, $3, $4, $5)`,
        [alarmId, session.accountId, at.toISOString(), endsAt.toISOString(), alertId],
      );
      const events: CatalogEvent[] = [];
      for (const c of cameras) {
        await tx.query(
          'insert into owner_alarm_cameras (alarm_id, camera_id, normal_policy) values ($1, $2, $3)',
          [alarmId, c.id, JSON.stringify(sharingOf(c) ?? NOTHING_SHARED)],
        );
        await tx.query(
          'update cameras set sharing = $2, alarm_active = true, updated_at = $3 where id = $1',
          [c.id, JSON.stringify(alarmPolicy(c)), at.toISOString()],
        );
        const camera = cameraFromRow((await findCamera(tx, c.id))!);
        events.push(
          { type: 'camera.updated', payload: { camera, changed: ['sharing', 'alarmActive'] } },
          { type: 'camera.alarm', payload: { cameraId: c.id, active: true, camera } },
        );
      }
      const agency = await getAgency(tx);
      await ensureAlarmSource(tx, at);
      const first = cameras[0]!;
      const place = first.address ?? first.name;
      const position = { lat: Number(first.lat), lon: Number(first.lng) };
      await insertAlert(tx, {
        id: alertId,
        integrationId: OWNER_ALARM_SOURCE,
        senderId: alarmId,
        at,
        state: {
          kind: 'cap',
          occurredAt: at.toISOString(),
          lat: position.lat,
          lng: position.lon,
          severity: 'extreme',
          title: `Camera owner's alarm at ${place}`,
          details: {
            identifier: alarmId,
            sender: 'public portal',
            msgType: 'Alert',
            event: 'Camera owner alarm',
            headline: `Camera owner's alarm at ${place}`,
            description: `The owner of ${cameras.length === 1 ? 'this camera' : `${cameras.length} cameras`} raised an alarm on the public portal and shares everything until ${endsAt.toISOString()}: ${cameras.map((c) => c.name).join('; ')}.`,
            urgency: 'Immediate',
            certainty: 'Likely',
            areaDesc: place,
            radiusM: null,
          },
          outsideJurisdiction: outsideJurisdiction(agency, position),
          late: false,
          urgent: true,
          sourceUpdatedAt: null,
        },
      });
      const alert = alertOf((await findAlertForUpdate(tx, alertId))!, []);
      const raised: CatalogEvent = { type: 'alert.raised', payload: { alert } };
      const docks = await dockingEventsFor(
        tx,
        [raised],
        agency,
        at,
        sessionIdleMinutesFor(ctx, agency) * MINUTE_MS,
      );
      events.push(raised, ...docks);
      return {
        state: { id: alarmId, raisedAt: at.toISOString(), endsAt: endsAt.toISOString() },
        cameras: cameras.map((c) => c.id),
        events,
      };
    },
    audit: (v) =>
      auditBy(ownerActor(session.accountId), {
        action: 'owner.alarm.raise',
        targetType: 'owner',
        targetId: session.accountId,
        outcome: 'success',
        details: { alarm: alarmId, minutes, cameras: v.cameras, alert: alertId },
      }),
    event: (v) => v.events,
  });
  return value.state;
}

type CapDetails = Extract<Alert, { kind: 'cap' }>['details'];

/** Why an alarm ended. */
export type AlarmEnd = 'owner' | 'expired';

/**
 * Closes the alert an alarm raised, now that the alarm has ended (docs/owners.md). The alert is
 * revised as its sender would revise it: its title says it ended, its urgency is CAP's "Past", and
 * its description ends with when and why. Unless someone at the center acknowledged it already,
 * it is also acknowledged by the system with that note, so it leaves the console's alerts waiting
 * for someone. Answers the alert's change event, or null when the alert is gone.
 */
async function closeAlarmAlert(
  tx: Queryable,
  alertId: string,
  at: Date,
  ended: { at: Date; why: AlarmEnd },
  agency: AgencyConfig,
): Promise<{ event: CatalogEvent; acknowledged: boolean } | null> {
  const found = await findAlertForUpdate(tx, alertId);
  if (!found) return null;
  const note = `The camera owner's alarm ended at ${formatInstant(ended.at.getTime(), agency.timeZone)}: ${ended.why === 'owner' ? 'the owner ended it' : 'its time ran out'}.`;
  const details = found.details as CapDetails;
  const title = `Ended: ${found.title}`;
  await reviseAlert(tx, {
    id: alertId,
    at,
    state: {
      ...found,
      title,
      details: {
        ...details,
        msgType: 'Update',
        headline: title,
        urgency: 'Past',
        description: details.description ? `${details.description} ${note}` : note,
      },
    },
  });
  const acknowledged = found.acknowledged === null;
  if (acknowledged) {
    await acknowledgeAlertRow(tx, { id: alertId, at, by: SYSTEM_ACTOR.name, byId: null, note });
  }
  const alert = alertOf((await findAlertForUpdate(tx, alertId))!, []);
  return {
    event: {
      type: 'alert.updated',
      payload: {
        alert,
        changed: ['revision', 'title', 'details', ...(acknowledged ? ['acknowledged'] : [])],
        escalated: false,
      },
    },
    acknowledged,
  };
}

/**
 * Ends an alarm: each camera returns to its owner's policy, and the grants that policy does not
 * allow end now with its reason; the alert it raised is closed. Ending one already ended changes
 * nothing (returns false).
 */
export async function endOwnerAlarm(
  ctx: ServerContext,
  alarmId: string,
  why: AlarmEnd,
  actor: Actor,
): Promise<boolean> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const alarm = await lockOpenAlarm(tx, alarmId);
      if (!alarm) return null;
      const kept = await tx.query<{ camera_id: string; normal_policy: unknown }>(
        'select camera_id, normal_policy from owner_alarm_cameras where alarm_id = $1 order by camera_id',
        [alarmId],
      );
      const events: CatalogEvent[] = [];
      const revoked: GrantRevokedPayload[] = [];
      for (const k of kept.rows) {
        const row = await findCamera(tx, k.camera_id);
        if (!row || row.status !== 'active') continue;
        const policy =
          typeof k.normal_policy === 'string' ? JSON.parse(k.normal_policy) : k.normal_policy;
        await tx.query(
          'update cameras set sharing = $2, alarm_active = false, updated_at = $3 where id = $1',
          [k.camera_id, JSON.stringify(policy), at.toISOString()],
        );
        const updated = (await findCamera(tx, k.camera_id))!;
        const ended = await revokeGrantsNoLongerAllowed(tx, at, updated);
        revoked.push(...ended);
        const camera = cameraFromRow(updated);
        events.push(
          ...revocationEvents(ended),
          { type: 'camera.updated', payload: { camera, changed: ['sharing', 'alarmActive'] } },
          { type: 'camera.alarm', payload: { cameraId: camera.id, active: false, camera } },
        );
      }
      await tx.query('update owner_alarms set ended_at = $2, end_reason = $3 where id = $1', [
        alarmId,
        at.toISOString(),
        why,
      ]);
      // An alarm that ran out ended at its set time, whenever the sweep noticed.
      const endedAt = why === 'expired' ? new Date(alarm.ends_at) : at;
      const closed = alarm.alert_id
        ? await closeAlarmAlert(tx, alarm.alert_id, at, { at: endedAt, why }, await getAgency(tx))
        : null;
      if (closed) events.push(closed.event);
      return {
        events,
        revoked,
        alert: closed
          ? {
              id: alarm.alert_id,
              acknowledged: closed.acknowledged,
              endedAt: endedAt.toISOString(),
            }
          : null,
      };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'owner.alarm.end',
        targetType: 'owner_alarm',
        targetId: alarmId,
        outcome: v === null ? 'failure' : 'success',
        details:
          v === null
            ? { reason: why, alreadyEnded: true }
            : { reason: why, revokedGrants: v.revoked.map((r) => r.grantId), alert: v.alert },
      }),
    event: (v) => (v === null ? null : v.events),
  });
  return value !== null;
}

/** The owner ends their alarm early. */
export async function endAlarmByOwner(ctx: ServerContext, session: OwnerSession): Promise<boolean> {
  const open = await openAlarmOf(ctx.store, session.accountId);
  if (!open) return false;
  return endOwnerAlarm(ctx, open.id, 'owner', ownerActor(session.accountId));
}

/** Ends the alarms whose time is up (a background task; tests call it after moving the clock). */
export async function expireOwnerAlarms(ctx: ServerContext): Promise<number> {
  let ended = 0;
  for (const a of await dueAlarms(ctx.store, new Date(ctx.clock.now()))) {
    if (await endOwnerAlarm(ctx, a.id, 'expired', SYSTEM_ACTOR)) ended += 1;
  }
  return ended;
}
