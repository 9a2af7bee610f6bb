import type { Queryable } from '../store/store';
import { HttpError } from '../http/errorHandler';
import type { DockTarget, DockTargetKind } from '../../shared/domain/docking';
import type { Incident } from '../../shared/domain/incidents';
import type { Principal } from '../auth/principal';
import { roleHas, type Permission } from '../../shared/domain/roles';
import { findIncident, incidentOf } from '../incidents/incidentRepository';
import { getAlert } from '../alerts/alertRepository';
import type { Alert } from '../../shared/domain/alerts';

/** Turns a record into a dock target: its position, number and a line for the operator. */
type Resolver = (db: Queryable, id: string) => Promise<DockTarget>;

/** Reading a target's record needs its own permission besides viewing video. */
const READ_PERMISSION: Readonly<Record<DockTargetKind, Permission>> = {
  incident: 'incidents.read',
  alert: 'alerts.read',
};

/** The target of an incident; refuses one that has no position yet (the analyst places it). */
export function incidentTarget(i: Incident): DockTarget {
  if (i.position === null) {
    throw new HttpError(
      409,
      `Incident ${i.number} has no position yet: place it on the map, then dock its cameras.`,
    );
  }
  const priority = i.priority === null ? '' : `P${i.priority} `;
  return {
    kind: 'incident',
    id: i.id,
    position: { lat: i.position.lat, lng: i.position.lon },
    reference: i.number,
    label: `${priority}${i.callType.text}, ${i.address ?? 'position only'} (CAD ${i.number})`,
  };
}

/** The target of an alert: where it happened, named by the sender's id for the alert. */
export function alertTarget(a: Alert): DockTarget {
  if (a.position === null) {
    throw new HttpError(
      409,
      `Alert ${a.senderId} has no position: there is nothing to dock around.`,
    );
  }
  return {
    kind: 'alert',
    id: a.id,
    position: { lat: a.position.lat, lng: a.position.lon },
    reference: a.senderId,
    label: `${a.title} (${a.source.name} ${a.senderId})`,
  };
}

const RESOLVERS: Readonly<Record<DockTargetKind, Resolver>> = {
  incident: async (db, id) => {
    const found = await findIncident(db, id);
    if (!found) throw new HttpError(404, 'There is no such incident.');
    return incidentTarget(incidentOf(found));
  },
  alert: async (db, id) => {
    const found = await getAlert(db, id);
    if (!found) throw new HttpError(404, 'There is no such alert.');
    return alertTarget(found);
  },
};

export function resolveDockTarget(
  db: Queryable,
  who: Principal,
  kind: DockTargetKind,
  id: string,
): Promise<DockTarget> {
  const permission = READ_PERMISSION[kind];
  if (!roleHas(who.role, permission)) {
    throw new HttpError(
      403,
      `Your role (${who.role}) does not read ${kind}s: it needs ${permission}.`,
    );
  }
  return RESOLVERS[kind](db, id);
}

/**
 * A record's number as a view reason's reference: reasons take letters, digits and dashes
 * (shared/domain/reasons.ts), CAD numbers may also carry . _ : and /.
 */
export function referenceOf(number: string): string {
  const cleaned = number.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+/, '');
  const padded = cleaned.length >= 3 ? cleaned : `REF-${cleaned}`;
  return padded.slice(0, 40);
}
