import { z } from 'zod';
import {
  BearingSchema,
  FovSchema,
  RangeSchema,
  CameraKindSchema,
  CameraSchema,
  NewCameraSchema,
  CodecHintSchema,
  LatitudeSchema,
  LongitudeSchema,
  OwnerContactSchema,
  SourceDescriptorSchema,
  RecordingsSourceSchema,
} from '../domain/cameras';
import {
  ScheduleWindowSchema,
  SharingPolicySchema,
  type SharingDenial,
} from '../domain/sharingPolicy';
import { ViewReasonSchema } from '../domain/reasons';
import { PolicyKeeperSchema } from '../domain/cameraAdmin';
import { ApiErrorSchema } from './errors';
import {
  defineEvent,
  endpoint,
  holders,
  serverCall,
  theUser,
  type EndpointRequest,
} from './contract';

/** The radius a `near=` query may ask for: a city, not a state. */
export const MAX_NEAR_RADIUS_M = 50_000;
/** The map fetches every camera in one request; this bounds it. */
export const MAX_CAMERA_LIST_LIMIT = 100_000;
export const DEFAULT_CAMERA_LIST_LIMIT = 500;

export const CameraIdSchema = z.uuid('a camera id is a UUID');
export const CameraIdParamsSchema = z.object({ id: CameraIdSchema });

/** A camera in a list: the public fields, plus the distance when the list was asked `near=`. */
export const CameraListItemSchema = CameraSchema.extend({
  distanceM: z.number().nonnegative().optional(),
});
export type CameraListItem = z.infer<typeof CameraListItemSchema>;

const DECIMAL = '-?\\d{1,3}(?:\\.\\d{1,15})?';
const NEAR_RE = new RegExp(`^\\s*(${DECIMAL})\\s*,\\s*(${DECIMAL})\\s*$`);
const BBOX_RE = new RegExp(`^\\s*${Array(4).fill(`(${DECIMAL})`).join('\\s*,\\s*')}\\s*$`);

/** `near=lat,lng`: the point a radius query is centred on. */
export const NearSchema = z
  .string()
  .max(80)
  .transform((raw, ctx) => {
    const m = NEAR_RE.exec(raw);
    const lat = Number(m?.[1]);
    const lng = Number(m?.[2]);
    if (!m || !LatitudeSchema.safeParse(lat).success || !LongitudeSchema.safeParse(lng).success) {
      ctx.addIssue({
        code: 'custom',
        message: 'near is "lat,lng" in degrees, e.g. 36.0999,-80.2442 (lat -90..90, lng -180..180)',
      });
      return z.NEVER;
    }
    return { lat, lng };
  });

/** `bbox=minLng,minLat,maxLng,maxLat` (GeoJSON order). */
export const BboxSchema = z
  .string()
  .max(160)
  .transform((raw, ctx) => {
    const m = BBOX_RE.exec(raw);
    const [minLng, minLat, maxLng, maxLat] = (m ?? []).slice(1).map(Number);
    const ok =
      m &&
      [minLng, maxLng].every((v) => LongitudeSchema.safeParse(v).success) &&
      [minLat, maxLat].every((v) => LatitudeSchema.safeParse(v).success) &&
      minLng! <= maxLng! &&
      minLat! <= maxLat!;
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        message:
          'bbox is "minLng,minLat,maxLng,maxLat" in degrees with min <= max, e.g. -80.3,36.0,-80.2,36.1',
      });
      return z.NEVER;
    }
    return { minLng: minLng!, minLat: minLat!, maxLng: maxLng!, maxLat: maxLat! };
  });

/** One kind or several: `kind=registered&kind=agency` or `kind=registered,agency`. */
const KindsSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
  z.array(CameraKindSchema).min(1).max(3),
);

export const CameraListQuerySchema = z
  .object({
    kind: KindsSchema.optional(),
    status: z.enum(['active', 'retired', 'all']).default('active'),
    q: z.string().trim().min(1).max(200).optional().describe('Name or address contains'),
    near: NearSchema.optional().describe('lat,lng: list cameras around this point, nearest first'),
    radius: z.coerce
      .number()
      .positive('radius is a positive number of metres')
      .max(MAX_NEAR_RADIUS_M, `radius is at most ${MAX_NEAR_RADIUS_M} m`)
      .optional()
      .describe('Metres around near'),
    bbox: BboxSchema.optional().describe('minLng,minLat,maxLng,maxLat'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_CAMERA_LIST_LIMIT)
      .default(DEFAULT_CAMERA_LIST_LIMIT),
    cursor: CameraIdSchema.optional().describe('Page: cameras with id after this one'),
  })
  .superRefine((q, ctx) => {
    if (q.near && q.radius === undefined)
      ctx.addIssue({ code: 'custom', path: ['radius'], message: 'near needs a radius in metres' });
    if (!q.near && q.radius !== undefined)
      ctx.addIssue({ code: 'custom', path: ['near'], message: 'radius needs near=lat,lng' });
    if (q.near && q.cursor)
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'a near= list is ordered by distance and is not paged: raise limit instead',
      });
  });
export type CameraListQuery = z.infer<typeof CameraListQuerySchema>;

export const CameraListResponseSchema = z.object({
  items: z.array(CameraListItemSchema),
  /** Pass as `cursor` for the next page; null when this page is the last. */
  nextCursor: z.string().nullable(),
});
export type CameraListResponse = z.infer<typeof CameraListResponseSchema>;

const PolicyDate = SharingPolicySchema.shape.validFrom.unwrap();

/**
 * A change to an owner's policy: only the fields given change. Written out rather than derived
 * with .partial(), which would fill in the full policy's defaults and so change fields the
 * caller never named.
 */
export const SharingPolicyPatchSchema = z
  .object({
    mode: z.enum(['always', 'schedule', 'alarm']).optional(),
    windows: z.array(ScheduleWindowSchema).max(50).optional(),
    alsoDuringAlarm: z.boolean().optional(),
    /** null removes the date. */
    validFrom: PolicyDate.nullable().optional(),
    validUntil: PolicyDate.nullable().optional(),
    live: z.boolean().optional(),
    recordings: z.boolean().optional(),
    ptz: z.boolean().optional(),
    withdrawn: z.boolean().optional(),
  })
  .strict();
export type SharingPolicyPatch = z.infer<typeof SharingPolicyPatchSchema>;

/**
 * A live source as a change gives it. Credentials are never read back, so an admin who changes
 * the address without retyping them says `keepCredentials`: the username, password and secret
 * query values on file carry over to the new address.
 */
export const SourceInputSchema = SourceDescriptorSchema.extend({
  keepCredentials: z.boolean().optional(),
}).refine((s) => !s.keepCredentials || (s.username === undefined && s.password === undefined), {
  message: 'keepCredentials keeps the credentials on file: give no username or password with it',
  path: ['keepCredentials'],
});
export type SourceInput = z.infer<typeof SourceInputSchema>;

/** A recordings source as a change gives it; `keepCredentials` as for the live source. */
export const RecordingsInputSchema = RecordingsSourceSchema.extend({
  keepCredentials: z.boolean().optional(),
}).refine((s) => !s.keepCredentials || (s.username === undefined && s.password === undefined), {
  message: 'keepCredentials keeps the credentials on file: give no username or password with it',
  path: ['keepCredentials'],
});
export type RecordingsInput = z.infer<typeof RecordingsInputSchema>;

export const CameraPatchSchema = z
  .object({
    name: z.string().trim().min(1, 'a camera needs a name').max(200).optional(),
    lat: LatitudeSchema.optional(),
    lng: LongitudeSchema.optional(),
    address: z.string().trim().max(300).nullable().optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
    retentionDays: z.number().int().min(0).max(3650).nullable().optional(),
    sharing: SharingPolicyPatchSchema.optional(),
    /** null forgets the value. */
    bearingDeg: BearingSchema.nullable().optional(),
    fovDeg: FovSchema.nullable().optional(),
    rangeM: RangeSchema.nullable().optional(),
    /** Integrated cameras: who keeps the sharing policy (docs/cameras-admin.md). */
    policyKeeper: PolicyKeeperSchema.optional(),
    /** null removes the contact (integrated cameras; a registered camera always has one). */
    owner: OwnerContactSchema.nullable().optional(),
    source: SourceInputSchema.optional(),
    /** Replaces the recordings source (integrated and agency cameras); null removes it. */
    recordings: RecordingsInputSchema.nullable().optional(),
  })
  .strict()
  .refine((p) => (p.lat === undefined) === (p.lng === undefined), {
    message: 'lat and lng change together',
    path: ['lat'],
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'a change names at least one field',
  });
export type CameraPatch = z.infer<typeof CameraPatchSchema>;

export const AlarmRequestSchema = z.object({ active: z.boolean() }).strict();

export const ImportFormatSchema = z.enum(['csv', 'geojson']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

export const ImportRejectionSchema = z.object({
  /** CSV: the 1-based line the row starts on (the header is line 1). GeoJSON: the 1-based feature. */
  row: z.number().int().positive(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejectionSchema>;

export const ImportResultSchema = z.object({
  created: z.number().int().nonnegative(),
  rejected: z.array(ImportRejectionSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const OwnerContactRequestSchema = z.object({ reason: ViewReasonSchema }).strict();
export const OwnerContactResponseSchema = z.object({
  cameraId: z.string(),
  owner: OwnerContactSchema,
});

export const GrantAccessSchema = z.enum(['live', 'recordings', 'ptz']);
export const StreamVariantSchema = z.enum(['main', 'sub']);

export const GrantRequestSchema = z
  .object({
    reason: ViewReasonSchema,
    access: GrantAccessSchema,
    variant: StreamVariantSchema.default('main'),
  })
  .strict();
export type GrantRequest = z.infer<typeof GrantRequestSchema>;

export const GrantIdParamsSchema = z.object({ id: z.uuid('a grant id is a UUID') });

/** The longest stretch of a camera's recordings played at once on a tile (docs/console.md). */
export const MAX_RECORDING_VIEW_MS = 15 * 60_000;

const RecordingInstant = z.iso.datetime({ offset: true, message: 'an ISO 8601 time' });

/**
 * A stretch of a camera's recordings to play, with any other fields `extra` names: the end after
 * the start, at most 15 minutes.
 */
export function recordingRangeWith<S extends z.ZodRawShape>(extra: S) {
  const spanMs = (r: object) => {
    const { start, end } = r as { start: string; end: string };
    return Date.parse(end) - Date.parse(start);
  };
  return z
    .object({ ...extra, start: RecordingInstant, end: RecordingInstant })
    .strict()
    .refine((r) => spanMs(r) > 0, {
      message: 'the end comes after the start',
      path: ['end'],
    })
    .refine((r) => spanMs(r) <= MAX_RECORDING_VIEW_MS, {
      message: `a tile plays at most ${MAX_RECORDING_VIEW_MS / 60_000} minutes of recordings at once`,
      path: ['end'],
    });
}

export const RecordingRangeSchema = recordingRangeWith({});
export type RecordingRange = z.infer<typeof RecordingRangeSchema>;

/** A grant as its holder sees it on renewal: when it lapses. */
export const GrantStatusSchema = z.object({
  grantId: z.string(),
  cameraId: z.string(),
  access: GrantAccessSchema,
  variant: StreamVariantSchema,
  expiresAt: z.string(),
});
export type GrantStatus = z.infer<typeof GrantStatusSchema>;

/** What the server's relay serves: RTSP sources are remuxed to MPEG-TS over HTTP on the way. */
export const RelayProtocolSchema = z.enum(['http-ts', 'hls', 'mjpeg']);
export type RelayProtocol = z.infer<typeof RelayProtocolSchema>;

/**
 * How a grant's holder pulls the camera: paths on the RTCC server's relay, bound to this grant and
 * valid only while it is (docs/decisions/0016-camera-credentials-stay-in-the-server.md). The
 * camera's own address and credentials never leave the server.
 */
export const RelaySourceSchema = z.object({
  protocol: RelayProtocolSchema,
  /** Server-relative path of the main stream, e.g. `/v1/relay/<token>/main`. */
  path: z.string().startsWith('/v1/relay/'),
  /** The camera's own substream, when it offers one. */
  substreamPath: z.string().startsWith('/v1/relay/').optional(),
  codecHint: CodecHintSchema,
  ptz: z.boolean(),
});
export type RelaySource = z.infer<typeof RelaySourceSchema>;

/** An issued grant: the relay paths that pull the camera while the grant lasts. */
export const StreamGrantSchema = GrantStatusSchema.extend({ source: RelaySourceSchema });
export type StreamGrant = z.infer<typeof StreamGrantSchema>;

export const GrantEndedSchema = z.object({ grantId: z.string(), endedAt: z.string() });

/** One step of a PTZ camera (docs/ptz.md): pan, tilt, optical zoom, or back to its home position. */
export const PtzCommandSchema = z.enum([
  'left',
  'right',
  'up',
  'down',
  'zoom_in',
  'zoom_out',
  'home',
]);
export type PtzCommand = z.infer<typeof PtzCommandSchema>;
export const PtzRequestSchema = z.object({ command: PtzCommandSchema }).strict();
export const PtzResultSchema = z.object({
  grantId: z.string(),
  cameraId: z.string(),
  command: PtzCommandSchema,
  sentAt: z.string(),
});
export type PtzResult = z.infer<typeof PtzResultSchema>;

const SHARING_DENIALS = [
  'withdrawn',
  'not_shared',
  'before_start',
  'after_end',
  'outside_window',
  'no_alarm',
] as const satisfies readonly SharingDenial[];

/** 403 when the owner's policy refuses: `message` is the sentence the tile shows. */
export const SharingRefusalSchema = ApiErrorSchema.extend({
  code: z.literal('sharing_policy'),
  denial: z.enum(SHARING_DENIALS),
  /** When the policy would next allow it, if it can tell. */
  nextOpen: z.string().nullable(),
});
export type SharingRefusal = z.infer<typeof SharingRefusalSchema>;

/** Payload of the `grant.revoked` event: the host stops the stream and the tile says why. */
export const GrantRevokedPayloadSchema = z.object({
  grantId: z.string(),
  cameraId: z.string(),
  userId: z.string(),
  reason: z.string(),
});
export type GrantRevokedPayload = z.infer<typeof GrantRevokedPayloadSchema>;

export const CameraFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({
    type: z.literal('Point'),
    coordinates: z.tuple([LongitudeSchema, LatitudeSchema]),
  }),
  /** The public fields under the importer's column names (docs/cameras-import.md). */
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const CameraFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(CameraFeatureSchema),
});
export type CameraFeatureCollection = z.infer<typeof CameraFeatureCollectionSchema>;

// ----------------------------------------------------------------------------------------------
// The console's calls

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

/** The renderer's camera filters as GET /v1/cameras query parameters. */
export function cameraListRequest(args: z.output<typeof CameraListArgsSchema>): EndpointRequest {
  const b = args.bbox;
  return {
    query: {
      kind: args.kind?.join(','),
      status: args.status,
      q: args.q,
      near: args.near ? `${args.near.lat},${args.near.lng}` : undefined,
      radius: args.near?.radiusM,
      bbox: b ? `${b.minLng},${b.minLat},${b.maxLng},${b.maxLat}` : undefined,
      limit: args.limit,
      cursor: args.cursor,
    },
  };
}

/** Small bodies: a reason and a few flags. */
const SMALL_BODY_LIMIT = 8 * 1024;
/** A camera with its policy, owner and source. */
const CAMERA_BODY_LIMIT = 64 * 1024;

export const CAMERA_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/cameras',
    access: 'cameras.read',
    summary:
      'List cameras: by kind, status, text, radius (nearest first) or box; public fields only',
    tags: ['cameras'],
    query: CameraListQuerySchema,
    response: CameraListResponseSchema,
    errors: [404, 409],
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/cameras/:id',
    access: 'cameras.read',
    summary: 'One camera (public fields)',
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    response: CameraSchema,
    errors: [404, 409],
  }),
  create: endpoint({
    method: 'POST',
    path: '/v1/cameras',
    access: 'cameras.write',
    summary: 'Register a camera (registered, integrated or agency)',
    tags: ['cameras'],
    body: NewCameraSchema,
    response: CameraSchema,
    status: 201,
    errors: [404, 409],
    bodyLimit: CAMERA_BODY_LIMIT,
  }),
  update: endpoint({
    method: 'PATCH',
    path: '/v1/cameras/:id',
    access: 'cameras.write',
    summary:
      "Change a camera: name, location, address, notes, retention, the owner's sharing policy, owner contact, source",
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    body: CameraPatchSchema,
    response: CameraSchema,
    errors: [404, 409],
    bodyLimit: CAMERA_BODY_LIMIT,
  }),
  retire: endpoint({
    method: 'POST',
    path: '/v1/cameras/:id/retire',
    access: 'cameras.write',
    summary: 'Retire a camera: it leaves the map and every grant on it ends',
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    response: CameraSchema,
    errors: [404, 409],
  }),
  alarm: endpoint({
    method: 'POST',
    path: '/v1/cameras/:id/alarm',
    access: 'cameras.write',
    summary: "Record that an integrated camera's owner raised or lowered their alarm",
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    body: AlarmRequestSchema,
    response: CameraSchema,
    errors: [404, 409],
  }),
  ownerContact: endpoint({
    method: 'POST',
    path: '/v1/cameras/:id/owner-contact',
    access: 'cameras.owner_contact',
    summary: "Reveal a camera owner's contact, for a stated reason (audited)",
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    body: OwnerContactRequestSchema,
    response: OwnerContactResponseSchema,
    errors: [404, 409],
    bodyLimit: SMALL_BODY_LIMIT,
  }),
  recording: endpoint({
    method: 'GET',
    path: '/v1/grants/:id/recording',
    access: 'recordings.view',
    summary:
      "Play a stretch of a camera's recordings under one's own recordings grant: the camera's recordings source answered as an MP4, through the server (audited with the range)",
    tags: ['streams'],
    params: GrantIdParamsSchema,
    query: RecordingRangeSchema,
    response: z.unknown(),
    errors: [404, 409],
  }),
  ptz: endpoint({
    method: 'POST',
    path: '/v1/grants/:id/ptz',
    access: 'streams.ptz',
    summary:
      "Steer a PTZ camera one step under one's own live grant, where the owner's policy allows PTZ (audited)",
    tags: ['streams'],
    params: GrantIdParamsSchema,
    body: PtzRequestSchema,
    response: PtzResultSchema,
    errors: [404, 409, 503],
    bodyLimit: SMALL_BODY_LIMIT,
  }),
};

export const CAMERA_CALLS = {
  'cameras.list': serverCall(CAMERA_ENDPOINTS.list, CameraListArgsSchema, cameraListRequest),
  /** Reveals a registry owner's contact for a stated reason (audited on the server). */
  'cameras.ownerContact': serverCall(
    CAMERA_ENDPOINTS.ownerContact,
    z.object({ cameraId: CameraIdSchema, reason: ViewReasonSchema }).strict(),
    (a) => ({ params: { id: a.cameraId }, body: { reason: a.reason } }),
  ),
};

// ----------------------------------------------------------------------------------------------
// Events

const WithCameraSchema = z.object({ camera: CameraListItemSchema });

/** Registry changes reach everyone who can see the map. */
export const CAMERA_EVENTS = {
  'camera.created': defineEvent(WithCameraSchema, {
    priority: 'routine',
    audience: [holders('cameras.read')],
  }),
  'camera.updated': defineEvent(WithCameraSchema.extend({ changed: z.array(z.string()) }), {
    priority: 'routine',
    audience: [holders('cameras.read')],
  }),
  'camera.retired': defineEvent(WithCameraSchema, {
    priority: 'routine',
    audience: [holders('cameras.read')],
  }),
  /** An integrated camera's owner raised (or lowered) an alarm: alarm-only feeds open or close. */
  'camera.alarm': defineEvent(
    WithCameraSchema.extend({ cameraId: z.string(), active: z.boolean() }),
    {
      priority: 'notable',
      audience: [holders('cameras.read')],
      describe: (p) => ({
        title: p.active ? 'Owner alarm raised' : 'Owner alarm lowered',
        body: p.active
          ? `${p.camera.name}: the owner raised an alarm; the feed is shared while it lasts.`
          : `${p.camera.name}: the owner lowered the alarm.`,
      }),
    },
  ),
  /** Too many cameras changed to send one by one: consoles fetch the list again. */
  'cameras.imported': defineEvent(
    z.object({
      source: z.string(),
      created: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
    }),
    { priority: 'routine', audience: [holders('cameras.read')] },
  ),
};

const GrantEventSchema = z.object({
  grantId: z.string(),
  cameraId: z.string(),
  userId: z.string(),
});

/**
 * Who watches which camera is the viewer's business and the auditors': grant events go to the
 * grant's holder (whose host acts on them) and to holders of audit.read, never to the whole floor.
 */
const grantAudience = [
  theUser<z.output<typeof GrantEventSchema>>((p) => p.userId),
  holders<z.output<typeof GrantEventSchema>>('audit.read'),
];

export const GRANT_EVENTS = {
  'grant.issued': defineEvent(
    GrantEventSchema.extend({ access: GrantAccessSchema, expiresAt: z.string() }),
    { priority: 'routine', audience: grantAudience, notShown: 'the host tracks its own grants' },
  ),
  'grant.renewed': defineEvent(GrantEventSchema.extend({ expiresAt: z.string() }), {
    priority: 'routine',
    audience: grantAudience,
    notShown: 'the host tracks its own grants',
  }),
  'grant.revoked': defineEvent(GrantRevokedPayloadSchema, {
    priority: 'notable',
    audience: grantAudience,
    notShown: 'the host stops the stream and the tile itself says why',
  }),
  'grant.ended': defineEvent(GrantEventSchema, {
    priority: 'routine',
    audience: grantAudience,
    notShown: 'the host tracks its own grants',
  }),
};
