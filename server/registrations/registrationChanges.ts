import { randomUUID } from 'node:crypto';
import { cameraSecretsOf, type CameraSecrets } from '../cameras/cameraSecrets';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { enqueueMail } from '../mail/outboxRepository';
import { cameraFromRow } from '../cameras/cameraRows';
import { findCamera, insertCameras, setOwnerContact } from '../cameras/cameraRepository';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { RegistrationSummary } from '../../shared/api/registrations';
import { NewCameraSchema, type Camera, type NewCamera } from '../../shared/domain/cameras';
import {
  FACINGS,
  type CameraRegistration,
  type RegisteredCameraInput,
  type RegistrationUpdate,
} from '../../shared/domain/portal';
import {
  activeCameraIds,
  confirmedByEmail,
  deleteLinks,
  deleteUnconfirmed,
  findByLink,
  findLookAlike,
  insertLink,
  insertRegistration,
  insertRegistrationCamera,
  lockByLink,
  newLinkToken,
  registrationSummary,
  submittedCameras,
  type RegistrationRow,
} from './registrationRepository';
import { confirmMail, manageMail, registeredMail, withdrawnMail } from './registrationMail';

/** The actor of what members of the public do through the portal. */
export const PORTAL_ACTOR: Actor = { id: null, name: 'public portal' };

/** How long an emailed confirmation link works; unconfirmed registrations are then deleted. */
export const CONFIRM_LINK_HOURS = 48;
/** How long a link to manage a registration works (a new one can be asked for at any time). */
export const MANAGE_LINK_DAYS = 30;

const HOUR_MS = 3_600_000;

/** The refusal of a link that is unknown, used up or expired (the page says what to do). */
export const LINK_GONE = 'This link has expired or has already been used.';

/** Where the portal's links point (the server's public address). */
export const linkUrl = (ctx: ServerContext, page: 'confirm' | 'manage', token: string) =>
  `${ctx.config.publicUrl}/portal/cameras/${page}?token=${token}`;

/**
 * The name a registered camera goes by on the console's map: its address, never its owner's
 * name (every analyst sees camera names; the owner is behind the audited reveal).
 */
function cameraName(c: RegisteredCameraInput, n: number, total: number, regId: string): string {
  const base = c.address ? c.address : `Registered camera ${regId.slice(0, 8)}`;
  return total > 1 ? `${base} (camera ${n})` : base;
}

/** A submitted camera as a new registry camera, checked with the API's own camera schema. */
function asNewCamera(
  reg: { id: string; name: string; email: string; phone: string },
  c: RegisteredCameraInput,
  n: number,
  total: number,
): NewCamera {
  return NewCameraSchema.parse({
    kind: 'registered',
    name: cameraName(c, n, total, reg.id),
    lat: c.lat,
    lng: c.lng,
    ...(c.address ? { address: c.address } : {}),
    notes: `Covers: ${c.covers}`,
    bearingDeg: FACINGS[c.facing],
    retentionDays: c.retentionDays,
    owner: { name: reg.name, email: reg.email, phone: reg.phone },
  });
}

function requireRow(row: RegistrationRow | null, state: RegistrationRow['state']): RegistrationRow {
  if (!row || row.state !== state) throw new HttpError(404, LINK_GONE);
  return row;
}

/**
 * Keeps a submission, pending, and queues the email with its confirmation link, in one
 * transaction: nothing enters the registry until the owner follows the link.
 */
export async function submitRegistration(
  ctx: ServerContext,
  input: CameraRegistration,
): Promise<{ id: string }> {
  const id = randomUUID();
  const link = newLinkToken();
  await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      await insertRegistration(tx, at, { id, ...input });
      await insertLink(
        tx,
        at,
        id,
        'confirm',
        link.hash,
        new Date(at.getTime() + CONFIRM_LINK_HOURS * HOUR_MS),
      );
      await enqueueMail(
        tx,
        at,
        'registration.confirm',
        confirmMail(
          agency,
          input,
          input.cameras.length,
          linkUrl(ctx, 'confirm', link.token),
          CONFIRM_LINK_HOURS,
        ),
      );
    },
    audit: auditBy(PORTAL_ACTOR, {
      action: 'registration.submit',
      targetType: 'registration',
      targetId: id,
      outcome: 'success',
      details: { ownerKind: input.ownerKind, cameras: input.cameras.length },
    }),
    event: null,
  });
  return { id };
}

/** Inserts a registration's cameras, flagging each that looks like one the registry had. */
async function addCameras(
  secrets: CameraSecrets,
  tx: Queryable,
  at: Date,
  reg: { id: string; name: string; email: string; phone: string },
  cameras: readonly RegisteredCameraInput[],
  firstN: number,
  total: number,
): Promise<Camera[]> {
  const made: Camera[] = [];
  for (const [i, c] of cameras.entries()) {
    const n = firstN + i;
    const cameraId = randomUUID();
    const lookAlike = await findLookAlike(
      tx,
      c,
      reg,
      made.map((m) => m.id),
    );
    await insertCameras(tx, at, [{ id: cameraId, camera: asNewCamera(reg, c, n, total) }], secrets);
    await insertRegistrationCamera(tx, reg.id, cameraId, n, lookAlike?.cameraId ?? null);
    made.push(cameraFromRow((await findCamera(tx, cameraId))!));
  }
  return made;
}

/** The owner followed the confirmation link: their cameras enter the registry. */
export async function confirmRegistration(
  ctx: ServerContext,
  token: string,
): Promise<RegistrationSummary> {
  const manage = newLinkToken();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = requireRow(await lockByLink(tx, token, 'confirm', at), 'pending');
      const owner = { id: row.id, name: row.owner_name!, email: row.email!, phone: row.phone! };
      const cameras = submittedCameras(row);
      const made = await addCameras(
        cameraSecretsOf(ctx.config),
        tx,
        at,
        owner,
        cameras,
        1,
        cameras.length,
      );
      await tx.query(
        `update camera_registrations set state = 'confirmed', submitted = null, confirmed_at = $2,
           updated_at = $2 where id = $1`,
        [row.id, at.toISOString()],
      );
      await deleteLinks(tx, row.id);
      const days = MANAGE_LINK_DAYS;
      await insertLink(
        tx,
        at,
        row.id,
        'manage',
        manage.hash,
        new Date(at.getTime() + days * 24 * HOUR_MS),
      );
      const agency = await getAgency(tx);
      await enqueueMail(
        tx,
        at,
        'registration.registered',
        registeredMail(agency, owner, made.length, linkUrl(ctx, 'manage', manage.token), days),
      );
      return { made, summary: (await registrationSummary(tx, row.id))! };
    },
    audit: (v) =>
      auditBy(PORTAL_ACTOR, {
        action: 'registration.confirm',
        targetType: 'registration',
        targetId: v.summary.id,
        outcome: 'success',
        details: {
          cameras: v.made.map((c) => c.id),
          lookAlikes: v.summary.cameras.flatMap((c) =>
            c.duplicateOf ? [{ camera: c.cameraId, of: c.duplicateOf.cameraId }] : [],
          ),
        },
      }),
    event: (v) => [
      ...v.made.map((camera): CatalogEvent => ({ type: 'camera.created', payload: { camera } })),
      { type: 'registration.confirmed', payload: { registration: v.summary } },
    ],
  });
  return value.summary;
}

/** The owner's current registration, for the manage page (null: the link does not open one). */
export async function registrationForOwner(
  ctx: ServerContext,
  token: string,
): Promise<(CameraRegistration & { id: string }) | null> {
  const row = await findByLink(ctx.store, token, 'manage', new Date(ctx.clock.now()));
  if (!row || row.state !== 'confirmed') return null;
  const cameras: RegisteredCameraInput[] = [];
  for (const id of await activeCameraIds(ctx.store, row.id)) {
    const c = (await findCamera(ctx.store, id))!;
    const facing = (Object.entries(FACINGS).find(([, deg]) => deg === c.bearing_deg)?.[0] ??
      'N') as keyof typeof FACINGS;
    cameras.push({
      lat: Number(c.lat),
      lng: Number(c.lng),
      ...(c.address ? { address: c.address } : {}),
      facing,
      covers: (c.notes ?? '').replace(/^Covers: /, ''),
      retentionDays: c.retention_days ?? 0,
    });
  }
  return {
    id: row.id,
    ownerKind: row.owner_kind,
    name: row.owner_name!,
    email: row.email!,
    phone: row.phone!,
    cameras,
  };
}

/**
 * The owner changed their registration: their details on every camera, the cameras kept in
 * place, cameras added or (when the list is shorter) the last ones retired.
 */
export async function updateRegistration(
  ctx: ServerContext,
  token: string,
  update: RegistrationUpdate,
): Promise<RegistrationSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = requireRow(await lockByLink(tx, token, 'manage', at), 'confirmed');
      const owner = { id: row.id, name: update.name, email: row.email!, phone: update.phone };
      const ids = await activeCameraIds(tx, row.id);
      const total = update.cameras.length;
      const events: CatalogEvent[] = [];
      for (const [i, c] of update.cameras.slice(0, ids.length).entries()) {
        const next = asNewCamera(owner, c, i + 1, total) as Extract<
          NewCamera,
          { kind: 'registered' }
        >;
        await tx.query(
          `update cameras set name = $2, lat = $3, lng = $4, address = $5, notes = $6,
             bearing_deg = $7, retention_days = $8, updated_at = $9 where id = $1`,
          [
            ids[i],
            next.name,
            next.lat,
            next.lng,
            next.address ?? null,
            next.notes ?? null,
            next.bearingDeg ?? null,
            next.retentionDays ?? null,
            at.toISOString(),
          ],
        );
        await setOwnerContact(tx, at, ids[i]!, next.owner);
        const camera = cameraFromRow((await findCamera(tx, ids[i]!))!);
        events.push({
          type: 'camera.updated',
          payload: { camera, changed: ['name', 'lat', 'lng', 'address', 'notes', 'owner'] },
        });
      }
      const added = await addCameras(
        cameraSecretsOf(ctx.config),
        tx,
        at,
        owner,
        update.cameras.slice(ids.length),
        ids.length + 1,
        total,
      );
      for (const camera of added) events.push({ type: 'camera.created', payload: { camera } });
      for (const id of ids.slice(total)) events.push(await retireRegistered(tx, at, id));
      await tx.query(
        `update camera_registrations set owner_kind = $2, owner_name = $3, phone = $4,
           updated_at = $5 where id = $1`,
        [row.id, update.ownerKind, update.name, update.phone, at.toISOString()],
      );
      const summary = (await registrationSummary(tx, row.id))!;
      events.push({ type: 'registration.updated', payload: { registration: summary } });
      return { summary, events, kept: Math.min(ids.length, total), added: added.length };
    },
    audit: (v) =>
      auditBy(PORTAL_ACTOR, {
        action: 'registration.update',
        targetType: 'registration',
        targetId: v.summary.id,
        outcome: 'success',
        details: {
          kept: v.kept,
          added: v.added,
          retired: v.events.filter((e) => e.type === 'camera.retired').length,
        },
      }),
    event: (v) => v.events,
  });
  return value.summary;
}

/** Retires a registered camera and deletes its owner's contact. */
async function retireRegistered(tx: Queryable, at: Date, id: string): Promise<CatalogEvent> {
  await tx.query(
    `update cameras set status = 'retired', retired_at = $2, updated_at = $2 where id = $1`,
    [id, at.toISOString()],
  );
  await setOwnerContact(tx, at, id, null);
  return {
    type: 'camera.retired',
    payload: { camera: cameraFromRow((await findCamera(tx, id))!) },
  };
}

/**
 * The owner withdrew: their cameras leave the registry and their details are deleted. The audit
 * trail keeps that it happened and which cameras left, not who the owner was.
 */
export async function withdrawRegistration(
  ctx: ServerContext,
  token: string,
): Promise<RegistrationSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const row = requireRow(await lockByLink(tx, token, 'manage', at), 'confirmed');
      const ids = await activeCameraIds(tx, row.id);
      const events: CatalogEvent[] = [];
      for (const id of ids) events.push(await retireRegistered(tx, at, id));
      const agency = await getAgency(tx);
      await enqueueMail(
        tx,
        at,
        'registration.withdrawn',
        withdrawnMail(agency, { email: row.email!, name: row.owner_name! }, ids.length),
      );
      await tx.query(
        `update camera_registrations set state = 'withdrawn', owner_name = null, email = null,
           phone = null, withdrawn_at = $2, updated_at = $2 where id = $1`,
        [row.id, at.toISOString()],
      );
      await deleteLinks(tx, row.id);
      const summary = (await registrationSummary(tx, row.id))!;
      events.push({ type: 'registration.updated', payload: { registration: summary } });
      return { summary, events, retired: ids };
    },
    audit: (v) =>
      auditBy(PORTAL_ACTOR, {
        action: 'registration.withdraw',
        targetType: 'registration',
        targetId: v.summary.id,
        outcome: 'success',
        details: { retiredCameras: v.retired },
      }),
    event: (v) => v.events,
  });
  return value.summary;
}

/**
 * Sends a fresh link to manage each confirmed registration of an address. Says nothing of
 * whether there was one: the page answers the same either way.
 */
export async function sendManageLinks(ctx: ServerContext, email: string): Promise<number> {
  const ids = await confirmedByEmail(ctx.store, email);
  for (const id of ids) {
    const link = newLinkToken();
    await ctx.record({
      apply: async ({ tx, at }) => {
        const row = (
          await tx.query<RegistrationRow>(
            `select * from camera_registrations where id = $1 and state = 'confirmed' for update`,
            [id],
          )
        ).rows[0];
        if (!row) return;
        const days = MANAGE_LINK_DAYS;
        await insertLink(
          tx,
          at,
          id,
          'manage',
          link.hash,
          new Date(at.getTime() + days * 24 * HOUR_MS),
        );
        await enqueueMail(
          tx,
          at,
          'registration.manage',
          manageMail(
            await getAgency(tx),
            { email: row.email!, name: row.owner_name! },
            linkUrl(ctx, 'manage', link.token),
            days,
          ),
        );
      },
      audit: auditBy(PORTAL_ACTOR, {
        action: 'registration.link',
        targetType: 'registration',
        targetId: id,
        outcome: 'success',
        details: {},
      }),
      event: null,
    });
  }
  return ids.length;
}

/**
 * An administrator settles a look-alike: `merged` retires the registry's older entry (the
 * owner's confirmed registration stands for it), `distinct` keeps both.
 */
export async function resolveDuplicate(
  ctx: ServerContext,
  actor: Actor,
  registrationId: string,
  cameraId: string,
  resolution: 'merged' | 'distinct',
): Promise<RegistrationSummary> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const res = await tx.query<{
        duplicate_of: string | null;
        duplicate_resolution: string | null;
      }>(
        `select duplicate_of, duplicate_resolution from registration_cameras
         where registration_id = $1 and camera_id = $2 for update`,
        [registrationId, cameraId],
      );
      const link = res.rows[0];
      if (!link || link.duplicate_of === null) {
        throw new HttpError(404, 'That camera of that registration has no duplicate to settle.');
      }
      if (link.duplicate_resolution !== null) {
        throw new HttpError(
          409,
          `This duplicate was already settled (${link.duplicate_resolution}).`,
        );
      }
      const events: CatalogEvent[] = [];
      if (resolution === 'merged') {
        const older = await findCamera(tx, link.duplicate_of);
        if (older?.status === 'active') events.push(await retireRegistered(tx, at, older.id));
      }
      await tx.query(
        `update registration_cameras set duplicate_resolution = $3, resolved_by = $4,
           resolved_at = $5 where registration_id = $1 and camera_id = $2`,
        [registrationId, cameraId, resolution, actor.id, at.toISOString()],
      );
      const summary = (await registrationSummary(tx, registrationId))!;
      events.push({ type: 'registration.updated', payload: { registration: summary } });
      return { summary, events, older: link.duplicate_of };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'registration.duplicate.resolve',
        targetType: 'registration',
        targetId: registrationId,
        outcome: 'success',
        details: { camera: cameraId, duplicateOf: v.older, resolution },
      }),
    event: (v) => v.events,
  });
  return value.summary;
}

/** Deletes registrations whose confirmation lapsed (a background sweep). */
export async function expireUnconfirmed(ctx: ServerContext): Promise<number> {
  return deleteUnconfirmed(ctx.store, new Date(ctx.clock.now() - CONFIRM_LINK_HOURS * HOUR_MS));
}
