import { z } from 'zod';
import { AGENCY_CALLS } from './agency';
import { AUDIT_REVIEW_CALLS } from './auditReview';
import { ALERT_CALLS } from './alerts';
import { CAMERA_CALLS } from './cameras';
import { CAMERA_ADMIN_CALLS } from './cameraAdmin';
import { CASE_CALLS } from './cases';
import { CONSOLE_CALLS } from './console';
import type { CallDefinition } from './contract';
import { EVENT_CALLS, ServerEventSchema } from './events';
import { EVIDENCE_CALLS } from './evidence';
import { DOCKING_CALLS } from './docking';
import { INCIDENT_CALLS } from './incidents';
import { INTEGRATION_CALLS } from './integrations';
import { LAYOUT_CALLS } from './layouts';
import { PULL_CALLS } from './pulls';
import { REGISTRATION_CALLS } from './registrations';
import { ONLINE_REPORT_CALLS } from './onlineReports';
import { SESSION_CALLS, SessionStateSchema } from './session';
import { METRICS_CALLS } from './metrics';
import { PRODUCT_CALLS } from './products';
import { RETENTION_CALLS } from './retention';
import { ADDRESS_CALLS } from './addresses';
import { SHIFT_CALLS } from './shifts';
import { TIP_CALLS } from './tips';
import { USER_CALLS } from './users';
import { FeedStateSchema, VIEW_CALLS, ViewUpdateSchema } from './views';

/**
 * The one contract between the renderer and the workstation host (docs/architecture.md, "One
 * typed contract across the bridge"): the composition of the domain slices in shared/api/. Every
 * call has an args schema and a result schema; every subscription has a payload schema. The
 * Electron preload, the web host's WebSocket RPC, the renderer's browser bridge and the host's
 * dispatcher are all built by iterating these two objects, and the host parses every argument
 * with the schema written in the slice.
 *
 * A call declared with `serverCall` is answered by the server through the host's one generic
 * proxy; a `hostCall` has a handler in electron/host/console/handlers.ts.
 *
 * Nothing in a result or payload is a secret: no access or refresh token, no password, no camera
 * credential, and no camera source URL except, to an admin editing the camera, with its
 * credentials taken out (docs/cameras-admin.md). Media URLs are opaque (`wf-media://media/...` in Electron,
 * `/media/...` on the web host) and mean nothing outside the host that issued them.
 */

export const WATCHFLOOR_CALLS = {
  ...CONSOLE_CALLS,
  ...SESSION_CALLS,
  ...AGENCY_CALLS,
  ...CAMERA_CALLS,
  ...CAMERA_ADMIN_CALLS,
  ...VIEW_CALLS,
  ...LAYOUT_CALLS,
  ...USER_CALLS,
  ...EVIDENCE_CALLS,
  ...INTEGRATION_CALLS,
  ...INCIDENT_CALLS,
  ...DOCKING_CALLS,
  ...ALERT_CALLS,
  ...EVENT_CALLS,
  ...TIP_CALLS,
  ...CASE_CALLS,
  ...PULL_CALLS,
  ...SHIFT_CALLS,
  ...AUDIT_REVIEW_CALLS,
  ...METRICS_CALLS,
  ...PRODUCT_CALLS,
  ...RETENTION_CALLS,
  ...REGISTRATION_CALLS,
  ...ONLINE_REPORT_CALLS,
  ...ADDRESS_CALLS,
} as const satisfies Record<string, CallDefinition>;

export const WATCHFLOOR_SUBSCRIPTIONS = {
  /** Every change of the session state (sign-in, lock, offline, sign-out). */
  session: { payload: SessionStateSchema },
  /** Server events as they commit, in id order, with no gap or duplicate across reconnects. */
  events: { payload: ServerEventSchema },
  /** The event feed's connection. */
  feed: { payload: FeedStateSchema },
  /** Tile state of the views opened through this window's connection. */
  views: { payload: ViewUpdateSchema },
} as const satisfies Record<string, { readonly payload: z.ZodType }>;

export type WatchfloorCalls = typeof WATCHFLOOR_CALLS;
export type WatchfloorSubscriptions = typeof WATCHFLOOR_SUBSCRIPTIONS;
export type CallName = keyof WatchfloorCalls;
export type SubscriptionName = keyof WatchfloorSubscriptions;
/** What a caller passes (defaults may be left out). */
export type CallArgs<N extends CallName> = z.input<WatchfloorCalls[N]['args']>;
/** What the host's handler receives, after parsing. */
export type ParsedCallArgs<N extends CallName> = z.output<WatchfloorCalls[N]['args']>;
export type CallResult<N extends CallName> = z.output<WatchfloorCalls[N]['result']>;
export type SubscriptionPayload<N extends SubscriptionName> = z.output<
  WatchfloorSubscriptions[N]['payload']
>;

export const CALL_NAMES = Object.keys(WATCHFLOOR_CALLS) as CallName[];
export const SUBSCRIPTION_NAMES = Object.keys(WATCHFLOOR_SUBSCRIPTIONS) as SubscriptionName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(WATCHFLOOR_CALLS, name);
}

export function isSubscriptionName(name: unknown): name is SubscriptionName {
  return typeof name === 'string' && Object.hasOwn(WATCHFLOOR_SUBSCRIPTIONS, name);
}

// ----------------------------------------------------------------------------------------------
// Errors and outcomes

/**
 * Why a call did not produce a result. Expected refusals (a wrong password, an owner's policy)
 * are results; these are the cases where the call itself could not be done.
 */
export const CALL_ERROR_CODES = [
  /** The arguments do not match the schema; `issues` says where. */
  'invalid_args',
  'unknown_call',
  /** Nobody is signed in on this connection. */
  'signed_out',
  /** The console is locked: unlock first. */
  'locked',
  /** The server cannot be reached right now; the host keeps retrying. */
  'offline',
  /** The user's role does not allow it. */
  'forbidden',
  'not_found',
  'conflict',
  /** Not available in this shell (e.g. wall windows on the web console). */
  'unsupported',
  /** Anything else; `message` is written for a person. */
  'failed',
] as const;
export const CallErrorCodeSchema = z.enum(CALL_ERROR_CODES);
export type CallErrorCode = z.infer<typeof CallErrorCodeSchema>;

export const CallErrorSchema = z.object({
  code: CallErrorCodeSchema,
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type CallError = z.infer<typeof CallErrorSchema>;

/** Errors cross the bridge as values: Electron's IPC and contextBridge keep no error fields. */
export type CallOutcome<N extends CallName> =
  | { readonly ok: true; readonly value: CallResult<N> }
  | { readonly ok: false; readonly error: CallError };

export const CallOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: CallErrorSchema }),
]);

/**
 * `window.watchfloor`: what the renderer sees, in Electron (preload) and in a browser (the web
 * bridge over WebSocket) alike.
 *
 *   const r = await window.watchfloor.call('cameras.list', { near: { lat, lng, radiusM: 300 } });
 *   if (r.ok) show(r.value.items); else tell(r.error.message);
 *   const stop = window.watchfloor.subscribe('views', (u) => tiles.apply(u));
 */
export interface WatchfloorApi {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallOutcome<N>>;
  /** Returns the function that ends the subscription. */
  subscribe<N extends SubscriptionName>(
    name: N,
    listener: (payload: SubscriptionPayload<N>) => void,
  ): () => void;
}

/** For code that prefers exceptions: thrown by `callOrThrow`, carrying the CallError. */
export class WatchfloorCallError extends Error {
  readonly code: CallErrorCode;
  readonly issues: CallError['issues'];
  constructor(error: CallError) {
    super(error.message);
    this.name = 'WatchfloorCallError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

export async function callOrThrow<N extends CallName>(
  api: WatchfloorApi,
  name: N,
  args: CallArgs<N>,
): Promise<CallResult<N>> {
  const outcome = await api.call(name, args);
  if (!outcome.ok) throw new WatchfloorCallError(outcome.error);
  return outcome.value;
}

// ----------------------------------------------------------------------------------------------
// Wire formats (derived bridges)

/** Electron: one ipcMain.handle channel per call, and one channel that carries every subscription. */
export const IPC_CALL_PREFIX = 'wf:call:';
export const IPC_SUBSCRIPTION_CHANNEL = 'wf:subscription';
export const ipcChannelOf = (name: CallName): string => `${IPC_CALL_PREFIX}${name}`;

/** Web host: JSON messages on the WebSocket at /rpc. */
export const RPC_PATH = '/rpc';
/** Largest RPC message the web host reads; a layout or a sign-in is far smaller. */
export const MAX_RPC_MESSAGE_BYTES = 256 * 1024;

export const RpcRequestSchema = z
  .object({
    id: z.number().int().nonnegative(),
    call: z.string().max(64),
    args: z.unknown(),
  })
  .strict();
export type RpcRequest = z.infer<typeof RpcRequestSchema>;

export const RpcServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reply'),
    /** null when the request could not be read far enough to find its id. */
    id: z.number().int().nonnegative().nullable(),
    outcome: CallOutcomeSchema,
  }),
  z.object({ type: z.literal('push'), subscription: z.string(), payload: z.unknown() }),
]);
export type RpcServerMessage = z.infer<typeof RpcServerMessageSchema>;

/** Payload on IPC_SUBSCRIPTION_CHANNEL. */
export const IpcPushSchema = z.object({ subscription: z.string(), payload: z.unknown() });
export type IpcPush = z.infer<typeof IpcPushSchema>;
