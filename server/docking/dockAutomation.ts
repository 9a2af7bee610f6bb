import type { Queryable } from '../store/store';
import { listSignedIn } from '../auth/sessions';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { Incident } from '../../shared/domain/incidents';
import { roleHas, type Role } from '../../shared/domain/roles';
import type { DockRule, DockTarget } from '../../shared/domain/docking';
import { alertRuleFor, incidentRuleFor } from '../../shared/docking/dockRules';
import type { Alert } from '../../shared/domain/alerts';
import { alertTarget, incidentTarget } from './dockTargets';

/**
 * Following the queue: signed in now (a session seen within the idle limit) with a role that
 * works incidents and views video. Those analysts' consoles dock what the rules say.
 */
export function followsQueue(role: Role): boolean {
  return roleHas(role, 'incidents.work') && roleHas(role, 'streams.view');
}

export async function queueFollowers(db: Queryable, at: Date, idleMs: number): Promise<string[]> {
  const rows = await listSignedIn(db, at, idleMs);
  return rows.filter((r) => followsQueue(r.role as Role)).map((r) => r.user_id);
}

/**
 * The `docking.requested` event for a target a rule matched, committed with the change that
 * made it (so the acknowledgement of the ingest means the consoles will hear of it), or null
 * when no rule matched or nobody follows the queue.
 */
export async function dockingRequest(
  db: Queryable,
  target: DockTarget,
  rule: DockRule | null,
  at: Date,
  idleMs: number,
): Promise<CatalogEvent | null> {
  if (!rule) return null;
  const userIds = await queueFollowers(db, at, idleMs);
  if (userIds.length === 0) return null;
  return {
    type: 'docking.requested',
    payload: {
      target,
      rule: rule.name,
      preset: rule.preset,
      userIds,
      requestedAt: at.toISOString(),
    },
  };
}

/** An incident that has just opened: docked by the first rule that matches it, if any. */
export function incidentDockingRequest(
  db: Queryable,
  agency: AgencyConfig,
  incident: Incident,
  at: Date,
  idleMs: number,
): Promise<CatalogEvent | null> {
  const rule = incidentRuleFor(agency.docking.rules, incident);
  if (!rule) return Promise.resolve(null);
  return dockingRequest(db, incidentTarget(incident), rule, at, idleMs);
}

/** What an alert is tagged with for the rules: an LPR hit's hot list, a gunshot's type. */
export function alertTags(alert: Alert): string[] {
  switch (alert.kind) {
    case 'lpr':
      return [alert.details.hotList];
    case 'gunshot':
      return [alert.details.type];
    case 'zone':
      return [alert.details.zoneName];
    case 'cap':
      return [alert.details.event];
  }
}

/**
 * An alert that has just been raised and announced: docked by the first rule that matches it.
 * One kept but not announced (outside the jurisdiction, received late) docks nothing.
 */
export function alertDockingRequest(
  db: Queryable,
  agency: AgencyConfig,
  alert: Alert,
  at: Date,
  idleMs: number,
): Promise<CatalogEvent | null> {
  if (alert.position === null || alert.outsideJurisdiction || alert.late) {
    return Promise.resolve(null);
  }
  const rule = alertRuleFor(agency.docking.rules, { kind: alert.kind, tags: alertTags(alert) });
  if (!rule) return Promise.resolve(null);
  return dockingRequest(db, alertTarget(alert), rule, at, idleMs);
}
