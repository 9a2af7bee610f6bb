import type { Queryable } from '../store/store';
import type { IncidentCameraView } from '../../shared/api/incidents';

interface ViewRow {
  at: Date | string;
  camera_id: string;
  camera_name: string | null;
  viewer: string | null;
  reason: string | null;
  access: string | null;
}

/** At most this many views are listed for one reference, the newest. */
const VIEWS_LISTED = 500;

/**
 * The camera views granted for a case or incident: the audit trail's grants whose reason gave
 * its number as the reference (typed by a person, so compared without case). The trail is the
 * record of who viewed what and why; nothing else keeps it. The expression and the condition
 * are those of the index audit_log_grant_reference (migration 0013): change them together.
 */
export async function cameraViewsNaming(
  db: Queryable,
  reference: string,
): Promise<IncidentCameraView[]> {
  const res = await db.query<ViewRow>(
    `select * from (
       select a.id, a.at, a.target_id as camera_id, c.name as camera_name, a.actor_name as viewer,
         a.details->'reason'->>'code' as reason, a.details->>'access' as access
       from audit_log a left join cameras c on c.id = a.target_id
       where a.action = 'stream.grant' and a.outcome = 'success' and a.target_type = 'camera'
         and upper(a.details->'reason'->>'reference') = upper($1)
       order by a.id desc limit ${VIEWS_LISTED}
     ) v order by v.id`,
    [reference],
  );
  return res.rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    cameraId: r.camera_id,
    cameraName: r.camera_name,
    viewer: r.viewer,
    reason: r.reason ?? 'unknown',
    access: r.access,
  }));
}
