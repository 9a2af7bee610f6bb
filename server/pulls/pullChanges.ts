import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, actorOfPrincipal, type Actor } from '../audit/actor';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { findIncident } from '../incidents/incidentRepository';
import { findUserById } from '../users/userRepository';
import { revealOwnerContact } from '../cameras/ownerContact';
import type { NewPull, PullPatch, RequesterInput } from '../../shared/api/pulls';
import type { OwnerContact } from '../../shared/domain/cameras';
import {
  MAX_PULL_WINDOW_MS,
  OPEN_PULL_STATUSES,
  DEFAULT_PULL_RADIUS_M,
  type CandidateOutcome,
  type Pull,
  type PullCandidate,
  type PullDetail,
} from '../../shared/domain/pulls';
import { CaseReferenceSchema, type ViewReason } from '../../shared/domain/reasons';
import { roleHas } from '../../shared/domain/roles';
import { selectCandidates } from './pullCandidates';
import {
  fieldsOf,
  findCandidate,
  findPull,
  insertPull,
  pullDetail,
  setCandidateOutcome,
  storeCandidates,
  touchPull,
  updatePull,
  type PullFields,
} from './pullRepository';

/**
 * Every change to a camera pull: logged, changed, fulfilled, closed, a candidate's outcome. The
 * audit actions are counted by name by the shift log and the metrics, and each names the case,
 * the incident and the time of the request.
 */

const fieldError = (field: string, message: string) =>
  new HttpError(400, `${field}: ${message}`, [{ path: `body.${field}`, message }]);

/** What every pull audit entry says, so that the record can be counted by case and request. */
const pullDetails = (p: Pull) => ({
  pullId: p.id,
  number: p.number,
  caseNumber: p.caseNumber,
  incidentId: p.incidentId,
  requestedAt: p.requestedAt,
});

/** The officer's account, which must be an officer's: they read their pulls in the console. */
async function checkRequester(tx: Queryable, r: RequesterInput | undefined): Promise<void> {
  if (r?.userId === undefined) return;
  const user = await findUserById(tx, r.userId);
  if (!user || user.disabled) throw fieldError('requester.userId', 'there is no such account');
  if (user.role !== 'officer') {
    throw fieldError('requester.userId', `the account is a ${user.role}'s, not an officer's`);
  }
}

async function checkAssignee(tx: Queryable, userId: string): Promise<void> {
  const user = await findUserById(tx, userId);
  if (!user || user.disabled) throw fieldError('assignedTo', 'there is no such account');
  if (!roleHas(user.role, 'pulls.work')) {
    throw fieldError('assignedTo', `a ${user.role} does not work camera pulls`);
  }
}

async function checkIncident(tx: Queryable, id: string | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await findIncident(tx, id))) throw fieldError('incidentId', 'there is no such incident');
}

/** A pull asks for footage already recorded, of at most one day, asked for before now. */
function checkTimes(f: PullFields, now: number): void {
  const start = Date.parse(f.windowStart);
  const end = Date.parse(f.windowEnd);
  if (end <= start) throw fieldError('windowEnd', 'the window ends after it starts');
  if (end - start > MAX_PULL_WINDOW_MS) {
    throw fieldError('windowEnd', `a window is at most ${MAX_PULL_WINDOW_MS / 3_600_000} hours`);
  }
  if (end > now) {
    throw fieldError('windowEnd', 'the window ends in the future: a pull is for footage recorded');
  }
  if (Date.parse(f.requestedAt) > now) {
    throw fieldError('requestedAt', 'the request time is in the future');
  }
}

const requesterFields = (r: RequesterInput) => ({
  requesterName: r.name ?? null,
  requesterBadge: r.badge ?? null,
  requesterUnit: r.unit ?? null,
  requesterUserId: r.userId ?? null,
});

async function candidatesFor(tx: Queryable, f: PullFields, now: number) {
  const { timeZone } = await getAgency(tx);
  return selectCandidates(
    tx,
    {
      position: { lat: f.lat, lon: f.lng },
      radiusM: f.radiusM,
      windowStart: Date.parse(f.windowStart),
      windowEnd: Date.parse(f.windowEnd),
    },
    timeZone,
    now,
  );
}

async function detailOf(tx: Queryable, id: string): Promise<PullDetail> {
  const detail = await pullDetail(tx, id);
  if (!detail) throw new HttpError(404, 'There is no such camera pull.');
  return detail;
}

async function existing(tx: Queryable, id: string): Promise<Pull> {
  const pull = await findPull(tx, id, { forUpdate: true });
  if (!pull) throw new HttpError(404, 'There is no such camera pull.');
  return pull;
}

/** Logs an officer's request and selects its candidate cameras, in one change. */
export async function createPull(
  ctx: ServerContext,
  input: NewPull,
  actor: Actor,
): Promise<PullDetail> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const fields: PullFields = {
        ...requesterFields(input.requester),
        caseNumber: input.caseNumber ?? null,
        incidentId: input.incidentId ?? null,
        lat: input.position.lat,
        lng: input.position.lon,
        address: input.address ?? null,
        radiusM: input.radiusM ?? DEFAULT_PULL_RADIUS_M,
        windowStart: new Date(input.windowStart).toISOString(),
        windowEnd: new Date(input.windowEnd).toISOString(),
        lookFor: input.lookFor,
        urgency: input.urgency,
        status: 'open',
        assignedTo: input.assignedTo ?? actor.id ?? '',
        requestedAt: new Date(input.requestedAt ?? at).toISOString(),
        closedAt: null,
        closingNote: null,
      };
      checkTimes(fields, at.getTime());
      await checkRequester(tx, input.requester);
      await checkAssignee(tx, fields.assignedTo);
      await checkIncident(tx, fields.incidentId);
      const id = randomUUID();
      await insertPull(tx, { id, fields, loggedBy: actor.id, loggedByName: actor.name, at });
      await storeCandidates(tx, id, await candidatesFor(tx, fields, at.getTime()));
      return detailOf(tx, id);
    },
    audit: ({ pull }) =>
      auditBy(actor, {
        action: 'pull.create',
        targetType: 'pull',
        targetId: pull.id,
        outcome: 'success',
        details: {
          ...pullDetails(pull),
          urgency: pull.urgency,
          assignedTo: pull.assignedTo.id,
          radiusM: pull.radiusM,
          candidates: pull.counts.total,
        },
      }),
    event: ({ pull }) => ({ type: 'pull.logged', payload: { pull } }),
  });
  return value;
}

const MOVES: readonly (keyof PullFields)[] = ['lat', 'lng', 'radiusM', 'windowStart', 'windowEnd'];

/** The fields after a patch: what it names changes, the rest stays. */
function patched(prev: PullFields, patch: PullPatch): PullFields {
  const reopened = patch.status !== undefined && !OPEN_PULL_STATUSES.includes(prev.status);
  return {
    ...prev,
    ...(patch.requester ? requesterFields(patch.requester) : {}),
    ...(patch.caseNumber !== undefined ? { caseNumber: patch.caseNumber } : {}),
    ...(patch.incidentId !== undefined ? { incidentId: patch.incidentId } : {}),
    ...(patch.position ? { lat: patch.position.lat, lng: patch.position.lon } : {}),
    ...(patch.address !== undefined ? { address: patch.address } : {}),
    ...(patch.radiusM !== undefined ? { radiusM: patch.radiusM } : {}),
    ...(patch.windowStart ? { windowStart: new Date(patch.windowStart).toISOString() } : {}),
    ...(patch.windowEnd ? { windowEnd: new Date(patch.windowEnd).toISOString() } : {}),
    ...(patch.lookFor !== undefined ? { lookFor: patch.lookFor } : {}),
    ...(patch.urgency !== undefined ? { urgency: patch.urgency } : {}),
    ...(patch.assignedTo !== undefined ? { assignedTo: patch.assignedTo } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(reopened ? { closedAt: null, closingNote: null } : {}),
  };
}

/**
 * Changes a pull. A moved location, radius or window selects the candidates again: cameras
 * already worked keep their outcomes (docs/pulls.md). A fulfilled or closed pull changes only
 * when the same change opens it again.
 */
export async function changePull(
  ctx: ServerContext,
  id: string,
  patch: PullPatch,
  actor: Actor,
): Promise<PullDetail> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await existing(tx, id);
      if (!OPEN_PULL_STATUSES.includes(before.status) && patch.status === undefined) {
        throw new HttpError(
          409,
          `${before.number} is ${before.status.replace('_', ' ')}: open it again (status) to change it.`,
        );
      }
      const prev = fieldsOf(before);
      const next = patched(prev, patch);
      if (patch.caseNumber === null && next.incidentId === null) {
        throw fieldError('caseNumber', 'a pull names a case number, an incident or both');
      }
      if (patch.incidentId === null && next.caseNumber === null) {
        throw fieldError('incidentId', 'a pull names a case number, an incident or both');
      }
      checkTimes(next, at.getTime());
      await checkRequester(tx, patch.requester);
      if (patch.assignedTo !== undefined) await checkAssignee(tx, patch.assignedTo);
      if (patch.incidentId !== undefined) await checkIncident(tx, patch.incidentId);
      const changed = (Object.keys(next) as (keyof PullFields)[]).filter(
        (k) => next[k] !== prev[k],
      );
      if (changed.length === 0) return { detail: await detailOf(tx, id), changed };
      await updatePull(tx, id, next, at);
      const moved = changed.some((k) => MOVES.includes(k));
      if (moved) await storeCandidates(tx, id, await candidatesFor(tx, next, at.getTime()));
      return {
        detail: await detailOf(tx, id),
        changed: moved ? [...changed, 'candidates'] : changed,
      };
    },
    audit: ({ detail, changed }) =>
      auditBy(actor, {
        action: 'pull.update',
        targetType: 'pull',
        targetId: id,
        outcome: 'success',
        details: { ...pullDetails(detail.pull), changed },
      }),
    event: ({ detail, changed }) =>
      changed.length === 0
        ? null
        : { type: 'pull.updated', payload: { pull: detail.pull, changed } },
  });
  return value.detail;
}

/** Fulfils (the footage is in hand) or closes unfulfilled (saying why) an open pull. */
async function finishPull(
  ctx: ServerContext,
  id: string,
  how: 'fulfilled' | 'closed_unfulfilled',
  note: string | null,
  actor: Actor,
): Promise<Pull> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await existing(tx, id);
      if (!OPEN_PULL_STATUSES.includes(before.status)) {
        throw new HttpError(409, `${before.number} is already ${before.status.replace('_', ' ')}.`);
      }
      await updatePull(
        tx,
        id,
        { ...fieldsOf(before), status: how, closedAt: at.toISOString(), closingNote: note },
        at,
      );
      return (await findPull(tx, id))!;
    },
    audit: (pull) =>
      auditBy(actor, {
        action: how === 'fulfilled' ? 'pull.fulfil' : 'pull.close',
        targetType: 'pull',
        targetId: id,
        outcome: 'success',
        details: {
          ...pullDetails(pull),
          footageObtained: pull.counts.footageObtained,
          ...(note ? { note } : {}),
        },
      }),
    event: (pull) => ({ type: 'pull.updated', payload: { pull, changed: ['status'] } }),
  });
  return value;
}

export const fulfilPull = (ctx: ServerContext, id: string, note: string | null, actor: Actor) =>
  finishPull(ctx, id, 'fulfilled', note, actor);

export const closePull = (ctx: ServerContext, id: string, note: string, actor: Actor) =>
  finishPull(ctx, id, 'closed_unfulfilled', note, actor);

/**
 * Records what came of one candidate camera, with who and when, kept in its history. The first
 * outcome recorded on an open pull puts it in progress.
 */
export async function recordOutcome(
  ctx: ServerContext,
  pullId: string,
  cameraId: string,
  outcome: CandidateOutcome,
  note: string | null,
  actor: Actor,
): Promise<PullCandidate> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const before = await existing(tx, pullId);
      const prior = await findCandidate(tx, pullId, cameraId);
      if (!prior) throw new HttpError(404, `That camera is not a candidate of ${before.number}.`);
      await setCandidateOutcome(tx, {
        pullId,
        cameraId,
        outcome,
        note,
        at,
        byId: actor.id,
        byName: actor.name,
      });
      if (before.status === 'open' && outcome !== 'not_contacted') {
        await updatePull(tx, pullId, { ...fieldsOf(before), status: 'in_progress' }, at);
      } else {
        await touchPull(tx, pullId, at);
      }
      return {
        pull: (await findPull(tx, pullId))!,
        candidate: (await findCandidate(tx, pullId, cameraId))!,
        from: prior.outcome,
      };
    },
    audit: ({ pull, from }) =>
      auditBy(actor, {
        action: 'pull.candidate.outcome',
        targetType: 'pull',
        targetId: pullId,
        outcome: 'success',
        details: { ...pullDetails(pull), cameraId, from, to: outcome, ...(note ? { note } : {}) },
      }),
    event: ({ pull, candidate }) => ({
      type: 'pull.candidateChanged',
      payload: { pull, candidate },
    }),
  });
  return value.candidate;
}

/**
 * Footage kept for a pull must be kept with the pull's own case: an unknown pull is 404, a pull of
 * another case (or of none yet) 409, before anything is fetched or stored.
 */
export async function requirePullOfCase(
  db: Queryable,
  pullId: string,
  caseNumber: string,
): Promise<void> {
  const pull = await findPull(db, pullId);
  if (!pull) throw new HttpError(404, 'There is no such pull.');
  if (pull.caseNumber !== caseNumber) {
    throw new HttpError(
      409,
      pull.caseNumber
        ? `${pull.number} belongs to case ${pull.caseNumber}, not ${caseNumber}.`
        : `${pull.number} has no case yet: give it one before keeping footage for it.`,
    );
  }
}

/**
 * Footage of a candidate was fetched for the pull (docs/evidence.md): the candidate's outcome
 * becomes "footage obtained", noting the file's SHA-256, unless it already says so. A camera that
 * is not a candidate of the pull changes nothing.
 */
export async function noteFootageFetched(
  ctx: ServerContext,
  pullId: string,
  file: { readonly cameraId: string; readonly sha256: string },
  actor: Actor,
): Promise<void> {
  const candidate = await findCandidate(ctx.store, pullId, file.cameraId);
  if (!candidate || candidate.outcome === 'footage_obtained') return;
  await recordOutcome(
    ctx,
    pullId,
    file.cameraId,
    'footage_obtained',
    `fetched, SHA-256 ${file.sha256.slice(0, 12)}…`,
    actor,
  );
}

/** The reference a reveal for this pull names: its case, else its incident, else its own number. */
function referenceOf(pull: Pull): string {
  if (pull.caseNumber) return pull.caseNumber;
  const incident = CaseReferenceSchema.safeParse(pull.incidentNumber ?? '');
  return incident.success ? incident.data : pull.number;
}

/**
 * Reveals a candidate camera owner's contact through the registry's one audited reveal, with the
 * pull as the reason (camera_pull, its case or number as the reference).
 */
export async function revealCandidateOwner(
  ctx: ServerContext,
  who: Principal,
  pullId: string,
  cameraId: string,
): Promise<OwnerContact> {
  if (!roleHas(who.role, 'cameras.owner_contact')) {
    await ctx.record({
      audit: auditBy(actorOfPrincipal(who), {
        action: 'permission.denied',
        targetType: 'camera',
        targetId: cameraId,
        outcome: 'denied',
        details: { permission: 'cameras.owner_contact', role: who.role, pullId },
      }),
      event: null,
    });
    throw new HttpError(
      403,
      `Your role (${who.role}) does not allow this: it needs cameras.owner_contact.`,
    );
  }
  const pull = await findPull(ctx.store, pullId);
  if (!pull) throw new HttpError(404, 'There is no such camera pull.');
  if (!(await findCandidate(ctx.store, pullId, cameraId))) {
    throw new HttpError(404, `That camera is not a candidate of ${pull.number}.`);
  }
  const reason: ViewReason = {
    code: 'camera_pull',
    reference: referenceOf(pull),
    note: `Camera pull ${pull.number}`,
  };
  return revealOwnerContact(ctx, who, cameraId, reason);
}
