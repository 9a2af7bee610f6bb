import type { z } from 'zod';
import type { Permission, RouteAccess } from '../domain/roles';

/**
 * The building blocks every domain slice of the contract is written with (docs/architecture.md,
 * "The module recipe"): an HTTP endpoint declared once, a console call (answered by the server
 * through one generic host proxy, or by the host itself), and an event type with its priority and
 * audience. Pure declarations: the server, the host and the renderer each derive their plumbing
 * from them, so a schema is never written twice.
 */

// ----------------------------------------------------------------------------------------------
// Endpoints

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The HTTP error statuses an endpoint documents; every one has the standard error shape. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 423 | 429 | 503;

type AnyObject = z.ZodType<Record<string, unknown>>;

/** One route of the server's /v1 API: what it takes, what it answers, who may call it. */
export interface Endpoint<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Fastify's form: `/v1/layouts/:name`. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The success reply's body. */
  readonly response: R;
  /** The success status (200 unless said). */
  readonly status: 200 | 201;
  readonly errors: readonly ErrorStatus[];
  /** Largest request body accepted, when the server's default does not fit. */
  readonly bodyLimit?: number;
}

/** Errors every signed-in route can answer. */
const BASE_ERRORS: readonly ErrorStatus[] = [400, 401, 403];

export function endpoint<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(e: {
  readonly method: HttpMethod;
  readonly path: string;
  readonly access: RouteAccess;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly status?: 200 | 201;
  readonly errors?: readonly ErrorStatus[];
  readonly bodyLimit?: number;
}): Endpoint<P, Q, B, R> {
  const errors = [...new Set([...BASE_ERRORS, ...(e.errors ?? [])])].sort((a, b) => a - b);
  return {
    ...e,
    params: e.params as P,
    query: e.query as Q,
    body: e.body as B,
    status: e.status ?? 200,
    errors,
  };
}

/** The names of an endpoint's path parameters, in order: `/v1/a/:x/b/:y` gives x, y. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

// ----------------------------------------------------------------------------------------------
// Console calls

/** A request to the server, as the host's proxy sends it. */
export interface EndpointRequest {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
}

/** A call of the console contract. `endpoint` set: the host proxies it to the server. */
export interface CallDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
  readonly endpoint?: Endpoint;
  /** How the call's arguments become the endpoint's request (default: see `defaultRequest`). */
  toRequest?(args: z.output<A>): EndpointRequest;
}

/** A call that the host answers itself (session, views and media, windows). */
export function hostCall<A extends z.ZodType, R extends z.ZodType>(
  args: A,
  result: R,
): CallDefinition<A, R> {
  return { args, result };
}

/**
 * A call that the server answers: its result is the endpoint's response, and the host serves it
 * with one generic proxy through the signed-in session.
 */
export function serverCall<A extends z.ZodType, E extends Endpoint>(
  e: E,
  args: A,
  toRequest?: (args: z.output<A>) => EndpointRequest,
): CallDefinition<A, E['response']> & { readonly endpoint: E } {
  return { args, result: e.response, endpoint: e, ...(toRequest ? { toRequest } : {}) };
}

/**
 * The default mapping of a call's arguments onto its endpoint: arguments named like a path
 * parameter fill it; the rest go in the query string (GET, DELETE) or the JSON body.
 */
export function defaultRequest(
  e: Endpoint,
  args: Readonly<Record<string, unknown>>,
): EndpointRequest {
  const names = new Set(pathParamNames(e.path));
  const params: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (names.has(k)) params[k] = String(v);
    else if (v !== undefined) rest[k] = v;
  }
  if (e.method === 'GET' || e.method === 'DELETE') {
    return { params, query: rest as EndpointRequest['query'] };
  }
  return { params, body: rest };
}

/** The URL of a request: path parameters filled in (encoded), then the query string. */
export function requestUrl(e: Endpoint, request: EndpointRequest): string {
  const path = e.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${e.path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v !== undefined) q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

// ----------------------------------------------------------------------------------------------
// Events

/**
 * routine: applied quietly. notable: the console shows a notice. urgent: also a desktop
 * notification (Electron's, or the browser's in the web console).
 */
export const EVENT_PRIORITIES = ['routine', 'notable', 'urgent'] as const;
export type EventPriority = (typeof EVENT_PRIORITIES)[number];

/** Who may receive an event. An event goes to a session that any one rule admits. */
export type AudienceRule<P> =
  /** Everyone whose role holds the permission. */
  | { readonly kind: 'permission'; readonly permission: Permission }
  /** The one user the event is about (their layouts, their session). */
  | { readonly kind: 'user'; readonly userOf: (payload: P) => string | null }
  /** The people assigned to the record the event is about (as the payload names them). */
  | { readonly kind: 'assigned'; readonly usersOf: (payload: P) => readonly string[] };

export const holders = <P>(permission: Permission): AudienceRule<P> => ({
  kind: 'permission',
  permission,
});
export const theUser = <P>(userOf: (payload: P) => string | null): AudienceRule<P> => ({
  kind: 'user',
  userOf,
});
export const assignees = <P>(usersOf: (payload: P) => readonly string[]): AudienceRule<P> => ({
  kind: 'assigned',
  usersOf,
});

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  readonly payload: S;
  /** How the operator hears of it; with `priorityFor`, the most it can be. */
  readonly priority: EventPriority;
  /**
   * For a type whose events matter more or less by their content (a priority 1 call against a
   * call the center does not follow): the priority of this one event.
   */
  readonly priorityFor?: (payload: z.output<S>) => EventPriority;
  readonly audience: readonly AudienceRule<z.output<S>>[];
  /** A line for a notice or notification (notable and urgent events). */
  readonly describe?: (payload: z.output<S>) => { readonly title: string; readonly body: string };
  /**
   * Set when no console panel shows the event, saying why (the host acts on it, or it is kept
   * for the record): every other event type has a renderer reducer.
   */
  readonly notShown?: string;
  /**
   * A notable event that also raises a desktop notification when the console is not in front
   * (a new tip: the analyst may be looking at the wall).
   */
  readonly notifyWhenAway?: boolean;
}

/** An event type: its payload schema first, so that the audience rules are typed by it. */
export function defineEvent<S extends z.ZodType>(
  payload: S,
  rest: Omit<EventDefinition<S>, 'payload'>,
): EventDefinition<S> {
  return { payload, ...rest };
}

/** Who is asking for events: the user and what their role allows. */
export interface EventViewer {
  readonly userId: string;
  readonly permissions: ReadonlySet<Permission> | readonly Permission[];
}

const hasPermission = (viewer: EventViewer, p: Permission): boolean =>
  viewer.permissions instanceof Set
    ? viewer.permissions.has(p)
    : (viewer.permissions as readonly Permission[]).includes(p);

/** Whether the audience of an event admits a viewer. */
export function audienceAdmits<S extends z.ZodType>(
  definition: EventDefinition<S>,
  payload: z.output<S>,
  viewer: EventViewer,
): boolean {
  return definition.audience.some((rule) => {
    switch (rule.kind) {
      case 'permission':
        return hasPermission(viewer, rule.permission);
      case 'user':
        return rule.userOf(payload) === viewer.userId;
      case 'assigned':
        return rule.usersOf(payload).includes(viewer.userId);
    }
  });
}
