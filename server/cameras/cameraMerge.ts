import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { distanceMeters } from '../../shared/geo';
import { DUPLICATE_FLAG_DISTANCE_M, ownersAlike } from '../../shared/domain/cameraAdmin';
import type { DuplicatePair, MergeResult } from '../../shared/api/cameraAdmin';
import { cameraFromRow, PUBLIC_CAMERA_COLUMNS, type CameraRow } from './cameraRows';
import { findCamera, lockCamera } from './cameraRepository';
import { revocationEvents, revokeAllGrantsOfCamera } from './grantRevocation';

/**
 * Duplicates in the registry (docs/cameras-admin.md, "Merging duplicates"): two active entries
 * with owners, at nearly one place, whose owners' names are alike, are flagged; an admin picks the
 * survivor and the other is merged into it.
 */

/** Degrees that surely cover DUPLICATE_FLAG_DISTANCE_M at any latitude the registry serves. */
const BOX_LAT_DEG = 0.0005;
const BOX_LNG_DEG = 0.0008;
const MAX_PAIRS = 500;

interface PairRow {
  readonly a_id: string;
  readonly b_id: string;
  readonly a_owner: string;
  readonly b_owner: string;
}

/**
 * The flagged pairs. The owners' names decide the flag but are not in the answer: the list says
 * only that they are alike.
 */
export async function findDuplicatePairs(db: Queryable): Promise<DuplicatePair[]> {
  const res = await db.query<PairRow>(
    `select a.id as a_id, b.id as b_id, oa.name as a_owner, ob.name as b_owner
     from cameras a
     join camera_owner_contacts oa on oa.camera_id = a.id
     join cameras b on b.location <@ box(point(a.lng - $1, a.lat - $2), point(a.lng + $1, a.lat + $2))
       and a.id < b.id
     join camera_owner_contacts ob on ob.camera_id = b.id
     where a.status = 'active' and b.status = 'active'
       and a.kind <> 'agency' and b.kind <> 'agency'
     order by a.id, b.id
     limit $3`,
    [BOX_LNG_DEG, BOX_LAT_DEG, MAX_PAIRS * 4],
  );
  const pairs: DuplicatePair[] = [];
  for (const r of res.rows) {
    if (!ownersAlike(r.a_owner, r.b_owner)) continue;
    const [a, b] = await Promise.all([findCamera(db, r.a_id), findCamera(db, r.b_id)]);
    if (!a || !b) continue;
    const distanceM = distanceMeters(a, b);
    if (distanceM > DUPLICATE_FLAG_DISTANCE_M) continue;
    pairs.push({
      a: cameraFromRow(a),
      b: cameraFromRow(b),
      distanceM: Math.round(distanceM * 10) / 10,
      reason: `${Math.round(distanceM)} m apart, owners' names alike`,
    });
    if (pairs.length >= MAX_PAIRS) break;
  }
  return pairs;
}

async function moved(tx: Queryable, sql: string, params: unknown[]): Promise<number> {
  return (await tx.query(sql, params)).rowCount;
}

/**
 * Moves what points at the duplicate to the survivor: the views (grants), the footage fetched
 * from it (evidence files, and so the officers' links to them), the tracked subject it is, the pulls it was
 * a candidate in (where the survivor was not one already), and the wall layouts showing it.
 */
async function moveLinks(tx: Queryable, from: string, to: string): Promise<Record<string, number>> {
  const p = [from, to];
  const views = await moved(tx, 'update camera_grants set camera_id = $2 where camera_id = $1', p);
  const evidence = await moved(
    tx,
    'update evidence_files set camera_id = $2 where camera_id = $1',
    p,
  );
  const tracks = await moved(
    tx,
    'update track_subjects set camera_id = $2 where camera_id = $1',
    p,
  );
  // A pull's candidate row is keyed by camera: copied to the survivor, its outcomes repointed,
  // then the old row removed. Pulls listing both keep both rows as they were selected.
  const pulls = await tx.query<{ pull_id: string }>(
    `insert into pull_candidates (pull_id, camera_id, kind, name, lat, lng, address, distance_m,
       action, action_note, has_owner_contact, rank, in_radius, outcome, outcome_at, outcome_by)
     select pull_id, $2::text, kind, name, lat, lng, address, distance_m, action, action_note,
       has_owner_contact, rank, in_radius, outcome, outcome_at, outcome_by
     from pull_candidates c where camera_id = $1
       and not exists (select 1 from pull_candidates s where s.pull_id = c.pull_id and s.camera_id = $2::text)
     returning pull_id`,
    p,
  );
  const pullIds = pulls.rows.map((r) => r.pull_id);
  if (pullIds.length > 0) {
    await tx.query(
      'update pull_candidate_outcomes set camera_id = $2 where camera_id = $1 and pull_id = any($3)',
      [from, to, pullIds],
    );
    await tx.query('delete from pull_candidates where camera_id = $1 and pull_id = any($2)', [
      from,
      pullIds,
    ]);
  }
  let layouts = 0;
  for (const table of ['wall_layouts', 'center_layouts']) {
    layouts += await moved(
      tx,
      `update ${table} set layout = replace(layout::text, $1::text, $2::text)::jsonb
       where strpos(layout::text, $1::text) > 0`,
      p,
    );
  }
  // The survivor keeps its own contact; it takes the duplicate's only when it has none.
  const contact = await moved(
    tx,
    `insert into camera_owner_contacts (camera_id, name, phone, email, updated_at)
     select $2::text, name, phone, email, updated_at from camera_owner_contacts where camera_id = $1::text
     on conflict (camera_id) do nothing`,
    p,
  );
  if (contact > 0)
    await tx.query('update cameras set has_owner_contact = true where id = $1', [to]);
  return {
    views,
    evidence,
    tracks,
    pullCandidates: pullIds.length,
    layouts,
    ownerContact: contact,
  };
}

async function requireActiveCamera(tx: Queryable, id: string): Promise<CameraRow> {
  const row = await lockCamera(tx, id);
  if (!row) throw new HttpError(404, `No camera ${id}.`);
  if (row.status === 'retired')
    throw new HttpError(409, `Camera "${row.name}" is retired: it cannot be merged.`);
  return row;
}

/** Merges the duplicate into the survivor; the duplicate is retired and points at the survivor. */
export async function mergeCameras(
  ctx: ServerContext,
  survivorId: string,
  duplicateId: string,
  actor: Actor,
): Promise<MergeResult> {
  if (survivorId === duplicateId)
    throw new HttpError(409, 'A camera cannot be merged into itself.', [
      { path: 'body.duplicateId', message: 'name the other entry' },
    ]);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      // Locked in id order, so two merges of one pair cannot wait on each other.
      const [first, second] = [survivorId, duplicateId].sort();
      const rows = new Map<string, CameraRow>();
      for (const id of [first!, second!]) rows.set(id, await requireActiveCamera(tx, id));
      const dup = rows.get(duplicateId)!;
      const revoked = await revokeAllGrantsOfCamera(
        tx,
        at,
        duplicateId,
        'This camera was merged into another registry entry.',
      );
      const movedCounts = await moveLinks(tx, duplicateId, survivorId);
      await tx.query(
        `update cameras set status = 'retired', retired_at = $2, updated_at = $2, merged_into = $3
         where id = $1`,
        [duplicateId, at.toISOString(), survivorId],
      );
      await tx.query('update cameras set updated_at = $2 where id = $1', [
        survivorId,
        at.toISOString(),
      ]);
      const res = await tx.query<CameraRow>(
        `select ${PUBLIC_CAMERA_COLUMNS} from cameras where id = any($1)`,
        [[survivorId, duplicateId]],
      );
      const byId = new Map(res.rows.map((r) => [r.id, cameraFromRow(r)]));
      return {
        survivor: byId.get(survivorId)!,
        retired: byId.get(duplicateId)!,
        moved: movedCounts,
        revoked,
        dupName: dup.name,
      };
    },
    audit: (o) =>
      auditBy(actor, {
        action: 'camera.merge',
        targetType: 'camera',
        targetId: survivorId,
        outcome: 'success',
        details: {
          survivor: { id: survivorId, name: o.survivor.name },
          retired: { id: duplicateId, name: o.dupName },
          moved: o.moved,
          revokedGrants: o.revoked.map((r) => r.grantId),
          diff: {
            [`${duplicateId}.status`]: { before: 'active', after: 'retired' },
            [`${duplicateId}.mergedInto`]: { before: null, after: survivorId },
          },
        },
      }),
    event: (o) => [
      ...revocationEvents(o.revoked),
      { type: 'camera.retired', payload: { camera: o.retired } },
      { type: 'camera.updated', payload: { camera: o.survivor, changed: ['merged'] } },
    ],
  });
  return { survivor: value.survivor, retired: value.retired, moved: value.moved };
}
