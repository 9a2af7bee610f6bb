import type { ServerContext } from '../context';
import { auditBy } from '../audit/actor';
import { getAgency } from '../agency/agencyRepository';
import { VIEW_REASON_LABELS, ViewReasonCodeSchema } from '../../shared/domain/reasons';
import { camerasOfOwner, viewsOfCameras } from './ownerRepository';
import { ownerActor, type OwnerSession } from './ownerChanges';

/**
 * Who at the center viewed an owner's cameras (docs/owners.md): when, for how long, why and
 * for which case, read from the audit trail's view records and their grants. The analyst's name
 * only when the agency chooses to show it (`portal.showViewerNames`).
 */
export interface OwnerView {
  readonly at: string;
  readonly cameraName: string;
  readonly access: string;
  readonly reason: string;
  readonly reference: string | null;
  /** How long the view lasted; null while it goes on, or when its grant is no longer kept. */
  readonly durationMs: number | null;
  readonly ongoing: boolean;
  /** The analyst, only when the agency shows names; otherwise null. */
  readonly viewer: string | null;
}

const ms = (v: Date | string) => new Date(v).getTime();

export async function ownerViews(ctx: ServerContext, session: OwnerSession): Promise<OwnerView[]> {
  const agency = await getAgency(ctx.store);
  const cameras = await camerasOfOwner(ctx.store, session.email);
  const rows = await viewsOfCameras(
    ctx.store,
    cameras.map((c) => c.id),
  );
  const now = ctx.clock.now();
  const views = rows.map((r): OwnerView => {
    const code = ViewReasonCodeSchema.safeParse(r.reason);
    const end =
      r.revoked_at !== null ? ms(r.revoked_at) : r.expires_at !== null ? ms(r.expires_at) : null;
    const ongoing = r.revoked_at === null && end !== null && end > now;
    return {
      at: new Date(r.at).toISOString(),
      cameraName: r.camera_name ?? 'a camera',
      access: r.access ?? 'live',
      reason: code.success ? VIEW_REASON_LABELS[code.data] : 'Not recorded',
      reference: r.reference,
      durationMs: r.issued_at === null || end === null || ongoing ? null : end - ms(r.issued_at),
      ongoing,
      viewer: agency.portal.showViewerNames ? r.viewer : null,
    };
  });
  // The owner read the center's case numbers: that is in the trail too.
  await ctx.record({
    audit: auditBy(ownerActor(session.accountId), {
      action: 'owner.views.read',
      targetType: 'owner',
      targetId: session.accountId,
      outcome: 'success',
      details: { views: views.length, names: agency.portal.showViewerNames },
    }),
    event: null,
  });
  return views;
}
