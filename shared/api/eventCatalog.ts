import type { z } from 'zod';
import { AGENCY_EVENTS } from './agency';
import { AUDIT_REVIEW_EVENTS } from './auditReview';
import { ALERT_EVENTS } from './alerts';
import { SESSION_EVENTS } from './auth';
import { CAMERA_EVENTS, GRANT_EVENTS } from './cameras';
import { CASE_EVENTS } from './cases';
import {
  audienceAdmits,
  type EventDefinition,
  type EventPriority,
  type EventViewer,
} from './contract';
import type { ServerEvent } from './events';
import { DOCKING_EVENTS } from './docking';
import { EVIDENCE_EVENTS } from './evidence';
import { INCIDENT_EVENTS } from './incidents';
import { LAYOUT_EVENTS } from './layouts';
import { PULL_EVENTS } from './pulls';
import { SHIFT_EVENTS } from './shifts';
import { PRODUCT_EVENTS } from './products';
import { RETENTION_EVENTS } from './retention';
import { ADDRESS_EVENTS } from './addresses';
import { REGISTRATION_EVENTS } from './registrations';
import { ONLINE_REPORT_EVENTS } from './onlineReports';
import { TIP_EVENTS } from './tips';
import { USER_EVENTS } from './users';

/**
 * Every event type the server may commit, composed from the domain slices (each declares its
 * own: payload, priority, audience). The server refuses to record a type that is not here, and
 * streams each event only to the sessions its audience admits.
 */
export const EVENT_CATALOG = {
  ...CAMERA_EVENTS,
  ...GRANT_EVENTS,
  ...LAYOUT_EVENTS,
  ...USER_EVENTS,
  ...SESSION_EVENTS,
  ...TIP_EVENTS,
  ...INCIDENT_EVENTS,
  ...DOCKING_EVENTS,
  ...ALERT_EVENTS,
  ...CASE_EVENTS,
  ...PULL_EVENTS,
  ...AGENCY_EVENTS,
  ...SHIFT_EVENTS,
  ...PRODUCT_EVENTS,
  ...EVIDENCE_EVENTS,
  ...RETENTION_EVENTS,
  ...AUDIT_REVIEW_EVENTS,
  ...REGISTRATION_EVENTS,
  ...ONLINE_REPORT_EVENTS,
  ...ADDRESS_EVENTS,
} as const satisfies Record<string, EventDefinition>;

type Catalog = typeof EVENT_CATALOG;
export type EventType = keyof Catalog;
export type EventPayload<T extends EventType> = z.output<Catalog[T]['payload']>;

/** An event as a change declares it: a type of the catalog with its payload. */
export type CatalogEvent = {
  readonly [T in EventType]: { readonly type: T; readonly payload: EventPayload<T> };
}[EventType];

/** A committed event whose payload has been checked against its type's schema. */
export type TypedEvent<T extends EventType = EventType> = {
  readonly [K in T]: Omit<ServerEvent, 'type' | 'payload'> & {
    readonly type: K;
    readonly payload: EventPayload<K>;
  };
}[T];

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(EVENT_CATALOG, type);
}

function definitionOf(type: EventType): EventDefinition {
  return EVENT_CATALOG[type] as unknown as EventDefinition;
}

/** The event with its payload checked, or null for a type or payload the catalog does not know. */
export function typedEvent(event: ServerEvent): TypedEvent | null {
  if (!isEventType(event.type)) return null;
  const parsed = definitionOf(event.type).payload.safeParse(event.payload);
  return parsed.success ? ({ ...event, payload: parsed.data } as TypedEvent) : null;
}

/** Whether a viewer may receive an event; unknown types and malformed payloads go to nobody. */
export function eventAdmits(event: ServerEvent, viewer: EventViewer): boolean {
  const typed = typedEvent(event);
  if (!typed) return false;
  return audienceAdmits(definitionOf(typed.type), typed.payload, viewer);
}

/** The priority of one event: its type's, or what the type decides from the payload. */
export function eventPriority(event: TypedEvent): EventPriority {
  const d = definitionOf(event.type);
  return d.priorityFor ? d.priorityFor(event.payload) : d.priority;
}

/**
 * Whether an event raises a desktop notification (Electron's, or the browser's in the web
 * console): an urgent one always; a notable one whose type sets `notifyWhenAway` only when the
 * console is not in front (its window hidden, minimised or not focused), since the analyst then
 * misses the notice in the console. The renderer and the Electron host both ask this.
 */
export function desktopNotificationDue(event: TypedEvent, away: boolean): boolean {
  const priority = eventPriority(event);
  if (priority === 'urgent') return true;
  return priority === 'notable' && definitionOf(event.type).notifyWhenAway === true && away;
}

/** The notice line of a notable or urgent event, when its type has one. */
export function describeEvent(event: ServerEvent): { title: string; body: string } | null {
  const typed = typedEvent(event);
  if (!typed) return null;
  return definitionOf(typed.type).describe?.(typed.payload) ?? null;
}

/**
 * Checks a payload against its type before it is recorded: a mismatch is a programming error,
 * and so is a field the catalog does not declare (it would be dropped without a word).
 */
export function checkedPayload(event: CatalogEvent): Record<string, unknown> {
  const checked = definitionOf(event.type).payload.parse(event.payload) as Record<string, unknown>;
  const undeclared = Object.keys(event.payload).filter((k) => !Object.hasOwn(checked, k));
  const unset = undeclared.filter(
    (k) => (event.payload as Record<string, unknown>)[k] !== undefined,
  );
  if (unset.length > 0) {
    throw new Error(`${event.type}: ${unset.join(', ')} not declared in the event catalog`);
  }
  return checked;
}
