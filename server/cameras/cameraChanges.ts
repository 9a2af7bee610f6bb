import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { NewCameraSchema, type Camera, type NewCamera } from '../../shared/domain/cameras';
import { SharingPolicySchema, type SharingPolicy } from '../../shared/domain/sharingPolicy';
import type {
  CameraPatch,
  GrantRevokedPayload,
  SharingPolicyPatch,
} from '../../shared/api/cameras';
import { cameraFromRow, sharingOf, type CameraRow } from './cameraRows';
import {
  findCamera,
  findRecordingsSource,
  findSource,
  insertCameras,
  lockCamera,
  setOwnerContact,
  setSource,
  setRecordingsSource,
} from './cameraRepository';
import { cameraSecretsOf } from './cameraSecrets';
import { liveSourceFromInput, recordingsSourceFromInput } from './sourceSealing';
import { auditedFields, credentialNote, fieldDiff, policyKeeperOf } from './cameraAudit';
import { duplicateReason, loadDuplicateIndex } from './cameraDuplicates';
import {
  revocationEvents,
  revokeAllGrantsOfCamera,
  revokeGrantsNoLongerAllowed,
} from './grantRevocation';

/** Where a patch starts if an integrated camera somehow has no policy: one that shares nothing. */
const NOTHING_SHARED: SharingPolicy = SharingPolicySchema.parse({ mode: 'schedule' });

const RETIRED_REASON = 'This camera was retired from the registry.';

async function requireCamera(tx: Queryable, id: string): Promise<CameraRow> {
  const row = await lockCamera(tx, id);
  if (!row) throw new HttpError(404, `No camera ${id}.`);
  return row;
}

function requireActive(row: CameraRow, doing: string): void {
  if (row.status === 'retired') {
    throw new HttpError(409, `Camera "${row.name}" is retired: it cannot be ${doing}.`);
  }
}

/** Registers one camera. 409 if the same camera (kind, name, within 1 m) is already there. */
export async function createCamera(
  ctx: ServerContext,
  input: NewCamera,
  actor: Actor,
): Promise<Camera> {
  const camera = NewCameraSchema.parse(input);
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const existing = await loadDuplicateIndex(tx, [camera]);
      if (existing.has(camera))
        throw new HttpError(409, `Not created: ${duplicateReason(camera)}.`);
      await insertCameras(tx, at, [{ id, camera }], cameraSecretsOf(ctx.config));
      return cameraFromRow((await findCamera(tx, id))!);
    },
    audit: (c) =>
      auditBy(actor, {
        action: 'camera.create',
        targetType: 'camera',
        targetId: c.id,
        outcome: 'success',
        details: {
          kind: c.kind,
          name: c.name,
          hasOwnerContact: c.hasOwnerContact,
          // The public fields as created; sources and contacts only as "set" (never their values).
          after: auditedFields(c),
          source: 'source' in camera ? credentialNote(camera.source) : null,
          recordings:
            'recordings' in camera && camera.recordings ? credentialNote(camera.recordings) : null,
        },
      }),
    event: (c) => ({ type: 'camera.created', payload: { camera: c } }),
  });
  return value;
}

/** The owner's policy with a patch applied; nulls remove the dates. */
function patchedPolicy(current: SharingPolicy, patch: SharingPolicyPatch): SharingPolicy {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const parsed = SharingPolicySchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: ['body', 'sharing', ...i.path].join('.'),
      message: i.message,
    }));
    throw new HttpError(400, `Invalid sharing policy: ${issues[0]!.message}`, issues);
  }
  return parsed.data;
}

/** Which patch fields do not apply to this kind of camera, and why. */
function checkPatchFitsKind(row: CameraRow, patch: CameraPatch): void {
  const refuse = (field: string, why: string) => {
    throw new HttpError(400, `${field}: ${why}`, [{ path: `body.${field}`, message: why }]);
  };
  if (patch.retentionDays !== undefined && row.kind !== 'registered')
    refuse('retentionDays', 'only registered cameras record a retention period');
  if (patch.sharing !== undefined && row.kind !== 'integrated')
    refuse('sharing', 'only integrated cameras have an owner sharing policy');
  if (patch.source !== undefined && row.kind === 'registered')
    refuse('source', 'registered cameras have no feed, so no source');
  if (patch.recordings !== undefined && row.kind === 'registered')
    refuse('recordings', 'registered cameras have no feed, so no recordings source');
  if (patch.policyKeeper !== undefined && row.kind !== 'integrated')
    refuse('policyKeeper', 'only integrated cameras have an owner sharing policy');
  if (patch.owner !== undefined && row.kind === 'agency')
    refuse('owner', 'agency cameras have no private owner');
  if (patch.owner === null && row.kind === 'registered')
    refuse('owner', 'a registered camera keeps its owner contact (retire it instead)');
}

interface UpdateOutcome {
  readonly camera: Camera;
  readonly changed: readonly string[];
  readonly revoked: readonly GrantRevokedPayload[];
  readonly diff: Readonly<Record<string, unknown>>;
}

/**
 * Changes a camera. A new sharing policy takes effect at once: grants it no longer allows (consent
 * withdrawn, a window narrowed) are revoked in the same transaction. The audit entry holds each
 * changed public field before and after; a contact or a source only as what kind of change it was.
 */
export async function updateCamera(
  ctx: ServerContext,
  id: string,
  patch: CameraPatch,
  actor: Actor,
): Promise<UpdateOutcome> {
  const secrets = cameraSecretsOf(ctx.config);
  const { value } = await ctx.record({
    apply: async ({ tx, at }): Promise<UpdateOutcome> => {
      const row = await requireCamera(tx, id);
      requireActive(row, 'changed');
      checkPatchFitsKind(row, patch);
      const keeper = await policyKeeperOf(tx, id);
      if (patch.sharing !== undefined && keeper === 'owner' && patch.policyKeeper !== 'agency') {
        throw new HttpError(
          409,
          `The owner keeps the sharing policy of "${row.name}": it is shown, not edited, here.`,
          [{ path: 'body.sharing', message: 'the owner keeps this policy' }],
        );
      }
      const changed = Object.keys(patch).filter((k) => patch[k as keyof CameraPatch] !== undefined);
      const sharing =
        patch.sharing && row.kind === 'integrated'
          ? patchedPolicy(sharingOf(row) ?? NOTHING_SHARED, patch.sharing)
          : sharingOf(row);
      const keep = <T>(next: T | undefined, current: T): T => (next === undefined ? current : next);
      await tx.query(
        `update cameras set name = $2, lat = $3, lng = $4, address = $5, notes = $6,
           retention_days = $7, sharing = $8, updated_at = $9, bearing_deg = $10, fov_deg = $11,
           range_m = $12, policy_keeper = $13
         where id = $1`,
        [
          id,
          patch.name ?? row.name,
          patch.lat ?? row.lat,
          patch.lng ?? row.lng,
          patch.address === undefined ? row.address : patch.address || null,
          patch.notes === undefined ? row.notes : patch.notes || null,
          patch.retentionDays === undefined ? row.retention_days : patch.retentionDays,
          sharing === null ? null : JSON.stringify(sharing),
          at.toISOString(),
          keep(patch.bearingDeg, row.bearing_deg),
          keep(patch.fovDeg, row.fov_deg),
          keep(patch.rangeM, row.range_m),
          patch.policyKeeper ?? keeper,
        ],
      );
      const confidential: Record<string, unknown> = {};
      if (patch.owner !== undefined) {
        confidential.owner = {
          before: row.has_owner_contact ? 'set' : 'not set',
          after: patch.owner === null ? 'removed' : 'replaced',
        };
        await setOwnerContact(tx, at, id, patch.owner);
      }
      if (patch.source !== undefined) {
        const kept = await findSource(tx, secrets, id);
        const source = liveSourceFromInput(patch.source, kept);
        confidential.source = {
          before: kept ? credentialNote(kept) : null,
          after: credentialNote(source),
        };
        await setSource(tx, at, id, source, secrets);
      }
      if (patch.recordings !== undefined) {
        const kept = await findRecordingsSource(tx, secrets, id);
        const recordings =
          patch.recordings === null ? null : recordingsSourceFromInput(patch.recordings, kept);
        confidential.recordings = {
          before: kept ? credentialNote(kept) : null,
          after: recordings ? credentialNote(recordings) : null,
        };
        await setRecordingsSource(tx, at, id, recordings, secrets);
      }
      const updated = (await findCamera(tx, id))!;
      const revoked = patch.sharing ? await revokeGrantsNoLongerAllowed(tx, at, updated) : [];
      const camera = cameraFromRow(updated);
      const diff = {
        ...fieldDiff(
          { ...auditedFields(cameraFromRow(row)), policyKeeper: keeper },
          { ...auditedFields(camera), policyKeeper: patch.policyKeeper ?? keeper },
        ),
        ...confidential,
      };
      return { camera, changed, revoked, diff };
    },
    audit: (o) =>
      auditBy(actor, {
        action: 'camera.update',
        targetType: 'camera',
        targetId: id,
        outcome: 'success',
        details: {
          changed: o.changed,
          revokedGrants: o.revoked.map((r) => r.grantId),
          diff: o.diff,
        },
      }),
    event: (o) => [
      ...revocationEvents(o.revoked),
      { type: 'camera.updated', payload: { camera: o.camera, changed: [...o.changed] } },
    ],
  });
  return value;
}

/** Takes a camera out of service; every grant on it ends at once. */
export async function retireCamera(ctx: ServerContext, id: string, actor: Actor): Promise<Camera> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = await requireCamera(tx, id);
      if (row.status === 'retired')
        throw new HttpError(409, `Camera "${row.name}" is already retired.`);
      await tx.query(
        `update cameras set status = 'retired', retired_at = $2, updated_at = $2 where id = $1`,
        [id, at.toISOString()],
      );
      const revoked = await revokeAllGrantsOfCamera(tx, at, id, RETIRED_REASON);
      return { camera: cameraFromRow((await findCamera(tx, id))!), revoked };
    },
    audit: (o) =>
      auditBy(actor, {
        action: 'camera.retire',
        targetType: 'camera',
        targetId: id,
        outcome: 'success',
        details: {
          name: o.camera.name,
          revokedGrants: o.revoked.map((r) => r.grantId),
          diff: { status: { before: 'active', after: 'retired' } },
        },
      }),
    event: (o) => [
      ...revocationEvents(o.revoked),
      { type: 'camera.retired', payload: { camera: o.camera } },
    ],
  });
  return value.camera;
}

/**
 * Records that the owner raised or lowered their alarm. Lowering it ends, at once, the grants
 * that only the alarm allowed.
 */
export async function setCameraAlarm(
  ctx: ServerContext,
  id: string,
  active: boolean,
  actor: Actor,
): Promise<Camera> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = await requireCamera(tx, id);
      requireActive(row, 'alarmed');
      if (row.kind !== 'integrated') {
        throw new HttpError(
          409,
          `Only integrated cameras have an owner's alarm; "${row.name}" is ${row.kind}.`,
        );
      }
      await tx.query('update cameras set alarm_active = $2, updated_at = $3 where id = $1', [
        id,
        active,
        at.toISOString(),
      ]);
      const updated = (await findCamera(tx, id))!;
      const revoked = await revokeGrantsNoLongerAllowed(tx, at, updated);
      return { camera: cameraFromRow(updated), revoked };
    },
    audit: (o) =>
      auditBy(actor, {
        action: 'camera.alarm',
        targetType: 'camera',
        targetId: id,
        outcome: 'success',
        details: { active, revokedGrants: o.revoked.map((r) => r.grantId) },
      }),
    event: (o) => [
      ...revocationEvents(o.revoked),
      { type: 'camera.alarm', payload: { cameraId: id, active, camera: o.camera } },
    ],
  });
  return value.camera;
}
