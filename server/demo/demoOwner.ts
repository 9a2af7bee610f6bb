import type { ServerContext } from '../context';
import { auditBy, SYSTEM_ACTOR } from '../audit/actor';

/**
 * The demo's camera owner (synthetic): three of the demo's integrated cameras share one owner's
 * address, so that the owners' pages can be tried with the demo's mail catcher (docs/owners.md).
 * Two of the policies are kept by the owner, one by the agency (shown read-only to the owner).
 */
export const DEMO_OWNER_EMAIL = 'demo.owner@example.test';

/** The demo cameras' own owner addresses that become the demo owner's, and who keeps each policy. */
const DEMO_OWNER_CAMERAS: readonly { readonly was: string; readonly keeper: 'owner' | 'agency' }[] =
  [
    { was: 'camera1@example.test', keeper: 'owner' },
    { was: 'camera5@example.test', keeper: 'owner' },
    { was: 'camera7@example.test', keeper: 'agency' },
  ];

/** Gives the demo owner their cameras once; a site that has them already is left alone. */
export async function ensureDemoOwner(ctx: ServerContext): Promise<boolean> {
  const done = await ctx.store.query('select 1 from camera_owner_contacts where email = $1', [
    DEMO_OWNER_EMAIL,
  ]);
  if (done.rows.length > 0) return false;
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const moved: string[] = [];
      for (const c of DEMO_OWNER_CAMERAS) {
        const res = await tx.query<{ camera_id: string }>(
          `update camera_owner_contacts o set email = $2, name = 'Demo Owner (synthetic)',
             updated_at = $3
           from cameras c
           where c.id = o.camera_id and c.kind = 'integrated' and o.email = $1
           returning o.camera_id`,
          [c.was, DEMO_OWNER_EMAIL, at.toISOString()],
        );
        for (const r of res.rows) {
          await tx.query('update cameras set policy_keeper = $2 where id = $1', [
            r.camera_id,
            c.keeper,
          ]);
          moved.push(r.camera_id);
        }
      }
      return moved;
    },
    audit: (moved) =>
      auditBy(SYSTEM_ACTOR, {
        action: 'demo.seed',
        outcome: 'success',
        details: { demoOwnerCameras: moved },
      }),
    event: null,
  });
  return value.length > 0;
}
