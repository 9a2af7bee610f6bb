import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { touchIntegration } from '../integrations/integrationRepository';
import { alertDockingRequest } from '../docking/dockAutomation';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { ViewReason } from '../../shared/domain/reasons';
import type {
  Alert,
  AlertDetails,
  AlertKind,
  AlertPosition,
  AlertSeverity,
} from '../../shared/domain/alerts';
import {
  distanceToJurisdictionMeters,
  outsideJurisdiction,
} from '../../shared/policy/jurisdiction';
import {
  acknowledgeAlertRow,
  addEvidence,
  advanceAlertSourceTime,
  alertOf,
  evidenceOf,
  findAlertBySenderForUpdate,
  findAlertForUpdate,
  getAlert,
  insertAlert,
  reviseAlert,
  setAlertIncident,
  type AlertRecord,
  type AlertState,
} from './alertRepository';
import { sessionIdleMinutesFor } from '../auth/sessionIdle';

/** One alert as a sender described it, whatever the kind and format it came in. */
export type AlertInput = {
  readonly senderId: string;
  readonly occurredAt: string;
  readonly position: AlertPosition | null;
  /** The sender's time of this revision, when it gives one. */
  readonly sourceUpdatedAt?: string;
  /** An image to fetch into the media store after the acknowledgement. */
  readonly imageUrl?: string;
  /**
   * The sender's ids of earlier alerts this one revises (a CAP Update or Cancel): the first of
   * them Watchfloor has is revised, rather than a new alert made.
   */
  readonly revises?: readonly string[];
  /** The sender's own severity (CAP); the other kinds' follows from what they report. */
  readonly severity?: AlertSeverity;
  /** Where the input was in the request, for an error that names the field. */
  readonly path: string;
} & { readonly [K in AlertKind]: { readonly kind: K; readonly details: DetailsOf<K> } }[AlertKind];

type DetailsOf<K extends AlertKind> = Extract<Alert, { kind: K }>['details'];

/** Who posted: the integration (its key's owner) as the audit trail names it. */
export interface AlertSource {
  readonly integrationId: string;
  readonly integrationName: string;
  readonly actor: Actor;
  readonly format: 'lpr' | 'gunshot' | 'cap' | 'tracks';
}

export interface AlertResult {
  readonly id: string;
  readonly senderId: string;
  readonly created: boolean;
  readonly changed: boolean;
  readonly stale: boolean;
  readonly outsideJurisdiction: boolean;
}

export interface AppliedAlert {
  readonly result: AlertResult;
  readonly events: readonly CatalogEvent[];
  /** An image was queued: the fetcher is woken once the change has committed. */
  readonly evidenceQueued: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** A sensor's clock may run a little ahead of ours. */
const FUTURE_SLACK_MS = 5 * MINUTE_MS;

const GUNSHOT_SEVERITY = {
  single: 'severe',
  multiple: 'extreme',
  possible_firecracker: 'moderate',
} as const;

function severityOf(input: AlertInput, urgent: boolean): AlertSeverity {
  switch (input.kind) {
    case 'gunshot':
      return GUNSHOT_SEVERITY[input.details.type];
    case 'lpr':
      return urgent ? 'severe' : 'moderate';
    case 'zone':
      return 'severe';
    case 'cap':
      return input.severity ?? 'unknown';
  }
}

/** Whether the agency marks this alert urgent (agency configuration, "alerts"). */
export function isUrgent(input: AlertInput, agency: AgencyConfig): boolean {
  const policy = agency.alerts;
  switch (input.kind) {
    case 'gunshot':
      return policy.urgentGunshotTypes.includes(input.details.type);
    case 'lpr':
      return policy.urgentHotLists.some(
        (l) => l.toLowerCase() === input.details.hotList.toLowerCase(),
      );
    case 'zone':
      return policy.urgentZoneEntries;
    case 'cap':
      return policy.urgentCapSeverities.includes(input.severity ?? 'unknown');
  }
}

function titleOf(input: AlertInput): string {
  const d = input.details;
  switch (input.kind) {
    case 'gunshot': {
      const g = d as DetailsOf<'gunshot'>;
      const what =
        g.type === 'possible_firecracker'
          ? 'Possible firecracker'
          : g.type === 'multiple'
            ? 'Multiple gunshots'
            : 'Single gunshot';
      return g.rounds === null ? what : `${what} (${g.rounds} rounds)`;
    }
    case 'lpr': {
      const l = d as DetailsOf<'lpr'>;
      return `${l.plate}${l.plateState ? ` (${l.plateState})` : ''} on ${l.hotList}`;
    }
    case 'zone': {
      const z = d as DetailsOf<'zone'>;
      return `${z.subject} entered ${z.zoneName}`;
    }
    case 'cap': {
      const c = d as DetailsOf<'cap'>;
      return c.headline ?? c.event;
    }
  }
}

type Issue = { path: string; message: string };

const km = (m: number) => `${Math.round(m / 1000).toLocaleString('en-US')} km`;

/** What a time and a position are, and where they were in the request. */
export interface Placed {
  readonly occurredAt: string;
  readonly position: AlertPosition | null;
  readonly timePath: string;
  readonly positionPath: string;
}

/**
 * What the agency's rules refuse in a record that is well formed: a time too old or in the
 * future (a sensor's clock gone wrong), a position too far from the jurisdiction to be anything
 * but a mistake (a longitude that lost its minus sign).
 */
export function refusals(input: Placed, agency: AgencyConfig, now: number): Issue[] {
  const issues: Issue[] = [];
  const policy = agency.alerts;
  const at = Date.parse(input.occurredAt);
  if (at > now + FUTURE_SLACK_MS) {
    issues.push({ path: input.timePath, message: 'the time is in the future' });
  } else if (now - at > policy.maxAgeDays * DAY_MS) {
    const days = Math.floor((now - at) / DAY_MS).toLocaleString('en-US');
    issues.push({
      path: input.timePath,
      message: `${days} days old; this agency takes records up to ${policy.maxAgeDays} days old`,
    });
  }
  if (input.position) {
    const away = distanceToJurisdictionMeters(agency, input.position);
    if (away > policy.plausibleRangeKm * 1000) {
      const flipped = { lat: input.position.lat, lon: -input.position.lon };
      const hint =
        input.position.lon !== 0 &&
        distanceToJurisdictionMeters(agency, flipped) <= policy.plausibleRangeKm * 1000
          ? ' (with its sign the other way the longitude would be in range: is its minus sign missing?)'
          : '';
      issues.push({
        path: input.positionPath,
        message: `${km(away)} from the jurisdiction, farther than the ${policy.plausibleRangeKm} km this agency takes${hint}`,
      });
    }
  }
  return issues;
}

/** A 400 naming each refused field, when there is any. */
export function refuseIfAny(issues: readonly Issue[]): void {
  if (issues.length === 0) return;
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  throw new HttpError(400, `Refused: ${summary}${more}.`, [...issues]);
}

/** Every input checked against the agency's rules: a 400 naming each refused field. */
export function checkAlerts(
  inputs: readonly AlertInput[],
  agency: AgencyConfig,
  now: number,
): void {
  refuseIfAny(
    inputs.flatMap((i) =>
      refusals(
        { ...i, timePath: `${i.path}.time`, positionPath: `${i.path}.position` },
        agency,
        now,
      ),
    ),
  );
}

function stateOf(
  input: AlertInput,
  agency: AgencyConfig,
  receivedAt: number,
  prev: AlertRecord | null,
): AlertState {
  const urgent = isUrgent(input, agency);
  const occurredAt = new Date(input.occurredAt).toISOString();
  return {
    kind: input.kind,
    occurredAt,
    lat: input.position?.lat ?? null,
    lng: input.position?.lon ?? null,
    severity: severityOf(input, urgent),
    title: titleOf(input),
    details: input.details as AlertDetails,
    outsideJurisdiction: input.position !== null && outsideJurisdiction(agency, input.position),
    late: receivedAt - Date.parse(occurredAt) > agency.alerts.announceWithinMinutes * MINUTE_MS,
    urgent,
    sourceUpdatedAt: latest(prev?.sourceUpdatedAt ?? null, input.sourceUpdatedAt ?? null),
  };
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? (b === null ? null : new Date(b).toISOString());
  return Date.parse(b) > Date.parse(a) ? new Date(b).toISOString() : a;
}

const COMPARED: readonly (keyof AlertState)[] = [
  'occurredAt',
  'lat',
  'lng',
  'severity',
  'title',
  'details',
  'outsideJurisdiction',
  'urgent',
];

/** Deep, and blind to key order (jsonb keeps its own). */
const differs = (a: unknown, b: unknown) => !isDeepStrictEqual(a, b);

async function current(tx: Queryable, record: AlertRecord): Promise<Alert> {
  return alertOf(record, (await evidenceOf(tx, [record.id])).get(record.id) ?? []);
}

/**
 * Creates or revises one alert inside a change's transaction. The same body again changes
 * nothing and publishes nothing; a revision older than the one applied is not applied.
 */
export async function applyAlert(
  tx: Queryable,
  input: AlertInput,
  agency: AgencyConfig,
  source: AlertSource,
  at: Date,
): Promise<AppliedAlert> {
  let prev = await findAlertBySenderForUpdate(tx, source.integrationId, input.senderId);
  for (const earlier of input.revises ?? []) {
    if (prev) break;
    prev = await findAlertBySenderForUpdate(tx, source.integrationId, earlier);
  }
  if (!prev) {
    const id = randomUUID();
    const state = stateOf(input, agency, at.getTime(), null);
    if (
      await insertAlert(tx, {
        id,
        integrationId: source.integrationId,
        senderId: input.senderId,
        at,
        state,
      })
    ) {
      const queued = input.imageUrl ? await addEvidence(tx, id, input.imageUrl, at) : false;
      const record = (await findAlertBySenderForUpdate(tx, source.integrationId, input.senderId))!;
      return {
        result: {
          id,
          senderId: input.senderId,
          created: true,
          changed: true,
          stale: false,
          outsideJurisdiction: state.outsideJurisdiction,
        },
        events: [{ type: 'alert.raised', payload: { alert: await current(tx, record) } }],
        evidenceQueued: queued,
      };
    }
    // Another request with the same id committed first: this one is a repeat or a revision.
    prev = (await findAlertBySenderForUpdate(tx, source.integrationId, input.senderId))!;
  }
  const key = prev.senderId;
  const stale =
    prev.sourceUpdatedAt !== null &&
    input.sourceUpdatedAt !== undefined &&
    Date.parse(input.sourceUpdatedAt) < Date.parse(prev.sourceUpdatedAt);
  const state = stateOf(input, agency, Date.parse(prev.receivedAt), prev);
  const changedFields = stale ? [] : COMPARED.filter((f) => differs(prev[f], state[f]));
  const queued =
    !stale && input.imageUrl ? await addEvidence(tx, prev.id, input.imageUrl, at) : false;
  if (changedFields.length > 0) await reviseAlert(tx, { id: prev.id, at, state });
  else if (!stale && state.sourceUpdatedAt !== prev.sourceUpdatedAt) {
    // Nothing new but the sender's time: remembered, so that an older revision stays stale.
    await advanceAlertSourceTime(tx, prev.id, state.sourceUpdatedAt!);
  }
  const changed = changedFields.length > 0 || queued;
  const events: CatalogEvent[] = [];
  if (changed) {
    const record = (await findAlertBySenderForUpdate(tx, source.integrationId, key))!;
    events.push({
      type: 'alert.updated',
      payload: {
        alert: await current(tx, record),
        changed: [
          ...(changedFields.length > 0 ? ['revision'] : []),
          ...changedFields,
          ...(queued ? ['evidence'] : []),
        ],
        escalated: !prev.urgent && state.urgent,
      },
    });
  }
  return {
    result: {
      id: prev.id,
      senderId: key,
      created: false,
      changed,
      stale,
      outsideJurisdiction: (changedFields.length > 0 ? state : prev).outsideJurisdiction,
    },
    events,
    evidenceQueued: queued,
  };
}

/**
 * Creates or revises alerts from one post, all in one transaction: acknowledged only once
 * committed. Every use of an integration key is in the audit trail, repeats included.
 */
export async function ingestAlerts(
  ctx: ServerContext,
  inputs: readonly AlertInput[],
  source: AlertSource,
  onEvidence: () => void,
): Promise<AlertResult[]> {
  let docks: CatalogEvent[] = [];
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      checkAlerts(inputs, agency, at.getTime());
      const applied: AppliedAlert[] = [];
      for (const input of inputs) applied.push(await applyAlert(tx, input, agency, source, at));
      await touchIntegration(tx, source.integrationId, at);
      docks = await dockingEventsFor(
        tx,
        applied.flatMap((a) => a.events),
        agency,
        at,
        sessionIdleMinutesFor(ctx, agency) * 60_000,
      );
      return applied;
    },
    audit: (applied) =>
      auditBy(source.actor, {
        action: 'alert.ingest',
        targetType: 'alert',
        targetId: inputs.length === 1 ? inputs[0]!.senderId : null,
        outcome: 'success',
        details: {
          format: source.format,
          alerts: applied.length,
          created: applied.filter((a) => a.result.created).length,
          changed: applied.filter((a) => a.result.changed).length,
        },
      }),
    event: (applied) => [...applied.flatMap((a) => a.events), ...docks],
  });
  if (value.some((a) => a.evidenceQueued)) onEvidence();
  return value.map((a) => a.result);
}

/**
 * The docking requests the agency's rules call for among these events' newly raised alerts, to
 * commit with them (docs/docking.md).
 */
export async function dockingEventsFor(
  tx: Queryable,
  events: readonly CatalogEvent[],
  agency: AgencyConfig,
  at: Date,
  idleMs: number,
): Promise<CatalogEvent[]> {
  const docks: CatalogEvent[] = [];
  for (const e of events) {
    if (e.type !== 'alert.raised') continue;
    const dock = await alertDockingRequest(tx, agency, e.payload.alert, at, idleMs);
    if (dock) docks.push(dock);
  }
  return docks;
}

async function existing(tx: Queryable, id: string): Promise<AlertRecord> {
  const found = await findAlertForUpdate(tx, id);
  if (!found) throw new HttpError(404, 'There is no such alert.');
  return found;
}

export async function acknowledgeAlert(
  ctx: ServerContext,
  id: string,
  note: string,
  actor: Actor,
): Promise<Alert> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await existing(tx, id);
      if (found.acknowledged) {
        throw new HttpError(
          409,
          `${found.acknowledged.by} already acknowledged this alert at ${found.acknowledged.at}.`,
        );
      }
      await acknowledgeAlertRow(tx, { id, at, by: actor.name, byId: actor.id, note });
      return current(tx, (await findAlertForUpdate(tx, id))!);
    },
    audit: (a) =>
      auditBy(actor, {
        action: 'alert.acknowledge',
        targetType: 'alert',
        targetId: a.id,
        outcome: 'success',
        details: { kind: a.kind, note },
      }),
    event: (a) => ({
      type: 'alert.updated',
      payload: { alert: a, changed: ['acknowledged'], escalated: false },
    }),
  });
  return value;
}

export async function linkAlertToIncident(
  ctx: ServerContext,
  id: string,
  number: string | null,
  actor: Actor,
): Promise<Alert> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await existing(tx, id);
      if (found.incidentNumber === number)
        return { alert: await current(tx, found), changed: false };
      await setAlertIncident(tx, id, number, at);
      return { alert: await current(tx, (await findAlertForUpdate(tx, id))!), changed: true };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'alert.link',
        targetType: 'alert',
        targetId: v.alert.id,
        outcome: 'success',
        details: { incident: number, changed: v.changed },
      }),
    event: (v) =>
      v.changed
        ? {
            type: 'alert.updated',
            payload: { alert: v.alert, changed: ['incident'], escalated: false },
          }
        : null,
  });
  return value.alert;
}

/** How long an opening of an alert's evidence lets its user fetch the images. */
export const EVIDENCE_GRANT_MS = 15 * 60_000;

/**
 * Opens an alert's evidence for a stated reason. The audit row is the grant: the evidence route
 * serves the images to the user who opened them, while the opening is younger than
 * EVIDENCE_GRANT_MS, as the tip line's media grants do for a tip (docs/integrations.md).
 */
export async function openAlertEvidence(
  ctx: ServerContext,
  actor: Actor & { readonly id: string },
  alertId: string,
  reason: ViewReason,
): Promise<{ alertId: string; expiresAt: string }> {
  const alert = await getAlert(ctx.store, alertId);
  if (!alert) throw new HttpError(404, 'There is no such alert.');
  const { value } = await ctx.record({
    apply: async ({ at }) => new Date(at.getTime() + EVIDENCE_GRANT_MS),
    audit: auditBy(actor, {
      action: 'alert.evidence.view',
      targetType: 'alert',
      targetId: alertId,
      outcome: 'success',
      details: {
        kind: alert.kind,
        reason: reason.code,
        ...(reason.reference ? { reference: reason.reference } : {}),
        ...(reason.note ? { note: reason.note } : {}),
        images: alert.evidence.length,
      },
    }),
    event: null,
  });
  return { alertId, expiresAt: value.toISOString() };
}
