import { z } from 'zod';
import {
  CameraSchema,
  CodecHintSchema,
  NewCameraSchema,
  OwnerContactSchema,
  PtzProtocolSchema,
  SourceProtocolSchema,
} from '../domain/cameras';
import { PolicyKeeperSchema } from '../domain/cameraAdmin';
import {
  CAMERA_ENDPOINTS,
  CameraIdParamsSchema,
  CameraIdSchema,
  CameraPatchSchema,
  ImportFormatSchema,
  ImportResultSchema,
  RecordingsInputSchema,
  SourceInputSchema,
} from './cameras';
import { endpoint, serverCall } from './contract';

/**
 * Camera administration (docs/cameras-admin.md): what an admin sees of a camera to edit it (never
 * a credential: only whether one is set), the tests of its live and recordings sources, the
 * import from the page, and the registry's possible duplicates and their merge. Changes reuse the registry's own endpoints
 * (create, update, retire in shared/api/cameras.ts) and its events.
 */

export const CredentialStateSchema = z.enum(['set', 'not set']);
export type CredentialState = z.infer<typeof CredentialStateSchema>;

/** A live source as an admin sees it: its address with every secret part taken out. */
export const ShownSourceSchema = z.object({
  protocol: SourceProtocolSchema,
  url: z.string(),
  substreamUrl: z.string().nullable(),
  codecHint: CodecHintSchema,
  ptz: z.boolean(),
  /** Where the camera takes PTZ commands (docs/ptz.md), its secret parts taken out like the URL's. */
  ptzUrl: z.string().nullable(),
  ptzProtocol: PtzProtocolSchema,
  credentials: CredentialStateSchema,
});
export type ShownSource = z.infer<typeof ShownSourceSchema>;

export const ShownRecordingsSchema = z.object({
  urlTemplate: z.string(),
  credentials: CredentialStateSchema,
});
export type ShownRecordings = z.infer<typeof ShownRecordingsSchema>;

export const CameraAdminDetailSchema = z.object({
  camera: CameraSchema,
  /** The owner's contact, for registered and integrated cameras (an admin keeps it up to date). */
  owner: OwnerContactSchema.nullable(),
  policyKeeper: PolicyKeeperSchema,
  source: ShownSourceSchema.nullable(),
  recordings: ShownRecordingsSchema.nullable(),
  /** The camera this one was merged into, when it was retired as a duplicate. */
  mergedInto: z.string().nullable(),
  retiredAt: z.string().nullable(),
});
export type CameraAdminDetail = z.infer<typeof CameraAdminDetailSchema>;

export const SourceTestRequestSchema = z
  .object({
    /** A saved camera: its live source as on file, or the `source` below with its credentials. */
    cameraId: CameraIdSchema.optional(),
    /** A source typed in the form, not yet saved. */
    source: SourceInputSchema.optional(),
  })
  .strict()
  .refine((r) => r.cameraId !== undefined || r.source !== undefined, {
    message: 'name a saved camera (cameraId) or a source to test',
    path: ['source'],
  })
  .refine((r) => !r.source?.keepCredentials || r.cameraId !== undefined, {
    message: 'keepCredentials needs the cameraId whose credentials to use',
    path: ['source', 'keepCredentials'],
  });
export type SourceTestRequest = z.infer<typeof SourceTestRequestSchema>;

/** Which tool named the codec: ffprobe when one is installed, else ffmpeg's own `-i` summary. */
export const ProbeToolSchema = z.enum(['ffprobe', 'ffmpeg -i']);

export const SourceTestResultSchema = z.object({
  ok: z.boolean(),
  /** The video codec as the probe named it (h264, hevc, mjpeg...), when it got that far. */
  codec: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  probe: ProbeToolSchema,
  /** One frame as JPEG, base64, when the snapshot worked. */
  snapshotJpeg: z.string().nullable(),
  /** What happened, in a sentence (never the URL or its credentials). */
  message: z.string(),
});
export type SourceTestResult = z.infer<typeof SourceTestResultSchema>;

export const RecordingsTestRequestSchema = z
  .object({
    /** A saved camera: its recordings source as on file, or `recordings` with its credentials. */
    cameraId: CameraIdSchema.optional(),
    /** A recordings source typed in the form, not yet saved. */
    recordings: RecordingsInputSchema.optional(),
  })
  .strict()
  .refine((r) => r.cameraId !== undefined || r.recordings !== undefined, {
    message: 'name a saved camera (cameraId) or a recordings source to test',
    path: ['recordings'],
  })
  .refine((r) => !r.recordings?.keepCredentials || r.cameraId !== undefined, {
    message: 'keepCredentials needs the cameraId whose credentials to use',
    path: ['recordings', 'keepCredentials'],
  });
export type RecordingsTestRequest = z.infer<typeof RecordingsTestRequestSchema>;

/** The class of the recorder's HTTP answer; the exact status stays with the server. */
export const HttpStatusClassSchema = z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']);
export type HttpStatusClass = z.infer<typeof HttpStatusClassSchema>;

export const RecordingsTestResultSchema = z.object({
  /** Footage came and the probe read video in it. */
  ok: z.boolean(),
  /** The recorder answered over HTTP at all (whatever it answered). */
  reachable: z.boolean(),
  /** The range asked for: the minute that ended five minutes before the test. */
  range: z.object({ start: z.string(), end: z.string() }),
  /** The class of the recorder's answer, null when nothing answered. */
  httpStatus: HttpStatusClassSchema.nullable(),
  /** How many bytes of footage were received (0 when none was kept). */
  bytes: z.number().int().nonnegative(),
  /** The container, codec, duration and size the probe reports, when it got that far. */
  container: z.string().nullable(),
  codec: z.string().nullable(),
  durationS: z.number().nonnegative().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  probe: ProbeToolSchema,
  /** One frame of the footage as JPEG, base64, when one could be decoded. */
  snapshotJpeg: z.string().nullable(),
  /** What happened, in a sentence (never the address or its credentials). */
  message: z.string(),
});
export type RecordingsTestResult = z.infer<typeof RecordingsTestResultSchema>;

/** A CSV or GeoJSON file read in the page, sent as text. */
export const ImportTextSchema = z
  .object({
    format: ImportFormatSchema,
    content: z
      .string()
      .min(1, 'the file is empty')
      .max(20 * 1024 * 1024),
  })
  .strict();

export const DuplicatePairSchema = z.object({
  a: CameraSchema,
  b: CameraSchema,
  distanceM: z.number().nonnegative(),
  /** Why the pair is flagged, in words (never the owners' names). */
  reason: z.string(),
});
export type DuplicatePair = z.infer<typeof DuplicatePairSchema>;

export const DuplicateListSchema = z.object({ pairs: z.array(DuplicatePairSchema) });

export const MergeRequestSchema = z
  .object({ duplicateId: CameraIdSchema.describe('The entry that is retired into the survivor') })
  .strict();

export const MergeResultSchema = z.object({
  survivor: CameraSchema,
  retired: CameraSchema,
  /** What moved from the retired entry to the survivor, by kind. */
  moved: z.record(z.string(), z.number().int().nonnegative()),
});
export type MergeResult = z.infer<typeof MergeResultSchema>;

const CAMERA_BODY_LIMIT = 64 * 1024;

export const CAMERA_ADMIN_ENDPOINTS = {
  detail: endpoint({
    method: 'GET',
    path: '/v1/cameras/:id/admin',
    access: 'cameras.write',
    summary:
      'A camera as an admin edits it: owner, sources without credentials, who keeps the policy',
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    response: CameraAdminDetailSchema,
    errors: [404],
  }),
  testSource: endpoint({
    method: 'POST',
    path: '/v1/cameras/test-source',
    access: 'cameras.write',
    summary: 'Test a live source: one snapshot with ffmpeg and the codec the probe reports',
    tags: ['cameras'],
    body: SourceTestRequestSchema,
    response: SourceTestResultSchema,
    errors: [404, 409],
    bodyLimit: CAMERA_BODY_LIMIT,
  }),
  testRecordings: endpoint({
    method: 'POST',
    path: '/v1/cameras/test-recordings',
    access: 'cameras.write',
    summary:
      'Test a recordings source: fetch a recent minute as a real fetch would, probe it, one frame',
    tags: ['cameras'],
    body: RecordingsTestRequestSchema,
    response: RecordingsTestResultSchema,
    errors: [404, 409],
    bodyLimit: CAMERA_BODY_LIMIT,
  }),
  importText: endpoint({
    method: 'POST',
    path: '/v1/cameras/import-text',
    access: 'cameras.import',
    summary: 'Import cameras from a CSV or GeoJSON file sent as JSON text (the console)',
    tags: ['cameras'],
    body: ImportTextSchema,
    response: ImportResultSchema,
    errors: [413],
    bodyLimit: 21 * 1024 * 1024,
  }),
  duplicates: endpoint({
    method: 'GET',
    path: '/v1/cameras/duplicates',
    access: 'cameras.write',
    summary: 'Registry entries flagged as possible duplicates: nearly one place, owners alike',
    tags: ['cameras'],
    response: DuplicateListSchema,
    errors: [],
  }),
  merge: endpoint({
    method: 'POST',
    path: '/v1/cameras/:id/merge',
    access: 'cameras.write',
    summary: 'Merge a duplicate into this camera: its views and links move here, it is retired',
    tags: ['cameras'],
    params: CameraIdParamsSchema,
    body: MergeRequestSchema,
    response: MergeResultSchema,
    errors: [404, 409],
  }),
};

const ById = z.object({ id: CameraIdSchema }).strict();

export const CAMERA_ADMIN_CALLS = {
  'cameras.detail': serverCall(CAMERA_ADMIN_ENDPOINTS.detail, ById),
  'cameras.create': serverCall(CAMERA_ENDPOINTS.create, NewCameraSchema, (a) => ({ body: a })),
  'cameras.update': serverCall(
    CAMERA_ENDPOINTS.update,
    z.object({ id: CameraIdSchema, patch: CameraPatchSchema }).strict(),
    (a) => ({ params: { id: a.id }, body: a.patch }),
  ),
  'cameras.retire': serverCall(CAMERA_ENDPOINTS.retire, ById),
  'cameras.testSource': serverCall(
    CAMERA_ADMIN_ENDPOINTS.testSource,
    SourceTestRequestSchema,
    (a) => ({
      body: a,
    }),
  ),
  'cameras.testRecordings': serverCall(
    CAMERA_ADMIN_ENDPOINTS.testRecordings,
    RecordingsTestRequestSchema,
    (a) => ({ body: a }),
  ),
  'cameras.importText': serverCall(CAMERA_ADMIN_ENDPOINTS.importText, ImportTextSchema),
  'cameras.duplicates': serverCall(CAMERA_ADMIN_ENDPOINTS.duplicates, z.object({}).strict()),
  'cameras.merge': serverCall(
    CAMERA_ADMIN_ENDPOINTS.merge,
    z.object({ id: CameraIdSchema, duplicateId: CameraIdSchema }).strict(),
  ),
};
