import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import type { AgencyConfig } from '../../shared/domain/agency';
import { strictestIdleMinutes } from '../../shared/domain/idleLock';
import { getIdleLockMinutes } from '../agency/agencyRepository';

/**
 * How long a session may sit idle before the server ends it (CJIS 5.5.5): the agency's idle lock
 * (agency settings, at most 30 minutes by its schema), or WF_SESSION_IDLE_MINUTES when the
 * deployment sets it lower. The environment can only make it stricter.
 */
export function sessionIdleMinutesFor(
  ctx: Pick<ServerContext, 'config'>,
  agency: AgencyConfig,
): number {
  return strictestIdleMinutes(ctx.config.sessionIdleMinutes, agency.session.idleLockMinutes);
}

/** The same, read from the database for a request that has not loaded the agency. */
export async function sessionIdleMs(
  ctx: Pick<ServerContext, 'config'>,
  db: Queryable,
): Promise<number> {
  return strictestIdleMinutes(ctx.config.sessionIdleMinutes, await getIdleLockMinutes(db)) * 60_000;
}
