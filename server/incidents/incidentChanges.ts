import { createHash, randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { incidentDockingRequest } from '../docking/dockAutomation';
import { touchIntegration } from '../integrations/integrationRepository';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { AgencyConfig } from '../../shared/domain/agency';
import type {
  IncidentLink,
  IncidentNote,
  IncidentPosition,
  IncidentStatus,
  IncidentUnit,
} from '../../shared/domain/incidents';
import { outsideJurisdiction } from '../../shared/policy/jurisdiction';
import { scheduleStateAt } from '../../shared/policy/weeklySchedule';
import {
  advanceSourceTime,
  appendNarrative,
  findIncident,
  findIncidentByNumberForUpdate,
  incidentOf,
  insertIncident,
  insertLink,
  insertNote,
  insertStatusChange,
  listOpenIncidents,
  touchIncident,
  updateIncident,
  type IncidentRecord,
  type IncidentState,
} from './incidentRepository';
import { sessionIdleMinutesFor } from '../auth/sessionIdle';

/**
 * One incident as a CAD described it, whatever the format it came in (native JSON or EIDO). A
 * field left undefined keeps what Watchfloor already has; narrative lines are appended.
 */
export interface IncidentUpsert {
  readonly number: string;
  readonly callType?: { readonly code: string; readonly text: string };
  readonly priority?: number | null;
  readonly status?: IncidentStatus;
  readonly location?: {
    readonly address: string | null;
    readonly position: IncidentPosition | null;
    readonly radiusM: number | null;
  };
  readonly receivedAt?: string;
  readonly units?: readonly IncidentUnit[];
  readonly narrative: readonly NarrativeInput[];
  /**
   * The sender's time of this state. A post older than the state applied last arrived out of
   * order (a retry, a second connection): its fields are not applied, its narrative still is.
   */
  readonly sourceUpdatedAt?: string;
}

export interface NarrativeInput {
  /** The sender's id for the line, when it has one; else the line is its own key. */
  readonly key?: string;
  readonly at: string;
  readonly author: string;
  readonly text: string;
}

/** Who posted: the integration (its key's owner) as the audit trail names it. */
export interface IngestSource {
  readonly integrationId: string;
  readonly actor: Actor;
  readonly format: 'cad' | 'eido';
  /** The sender's id of the message, when it has one (EIDO). */
  readonly messageId?: string;
}

export interface IngestResult {
  readonly number: string;
  readonly id: string;
  readonly created: boolean;
  readonly changed: boolean;
  readonly stale: boolean;
  readonly outsideJurisdiction: boolean;
  readonly needsPlacement: boolean;
}

const FIELDS: readonly (keyof IncidentState)[] = [
  'callTypeCode',
  'callTypeText',
  'priority',
  'status',
  'address',
  'lat',
  'lng',
  'radiusM',
  'needsPlacement',
  'outsideJurisdiction',
  'worked',
  'units',
  'receivedAt',
  'closedAt',
];

const lineKey = (l: NarrativeInput) =>
  l.key ??
  createHash('sha256')
    .update(JSON.stringify([new Date(l.at).toISOString(), l.author, l.text]))
    .digest('hex');

/** What the incident is after this update: the CAD's fields, and what the agency makes of them. */
function nextState(
  u: IncidentUpsert,
  prev: IncidentRecord | null,
  agency: AgencyConfig,
  at: Date,
): IncidentState {
  const location = u.location ?? {
    address: prev?.address ?? null,
    position:
      prev && prev.lat !== null && prev.lng !== null ? { lat: prev.lat, lon: prev.lng } : null,
    radiusM: prev?.radiusM ?? null,
  };
  const position = location.position;
  const policy = agency.incidents;
  const outside = position !== null && outsideJurisdiction(agency, position);
  const callTypeCode = u.callType?.code ?? prev?.callTypeCode ?? 'UNKNOWN';
  const priority = u.priority !== undefined ? u.priority : (prev?.priority ?? null);
  const followed =
    (priority !== null && policy.workedPriorities.includes(priority)) ||
    policy.workedCallTypes.some((c) => c.toUpperCase() === callTypeCode.toUpperCase());
  const receivedAt = u.receivedAt
    ? new Date(u.receivedAt).toISOString()
    : (prev?.receivedAt ?? at.toISOString());
  // By when the call came in, so that an update after hours does not quiet it again.
  const inHours =
    policy.workedHours.length === 0 ||
    scheduleStateAt(policy.workedHours, Date.parse(receivedAt), agency.timeZone).open;
  const status = u.status ?? prev?.status ?? 'pending';
  const closedAt =
    status !== 'closed' ? null : prev?.status === 'closed' ? prev.closedAt : at.toISOString();
  return {
    callTypeCode,
    callTypeText: u.callType?.text ?? prev?.callTypeText ?? 'Call type not given',
    priority,
    status,
    address: location.address,
    lat: position?.lat ?? null,
    lng: position?.lon ?? null,
    radiusM: position ? location.radiusM : null,
    needsPlacement: position === null,
    outsideJurisdiction: outside,
    worked: followed && inHours && !outside,
    units: u.units ?? prev?.units ?? [],
    receivedAt,
    closedAt,
    sourceUpdatedAt: latest(prev?.sourceUpdatedAt ?? null, u.sourceUpdatedAt ?? null),
  };
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? (b === null ? null : new Date(b).toISOString());
  return Date.parse(b) > Date.parse(a) ? new Date(b).toISOString() : a;
}

const isStale = (u: IncidentUpsert, prev: IncidentRecord | null) =>
  !!prev?.sourceUpdatedAt &&
  u.sourceUpdatedAt !== undefined &&
  Date.parse(u.sourceUpdatedAt) < Date.parse(prev.sourceUpdatedAt);

const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);

interface Applied {
  readonly result: IngestResult;
  readonly events: readonly CatalogEvent[];
}

async function applyUpsert(
  tx: Queryable,
  u: IncidentUpsert,
  agency: AgencyConfig,
  source: IngestSource,
  at: Date,
  idleMs: number,
): Promise<Applied> {
  const prev = await findIncidentByNumberForUpdate(tx, u.number);
  const stale = isStale(u, prev);
  const state = stale ? prev! : nextState(u, prev, agency, at);
  const changedFields = prev ? FIELDS.filter((f) => differs(prev[f], state[f])) : [...FIELDS];
  let record: IncidentRecord | null = prev;
  if (!prev) {
    record = await insertIncident(tx, {
      id: randomUUID(),
      number: u.number,
      integrationId: source.integrationId,
      at,
      state,
    });
  } else if (changedFields.length > 0) {
    record = await updateIncident(tx, {
      id: prev.id,
      integrationId: source.integrationId,
      at,
      state,
    });
  }
  if (!prev || prev.status !== state.status) {
    await insertStatusChange(tx, record!.id, at, state.status);
  }
  const lines = u.narrative.map((l) => ({
    key: lineKey(l),
    at: new Date(l.at).toISOString(),
    author: l.author,
    text: l.text,
  }));
  const added = await appendNarrative(tx, record!.id, lines);
  if (prev && changedFields.length === 0 && added > 0) {
    record = await touchIncident(tx, prev.id, at);
  }
  if (prev && changedFields.length === 0 && state.sourceUpdatedAt !== prev.sourceUpdatedAt) {
    await advanceSourceTime(tx, prev.id, state.sourceUpdatedAt!);
  }
  const incident = incidentOf(record!);
  const changed = !prev || changedFields.length > 0 || added > 0;
  const events: CatalogEvent[] = [];
  if (!prev) {
    events.push(
      state.status === 'closed'
        ? { type: 'incident.closed', payload: { incident } }
        : { type: 'incident.opened', payload: { incident } },
    );
  } else if (changed) {
    const wasClosed = prev.status === 'closed';
    const isClosed = state.status === 'closed';
    if (!wasClosed && isClosed) events.push({ type: 'incident.closed', payload: { incident } });
    else if (wasClosed && !isClosed) {
      events.push({ type: 'incident.opened', payload: { incident } });
    } else {
      const changedNames = [...changedFields, ...(added > 0 ? ['narrative'] : [])];
      events.push({ type: 'incident.updated', payload: { incident, changed: changedNames } });
    }
  }
  // An incident that opens may dock its cameras on the analysts' walls (agency rules).
  if (events.some((e) => e.type === 'incident.opened')) {
    const dock = await incidentDockingRequest(tx, agency, incident, at, idleMs);
    if (dock) events.push(dock);
  }
  return {
    result: {
      number: u.number,
      id: record!.id,
      created: !prev,
      changed,
      stale,
      outsideJurisdiction: state.outsideJurisdiction,
      needsPlacement: state.needsPlacement,
    },
    events,
  };
}

/**
 * Creates or updates incidents from one post, all in one transaction: acknowledged only once
 * committed. A post that says nothing new changes nothing and publishes nothing; it is still in
 * the audit trail, as every use of an integration key is.
 */
export async function ingestIncidents(
  ctx: ServerContext,
  upserts: readonly IncidentUpsert[],
  source: IngestSource,
): Promise<IngestResult[]> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      const applied: Applied[] = [];
      const idleMs = sessionIdleMinutesFor(ctx, agency) * 60_000;
      for (const u of upserts) {
        applied.push(await applyUpsert(tx, u, agency, source, at, idleMs));
      }
      await touchIntegration(tx, source.integrationId, at);
      return applied;
    },
    audit: (applied) =>
      auditBy(source.actor, {
        action: 'incident.ingest',
        targetType: 'incident',
        targetId: source.messageId ?? upserts.map((u) => u.number).join(','),
        outcome: 'success',
        details: {
          format: source.format,
          incidents: applied.map(({ result: r }) => ({
            number: r.number,
            created: r.created,
            changed: r.changed,
          })),
        },
      }),
    event: (applied) => applied.flatMap((a) => a.events),
  });
  return value.map((a) => a.result);
}

/** Closes every open incident whose number the CAD no longer lists as open. */
export async function reconcileOpenIncidents(
  ctx: ServerContext,
  openNumbers: readonly string[],
  source: IngestSource,
): Promise<{ closed: string[]; unknown: string[] }> {
  const listed = new Set(openNumbers);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const open = await listOpenIncidents(tx);
      const known = new Set(open.map((i) => i.number));
      const closed: IncidentRecord[] = [];
      for (const i of open) {
        if (listed.has(i.number)) continue;
        const state: IncidentState = { ...i, status: 'closed', closedAt: at.toISOString() };
        closed.push(
          await updateIncident(tx, { id: i.id, integrationId: source.integrationId, at, state }),
        );
        await insertStatusChange(tx, i.id, at, 'closed');
      }
      await touchIntegration(tx, source.integrationId, at);
      return { closed, unknown: [...listed].filter((n) => !known.has(n)) };
    },
    audit: (v) =>
      auditBy(source.actor, {
        action: 'incident.reconcile',
        targetType: 'incident',
        targetId: null,
        outcome: 'success',
        details: { listed: listed.size, closed: v.closed.map((i) => i.number) },
      }),
    event: (v) =>
      v.closed.map((i) => ({ type: 'incident.closed', payload: { incident: incidentOf(i) } })),
  });
  return { closed: value.closed.map((i) => i.number), unknown: value.unknown };
}

async function existing(tx: Queryable, id: string): Promise<IncidentRecord> {
  const found = await findIncident(tx, id);
  if (!found) throw new HttpError(404, 'There is no such incident.');
  return found;
}

export async function addIncidentNote(
  ctx: ServerContext,
  incidentId: string,
  text: string,
  actor: Actor,
): Promise<IncidentNote> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      await existing(tx, incidentId);
      const note = await insertNote(tx, {
        id: randomUUID(),
        incidentId,
        at,
        authorId: actor.id,
        authorName: actor.name,
        text,
      });
      return { note, incident: await touchIncident(tx, incidentId, at) };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'incident.note',
        targetType: 'incident',
        targetId: v.incident.number,
        outcome: 'success',
        details: { noteId: v.note.id },
      }),
    event: (v) => ({
      type: 'incident.updated',
      payload: { incident: incidentOf(v.incident), changed: ['notes'] },
    }),
  });
  return value.note;
}

export async function linkIncident(
  ctx: ServerContext,
  incidentId: string,
  link: { readonly kind: 'tip' | 'case'; readonly ref: string },
  actor: Actor,
): Promise<IncidentLink> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await existing(tx, incidentId);
      const made = await insertLink(tx, { incidentId, ...link, at, by: actor.name });
      const incident = made.created ? await touchIncident(tx, incidentId, at) : found;
      return { ...made, incident };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'incident.link',
        targetType: 'incident',
        targetId: v.incident.number,
        outcome: 'success',
        details: { kind: link.kind, ref: link.ref, created: v.created },
      }),
    event: (v) =>
      v.created
        ? {
            type: 'incident.updated',
            payload: { incident: incidentOf(v.incident), changed: ['links'] },
          }
        : null,
  });
  return value.link;
}
