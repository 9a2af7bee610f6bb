import { randomUUID } from 'node:crypto';
import { auditBy, actorOfPrincipal } from '../audit/actor';
import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import { roleHas, type Permission } from '../../shared/domain/roles';
import type { ViewReason } from '../../shared/domain/reasons';
import type { SharingAccess, SharingDecision } from '../../shared/domain/sharingPolicy';
import type {
  GrantRequest,
  GrantStatus,
  SharingRefusal,
  StreamGrant,
} from '../../shared/api/cameras';
import { getAgency } from '../agency/agencyRepository';
import { findCamera, findSource } from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';
import { sharingOf, type CameraRow } from './cameraRows';
import { grantExpiry } from './grantPolicy';
import { decideAccess } from '../../shared/policy/decideAccess';
import { revokeGrant } from './grantRevocation';
import { newRelayToken, relaySourceFor, relayTokenSha256 } from '../relay/relayTokens';

/** Access beyond watching live needs a permission of its own. */
const ACCESS_PERMISSION: Readonly<Record<SharingAccess, Permission>> = {
  live: 'streams.view',
  recordings: 'recordings.view',
  ptz: 'streams.ptz',
};

export type GrantOutcome<T> = { readonly granted: T } | { readonly refused: SharingRefusal };

type Refused = Extract<SharingDecision, { allowed: false }>;

function refusal(decision: Refused): SharingRefusal {
  return {
    statusCode: 403,
    error: 'Forbidden',
    message: decision.reason,
    code: 'sharing_policy',
    denial: decision.denial,
    nextOpen: decision.nextOpen === null ? null : new Date(decision.nextOpen).toISOString(),
  };
}

/** Refuses (and audits, as the guard does for routes) access the caller's role does not have. */
async function requireAccessPermission(
  ctx: ServerContext,
  who: Principal,
  access: SharingAccess,
  target: string,
): Promise<void> {
  const permission = ACCESS_PERMISSION[access];
  if (roleHas(who.role, permission)) return;
  await ctx.record({
    audit: auditBy(actorOfPrincipal(who), {
      action: 'permission.denied',
      targetType: 'camera',
      targetId: target,
      outcome: 'denied',
      details: { permission, role: who.role, access },
    }),
    event: null,
  });
  throw new HttpError(
    403,
    `Your role (${who.role}) does not allow ${access} access: it needs ${permission}.`,
  );
}

export function checkCameraCanStream(camera: CameraRow, access: SharingAccess): void {
  if (camera.kind === 'registered') {
    throw new HttpError(
      409,
      `"${camera.name}" is a registered camera: its owner shared only its location, so it has no feed to view. Contact the owner through a camera pull.`,
    );
  }
  if (camera.status === 'retired') {
    throw new HttpError(409, `"${camera.name}" is retired: it has no feed to view.`);
  }
  if (access === 'ptz' && !camera.ptz) {
    throw new HttpError(409, `"${camera.name}" cannot be steered: it has no PTZ.`);
  }
}

export async function decideNow(tx: Queryable, camera: CameraRow, access: SharingAccess, at: Date) {
  const { timeZone } = await getAgency(tx);
  return decideAccess(
    { kind: camera.kind, sharing: sharingOf(camera), alarmActive: camera.alarm_active },
    access,
    at.getTime(),
    timeZone,
  );
}

/**
 * Asks to view a camera. The owner's policy is evaluated now; either way the attempt is in the
 * audit trail with its reason. A grant carries relay paths bound to it, never the camera's address
 * or credentials (docs/decisions/0016-camera-credentials-stay-in-the-server.md).
 */
export async function issueGrant(
  ctx: ServerContext,
  who: Principal,
  cameraId: string,
  request: GrantRequest,
): Promise<GrantOutcome<StreamGrant>> {
  await requireAccessPermission(ctx, who, request.access, cameraId);
  const grantId = randomUUID();
  const relayToken = newRelayToken();
  type Issue = { granted: StreamGrant } | { refused: Refused };
  const { value } = await ctx.record<Issue>({
    apply: async ({ tx, at }) => {
      const camera = await findCamera(tx, cameraId);
      if (!camera) throw new HttpError(404, `No camera ${cameraId}.`);
      checkCameraCanStream(camera, request.access);
      const source = await findSource(tx, cameraSecretsOf(ctx.config), cameraId);
      if (!source) throw new HttpError(409, `"${camera.name}" has no source on file.`);
      const decision = await decideNow(tx, camera, request.access, at);
      if (!decision.allowed) return { refused: decision };
      const expiresAt = new Date(grantExpiry(at.getTime(), decision.until)).toISOString();
      await tx.query(
        `insert into camera_grants (id, camera_id, user_id, reason, access, variant, issued_at,
           expires_at, relay_token_sha256) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          grantId,
          cameraId,
          who.userId,
          JSON.stringify(request.reason),
          request.access,
          request.variant,
          at.toISOString(),
          expiresAt,
          relayTokenSha256(relayToken),
        ],
      );
      return {
        granted: {
          grantId,
          cameraId,
          access: request.access,
          variant: request.variant,
          expiresAt,
          source: relaySourceFor(relayToken, source),
        },
      };
    },
    audit: (v) =>
      auditBy(actorOfPrincipal(who), {
        action: 'stream.grant',
        targetType: 'camera',
        targetId: cameraId,
        outcome: 'granted' in v ? 'success' : 'denied',
        details: {
          reason: reasonDetails(request.reason),
          access: request.access,
          variant: request.variant,
          ...('granted' in v
            ? { grantId: v.granted.grantId, expiresAt: v.granted.expiresAt }
            : { denial: v.refused.denial, policy: v.refused.reason }),
        },
      }),
    event: (v) =>
      'granted' in v
        ? {
            type: 'grant.issued',
            payload: {
              grantId,
              cameraId,
              userId: who.userId,
              access: request.access,
              expiresAt: v.granted.expiresAt,
            },
          }
        : null,
  });
  return 'granted' in value ? value : { refused: refusal(value.refused) };
}

function reasonDetails(reason: ViewReason): Record<string, string> {
  return {
    code: reason.code,
    ...(reason.reference ? { reference: reason.reference } : {}),
    ...(reason.note ? { note: reason.note } : {}),
  };
}

export interface GrantRow {
  readonly id: string;
  readonly camera_id: string;
  readonly user_id: string;
  readonly access: SharingAccess;
  readonly variant: 'main' | 'sub';
  readonly expires_at: Date | string;
  readonly revoked_at: Date | string | null;
  readonly revoke_reason: string | null;
}

/** The caller's own grant, held for the transaction; 404 if unknown, 403 if someone else's. */
export async function lockOwnGrant(
  tx: Queryable,
  who: Principal,
  grantId: string,
): Promise<GrantRow> {
  const res = await tx.query<GrantRow>(
    `select id, camera_id, user_id, access, variant, expires_at, revoked_at, revoke_reason
     from camera_grants where id = $1 for update`,
    [grantId],
  );
  const grant = res.rows[0];
  if (!grant) throw new HttpError(404, `No grant ${grantId}.`);
  if (grant.user_id !== who.userId) {
    throw new HttpError(403, 'This grant was issued to someone else: only its holder may use it.');
  }
  return grant;
}

/** A 409 for a grant that has ended or expired: only an open grant is renewed or used. */
export function checkGrantOpen(grant: GrantRow, at: Date): void {
  if (grant.revoked_at !== null) {
    throw new HttpError(409, `This grant has ended: ${grant.revoke_reason ?? 'ended'}`);
  }
  if (new Date(grant.expires_at).getTime() <= at.getTime()) {
    throw new HttpError(409, 'This grant has expired: ask for a new one.');
  }
}

const isoOf = (v: Date | string) => new Date(v).toISOString();

/**
 * Extends the caller's grant if the owner's policy still allows it; if not, the grant ends now
 * (with a `grant.revoked` event) and the answer is the policy's refusal.
 */
export async function renewGrant(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
): Promise<GrantOutcome<GrantStatus>> {
  type Renewal =
    { granted: GrantStatus } | { refused: Refused; grant: GrantRow; revokedReason: string };
  const { value } = await ctx.record<Renewal>({
    apply: async ({ tx, at }) => {
      const grant = await lockOwnGrant(tx, who, grantId);
      checkGrantOpen(grant, at);
      if (!roleHas(who.role, ACCESS_PERMISSION[grant.access])) {
        throw new HttpError(
          403,
          `Your role (${who.role}) no longer allows ${grant.access} access.`,
        );
      }
      const camera = (await findCamera(tx, grant.camera_id))!;
      const decision = await decideNow(tx, camera, grant.access, at);
      if (!decision.allowed) {
        await revokeGrant(tx, at, grantId, decision.reason);
        return { refused: decision, grant, revokedReason: decision.reason };
      }
      const expiresAt = new Date(grantExpiry(at.getTime(), decision.until)).toISOString();
      await tx.query('update camera_grants set expires_at = $2 where id = $1', [
        grantId,
        expiresAt,
      ]);
      return {
        granted: {
          grantId,
          cameraId: grant.camera_id,
          access: grant.access,
          variant: grant.variant,
          expiresAt,
        },
      };
    },
    audit: (v) =>
      auditBy(actorOfPrincipal(who), {
        action: 'stream.grant.renew',
        targetType: 'grant',
        targetId: grantId,
        outcome: 'granted' in v ? 'success' : 'denied',
        details:
          'granted' in v
            ? { cameraId: v.granted.cameraId, expiresAt: v.granted.expiresAt }
            : { cameraId: v.grant.camera_id, denial: v.refused.denial, policy: v.refused.reason },
      }),
    event: (v) =>
      'granted' in v
        ? {
            type: 'grant.renewed',
            payload: {
              grantId,
              cameraId: v.granted.cameraId,
              userId: who.userId,
              expiresAt: v.granted.expiresAt,
            },
          }
        : {
            type: 'grant.revoked',
            payload: {
              grantId,
              cameraId: v.grant.camera_id,
              userId: v.grant.user_id,
              reason: v.revokedReason,
            },
          },
  });
  return 'granted' in value ? value : { refused: refusal(value.refused) };
}

/** The holder stops viewing: the grant ends now. Ending one that already ended changes nothing. */
export async function endGrant(
  ctx: ServerContext,
  who: Principal,
  grantId: string,
): Promise<{ grantId: string; endedAt: string }> {
  const current = await ctx.store.transaction((tx) => lockOwnGrant(tx, who, grantId));
  if (current.revoked_at !== null) return { grantId, endedAt: isoOf(current.revoked_at) };
  const expiry = new Date(current.expires_at).getTime();
  if (expiry <= ctx.clock.now()) return { grantId, endedAt: isoOf(current.expires_at) };
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const ended = await revokeGrant(tx, at, grantId, 'Ended by the viewer.');
      // Revoked between the look and the change: nothing is left to end.
      if (!ended) throw new HttpError(409, 'This grant has already ended.');
      return { endedAt: at.toISOString() };
    },
    audit: auditBy(actorOfPrincipal(who), {
      action: 'stream.grant.end',
      targetType: 'grant',
      targetId: grantId,
      outcome: 'success',
      details: { cameraId: current.camera_id },
    }),
    event: {
      type: 'grant.ended',
      payload: { grantId, cameraId: current.camera_id, userId: current.user_id },
    },
  });
  return { grantId, endedAt: value.endedAt };
}
