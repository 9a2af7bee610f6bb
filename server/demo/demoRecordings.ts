import { auditBy, SYSTEM_ACTOR } from '../audit/actor';
import type { ServerContext } from '../context';

/**
 * The demo cameras' recordings sources: every demo camera the simulator serves live, whose owner
 * shares recordings (and every agency camera), gets the simulator's recordings endpoint,
 * `<simulator>/recordings/<slug>.mp4?start={start}&end={end}`. Run at every start, so that a demo
 * site seeded before recordings existed gets them too; a camera that has one keeps it. The
 * simulator serves cameras under `/cameras/` and its emulated PTZ cameras under `/ptz/`.
 */
export async function ensureDemoRecordings(
  ctx: ServerContext,
  simulatorUrl: string,
): Promise<number> {
  const simulator = simulatorUrl.replace(/\/$/, '');
  let added = 0;
  for (const path of ['cameras', 'ptz']) {
    added += await addRecordingsSources(ctx, simulator, `${simulator}/${path}/`);
  }
  return added;
}

/** The recordings sources of the demo cameras whose live source starts with `prefix`. */
async function addRecordingsSources(
  ctx: ServerContext,
  simulator: string,
  prefix: string,
): Promise<number> {
  const missing = await ctx.store.query<{ n: number }>(
    `select count(*)::int as n from camera_sources s join cameras c on c.id = s.camera_id
     where starts_with(s.descriptor->>'url', $1)
       and (c.kind = 'agency' or coalesce((c.sharing->>'recordings')::boolean, false))
       and not exists (select 1 from camera_recording_sources r where r.camera_id = s.camera_id)`,
    [prefix],
  );
  // Nothing to add: nothing changes, so nothing to audit.
  if (Number(missing.rows[0]!.n) === 0) return 0;
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const res = await tx.query<{ camera_id: string }>(
        `with candidates as (
           select s.camera_id, substr(s.descriptor->>'url', length($1) + 1) as file
           from camera_sources s join cameras c on c.id = s.camera_id
           where starts_with(s.descriptor->>'url', $1)
             and (c.kind = 'agency' or coalesce((c.sharing->>'recordings')::boolean, false))
             and not exists (select 1 from camera_recording_sources r where r.camera_id = s.camera_id)
         ), added as (
           insert into camera_recording_sources (camera_id, descriptor, updated_at)
           select camera_id,
             jsonb_build_object('urlTemplate',
               $2 || regexp_replace(file, '\\.ts$', '') || '.mp4?start={start}&end={end}'),
             $3
           from candidates where file ~ '^[a-z0-9-]+\\.ts$'
           returning camera_id
         )
         update cameras set has_recordings = true where id in (select camera_id from added)
         returning id as camera_id`,
        [prefix, `${simulator}/recordings/`, at.toISOString()],
      );
      return res.rows.length;
    },
    audit: (n) =>
      auditBy(SYSTEM_ACTOR, {
        action: 'demo.seed',
        outcome: 'success',
        details: { recordingsSources: n },
      }),
    event: null,
  });
  return value;
}
