import { z } from 'zod';
import { AgencyConfigSchema } from '../domain/agency';
import { CameraKindSchema, LatitudeSchema, LongitudeSchema } from '../domain/cameras';
import { LayoutNameSchema, SavedLayoutSchema, WallLayoutSchema } from '../domain/layouts';
import { ViewReasonSchema } from '../domain/reasons';
import { PermissionSchema } from '../domain/roles';
import {
  EnrolmentCodeSchema,
  PasswordSchema,
  SignedInUserSchema,
  TotpCodeSchema,
  UsernameSchema,
} from './auth';
import {
  CameraIdSchema,
  CameraListResponseSchema,
  MAX_CAMERA_LIST_LIMIT,
  MAX_NEAR_RADIUS_M,
  OwnerContactResponseSchema,
} from './cameras';
import { ServerEventSchema } from './events';

/**
 * The one contract between the renderer and the workstation host (ARCHITECTURE.md, STYLE.md "One
 * typed contract across the bridge"). Every call has an args schema and a result schema; every
 * subscription has a payload schema. The Electron preload, the web host's WebSocket RPC, the
 * renderer's browser bridge and the host's dispatcher are all built by iterating these two
 * objects, and the host parses every argument with the schema written here.
 *
 * Nothing in a result or payload is a secret: no access or refresh token, no password, no camera
 * source URL or credential. Media URLs are opaque (`wf-media://media/...` in Electron,
 * `/media/...` on the web host) and mean nothing outside the host that issued them.
 *
 * Adding a method is one entry here plus its handler in electron/host/console/handlers.
 */

const NoArgs = z.object({}).strict();

// ----------------------------------------------------------------------------------------------
// Session

/** The signed-in person, as the renderer may know them. */
export const ConsoleUserSchema = SignedInUserSchema.extend({
  /** What the user's role allows, so the UI can hide what would be refused. */
  permissions: z.array(PermissionSchema),
});
export type ConsoleUser = z.infer<typeof ConsoleUserSchema>;

/** CJIS 5.5.5: at most 30 minutes; a console may lock sooner, never later. */
export const MAX_IDLE_LOCK_MINUTES = 30;
export const MIN_IDLE_LOCK_MINUTES = 1;
export const IdleLockMinutesSchema = z
  .number()
  .int('whole minutes')
  .min(MIN_IDLE_LOCK_MINUTES, `the idle lock is at least ${MIN_IDLE_LOCK_MINUTES} minute`)
  .max(MAX_IDLE_LOCK_MINUTES, `the idle lock is at most ${MAX_IDLE_LOCK_MINUTES} minutes`);

const SignedInCommon = {
  user: ConsoleUserSchema,
  /** End of the shift: the server ends the session then, whatever the activity. */
  shiftEndsAt: z.string(),
  idleLockMinutes: IdleLockMinutesSchema,
  /** Policy: whether the wall keeps playing behind the lock screen (else all video stops). */
  wallPlaysWhenLocked: z.boolean(),
};

export const LockReasonSchema = z.enum(['idle', 'manual', 'restart', 'system']);
export type LockReason = z.infer<typeof LockReasonSchema>;

/**
 * signed_out: nobody is signed in (message says why, e.g. the session reached the end of the shift).
 * active: signed in and unlocked.
 * locked: signed in, but the person must re-enter the password (idle, manual lock, a restart).
 * offline: signed in, but the server cannot be reached; the host retries with backoff.
 */
export const SessionStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_out'), message: z.string().nullable() }),
  z.object({ status: z.literal('active'), ...SignedInCommon }),
  z.object({ status: z.literal('locked'), reason: LockReasonSchema, ...SignedInCommon }),
  z.object({
    status: z.literal('offline'),
    ...SignedInCommon,
    /** Retries so far since the server was last reached. */
    attempt: z.number().int().nonnegative(),
    /** When the next retry is due, or null while one is under way. */
    retryAt: z.string().nullable(),
    message: z.string(),
  }),
]);
export type SessionState = z.infer<typeof SessionStateSchema>;
export type SessionStatus = SessionState['status'];

export const SignInArgsSchema = z
  .object({
    username: UsernameSchema,
    password: PasswordSchema,
    totpCode: TotpCodeSchema.optional(),
  })
  .strict();

/**
 * A refused sign-in is an outcome, not an error. On `totp_required` the host holds the pending
 * sign-in for a few minutes, so `session.verifyTotp` needs only the code. On
 * `enrolment_required` (a correct password, no authenticator yet) the host holds the session
 * that may only enrol: `session.beginEnrolment` and `session.confirmEnrolment` finish it.
 */
export const SignInResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signed_in'), state: SessionStateSchema }),
  z.object({ kind: z.literal('totp_required'), message: z.string() }),
  z.object({ kind: z.literal('enrolment_required'), message: z.string() }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);

/**
 * The authenticator secret to show while enrolling (as a QR code and as text). It is the one
 * secret the page is given, because the person must copy it into their app; it is useless
 * without the password, and the server keeps it pending until a code from the app confirms it.
 */
export const EnrolmentStartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scan'), secret: z.string(), otpauthUri: z.string() }),
  /** `restart`: the enrolment-only session is over (expired, locked): sign in again. */
  z.object({ kind: z.literal('failed'), message: z.string(), restart: z.boolean() }),
]);
export type EnrolmentStart = z.infer<typeof EnrolmentStartSchema>;

export const PasswordChangeResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changed'), otherSessionsEnded: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('failed'),
    message: z.string(),
    field: z.enum(['currentPassword', 'newPassword']).nullable(),
  }),
]);
export type PasswordChangeResult = z.infer<typeof PasswordChangeResultSchema>;
export type SignInResult = z.infer<typeof SignInResultSchema>;

export const UnlockResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unlocked'), state: SessionStateSchema }),
  z.object({
    kind: z.literal('failed'),
    message: z.string(),
    /** Wrong passwords left before the host signs out altogether. */
    attemptsLeft: z.number().int().nonnegative(),
  }),
  /** Too many wrong passwords, or the session ended meanwhile: sign in again. */
  z.object({ kind: z.literal('signed_out'), state: SessionStateSchema }),
]);
export type UnlockResult = z.infer<typeof UnlockResultSchema>;

// ----------------------------------------------------------------------------------------------
// Console (which shell, which windows)

export const ConsoleInfoSchema = z.object({
  shell: z.enum(['electron', 'web']),
  version: z.string(),
  /** Whether wall windows on other displays can be opened (Electron only). */
  canOpenWallWindows: z.boolean(),
  /** This window's role: the console, or a wall on another display. */
  window: z.enum(['console', 'wall']),
});
export type ConsoleInfo = z.infer<typeof ConsoleInfoSchema>;

export const DisplaySchema = z.object({
  id: z.number().int(),
  label: z.string(),
  primary: z.boolean(),
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  /** Whether a wall window is open on it. */
  hasWall: z.boolean(),
});
export type Display = z.infer<typeof DisplaySchema>;

// ----------------------------------------------------------------------------------------------
// Agency

/**
 * The basemap's tile source, configured on the host with WF_MAP_TILES (a URL template such as
 * `https://tiles.example.org/{z}/{x}/{y}.png`). Absent or null: the console draws only its offline
 * basemap, built from data that ships with the app.
 */
export const MapTilesSchema = z.object({
  urlTemplate: z.string().min(1).max(2048),
  attribution: z.string().max(500).default(''),
  maxZoom: z.number().int().min(1).max(22).default(19),
});
export type MapTiles = z.infer<typeof MapTilesSchema>;

/** The agency's settings as the console sees them: the agency config plus the basemap source. */
export const ConsoleAgencySchema = AgencyConfigSchema.extend({
  mapTiles: MapTilesSchema.nullable().optional(),
});
export type ConsoleAgency = z.infer<typeof ConsoleAgencySchema>;

// ----------------------------------------------------------------------------------------------
// Cameras

/**
 * The camera list as the renderer asks for it: the same filters as GET /v1/cameras, in objects
 * rather than query strings.
 */
export const CameraListArgsSchema = z
  .object({
    kind: z.array(CameraKindSchema).min(1).max(3).optional(),
    status: z.enum(['active', 'retired', 'all']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    near: z
      .object({
        lat: LatitudeSchema,
        lng: LongitudeSchema,
        radiusM: z.number().positive().max(MAX_NEAR_RADIUS_M),
      })
      .strict()
      .optional(),
    bbox: z
      .object({
        minLng: LongitudeSchema,
        minLat: LatitudeSchema,
        maxLng: LongitudeSchema,
        maxLat: LatitudeSchema,
      })
      .strict()
      .refine((b) => b.minLng <= b.maxLng && b.minLat <= b.maxLat, 'bbox needs min <= max')
      .optional(),
    limit: z.number().int().min(1).max(MAX_CAMERA_LIST_LIMIT).optional(),
    cursor: CameraIdSchema.optional(),
  })
  .strict();
export type CameraListArgs = z.input<typeof CameraListArgsSchema>;

// ----------------------------------------------------------------------------------------------
// Views (a camera on a tile)

export const ViewVariantSchema = z.enum(['sub', 'main']);
/** `sub` for grid tiles, `main` for a maximised tile. */
export type ViewVariant = z.infer<typeof ViewVariantSchema>;

export const ViewIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a view id is the id that views.open returned');

/** What a tile shows about its video. Reasons are sentences for the operator. */
export const TileStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('starting') }),
  z.object({ kind: z.literal('live') }),
  z.object({ kind: z.literal('reconnecting'), attempt: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('failed'), reason: z.string() }),
  /** The grant was revoked (the owner's window closed, the owner withdrew): the video stopped. */
  z.object({ kind: z.literal('revoked'), reason: z.string() }),
  /** Video stopped by the console itself (locked where policy stops the wall); resumes on unlock. */
  z.object({ kind: z.literal('paused'), reason: z.string() }),
  z.object({ kind: z.literal('closed') }),
]);
export type TileState = z.infer<typeof TileStateSchema>;

export const ViewSchema = z.object({
  viewId: z.string(),
  cameraId: z.string(),
  variant: ViewVariantSchema,
  /** Opaque LL-HLS playlist URL for hls.js; changes when the variant changes or video resumes. */
  playlistUrl: z.string(),
  state: TileStateSchema,
  /** When the current grant lapses; the host renews it while the view is open. */
  grantExpiresAt: z.string(),
});
export type View = z.infer<typeof ViewSchema>;

/** The owner's policy refuses: `message` is the sentence the tile shows. */
export const ViewRefusalSchema = z.object({
  kind: z.literal('refused'),
  cameraId: z.string(),
  denial: z.enum([
    'withdrawn',
    'not_shared',
    'before_start',
    'after_end',
    'outside_window',
    'no_alarm',
  ]),
  message: z.string(),
  /** When the policy would next allow it, if it can tell. */
  nextOpen: z.string().nullable(),
});
export type ViewRefusal = z.infer<typeof ViewRefusalSchema>;

export const ViewOpenArgsSchema = z
  .object({ cameraId: CameraIdSchema, reason: ViewReasonSchema, variant: ViewVariantSchema })
  .strict();

export const ViewOpenResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), view: ViewSchema }),
  ViewRefusalSchema,
]);
export type ViewOpenResult = z.infer<typeof ViewOpenResultSchema>;

/** Instant replay: at most the gateway's ring buffer. */
export const MAX_REPLAY_SECONDS = 120;

export const ReplayResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('replay'),
    /** Opaque VOD playlist URL. */
    playlistUrl: z.string(),
    startAt: z.string(),
    endAt: z.string(),
  }),
  ViewRefusalSchema,
]);
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

export const SnapshotSchema = z.object({
  /** `data:image/jpeg;base64,...` */
  imageDataUrl: z.string(),
  sha256: z.string(),
  capturedAt: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** A tile's state changed, or its playlist URL did (variant switch, resume after unlock). */
export const ViewUpdateSchema = z.object({
  viewId: z.string(),
  cameraId: z.string(),
  state: TileStateSchema,
  playlistUrl: z.string().nullable(),
});
export type ViewUpdate = z.infer<typeof ViewUpdateSchema>;

// ----------------------------------------------------------------------------------------------
// Event feed

export const FeedStateSchema = z.object({
  status: z.enum(['idle', 'connecting', 'replaying', 'live', 'reconnecting']),
  /** The id of the last event delivered; a reconnect resumes after it. */
  lastEventId: z.number().int().nonnegative(),
});
export type FeedState = z.infer<typeof FeedStateSchema>;

// ----------------------------------------------------------------------------------------------
// The contract

export const WATCHFLOOR_CALLS = {
  'console.info': { args: NoArgs, result: ConsoleInfoSchema },

  'session.state': { args: NoArgs, result: SessionStateSchema },
  'session.signIn': { args: SignInArgsSchema, result: SignInResultSchema },
  'session.verifyTotp': {
    args: z.object({ totpCode: TotpCodeSchema }).strict(),
    result: SignInResultSchema,
  },
  'session.unlock': {
    args: z.object({ password: PasswordSchema }).strict(),
    result: UnlockResultSchema,
  },
  'session.beginEnrolment': {
    args: z.object({ enrolmentCode: EnrolmentCodeSchema }).strict(),
    result: EnrolmentStartSchema,
  },
  'session.confirmEnrolment': {
    args: z.object({ totpCode: TotpCodeSchema }).strict(),
    result: SignInResultSchema,
  },
  'session.changePassword': {
    args: z.object({ currentPassword: PasswordSchema, newPassword: PasswordSchema }).strict(),
    result: PasswordChangeResultSchema,
  },
  'session.lock': { args: NoArgs, result: SessionStateSchema },
  'session.signOut': { args: NoArgs, result: SessionStateSchema },
  /** The person did something (key, pointer): pushes the idle lock back. */
  'session.activity': { args: NoArgs, result: z.object({ idleLockAt: z.string().nullable() }) },
  /** Lock sooner than the default; never later than 30 minutes. */
  'session.setIdleLock': {
    args: z.object({ minutes: IdleLockMinutesSchema }).strict(),
    result: SessionStateSchema,
  },

  'agency.get': { args: NoArgs, result: ConsoleAgencySchema },

  'cameras.list': { args: CameraListArgsSchema, result: CameraListResponseSchema },
  /** Reveals a registry owner's contact for a stated reason (audited on the server). */
  'cameras.ownerContact': {
    args: z.object({ cameraId: CameraIdSchema, reason: ViewReasonSchema }).strict(),
    result: OwnerContactResponseSchema,
  },

  'views.open': { args: ViewOpenArgsSchema, result: ViewOpenResultSchema },
  'views.setVariant': {
    args: z.object({ viewId: ViewIdSchema, variant: ViewVariantSchema }).strict(),
    result: ViewSchema,
  },
  'views.close': {
    args: z.object({ viewId: ViewIdSchema }).strict(),
    result: z.object({ viewId: z.string(), closed: z.literal(true) }),
  },
  'views.list': { args: NoArgs, result: z.object({ views: z.array(ViewSchema) }) },
  'views.replay': {
    args: z
      .object({ viewId: ViewIdSchema, seconds: z.number().int().min(1).max(MAX_REPLAY_SECONDS) })
      .strict(),
    result: ReplayResultSchema,
  },
  'views.snapshot': { args: z.object({ viewId: ViewIdSchema }).strict(), result: SnapshotSchema },

  'layouts.list': { args: NoArgs, result: z.object({ layouts: z.array(SavedLayoutSchema) }) },
  'layouts.save': {
    args: z.object({ name: LayoutNameSchema, layout: WallLayoutSchema }).strict(),
    result: SavedLayoutSchema,
  },
  'layouts.delete': {
    args: z.object({ name: LayoutNameSchema }).strict(),
    result: z.object({ name: z.string(), deleted: z.literal(true) }),
  },

  /** Events after an id, for a view that was not listening (the `events` subscription is live). */
  'events.since': {
    args: z
      .object({
        after: z.number().int().nonnegative(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: z.object({ events: z.array(ServerEventSchema), lastId: z.number().int() }),
  },

  /** Electron only: the displays, and wall windows on them (one per display, remembered). */
  'windows.displays': { args: NoArgs, result: z.object({ displays: z.array(DisplaySchema) }) },
  'windows.openWall': {
    args: z.object({ displayId: z.number().int() }).strict(),
    result: z.object({ displays: z.array(DisplaySchema) }),
  },
  'windows.closeWall': {
    args: z.object({ displayId: z.number().int() }).strict(),
    result: z.object({ displays: z.array(DisplaySchema) }),
  },
} as const satisfies Record<string, { readonly args: z.ZodType; readonly result: z.ZodType }>;

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
