import type { ServerEvent } from '../../shared/api/events';
import { eventAdmits } from '../../shared/api/eventCatalog';
import { ROLE_PERMISSIONS } from '../../shared/domain/roles';
import type { Principal } from '../auth/principal';

/**
 * What a signed-in session may receive: each event type's audience (shared/api/eventCatalog.ts)
 * decides, for live delivery and for every replay alike.
 */
export function admitFor(principal: Principal): (event: ServerEvent) => boolean {
  const viewer = {
    userId: principal.userId,
    permissions: new Set(ROLE_PERMISSIONS[principal.role]),
  };
  return (event) => eventAdmits(event, viewer);
}
