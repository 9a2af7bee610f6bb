import { z } from 'zod';
import { SharingPolicySchema } from './sharingPolicy';

/**
 * Three kinds of camera (docs/architecture.md): a registered camera is only a location that a resident or
 * business shared; an integrated camera has a feed the owner shares on their terms; an agency
 * camera belongs to the city (traffic, pole cameras).
 */
export const CAMERA_KINDS = ['registered', 'integrated', 'agency'] as const;
export const CameraKindSchema = z.enum(CAMERA_KINDS);
export type CameraKind = z.infer<typeof CameraKindSchema>;

export const CameraStatusSchema = z.enum(['active', 'retired']);
export type CameraStatus = z.infer<typeof CameraStatusSchema>;

export const LatitudeSchema = z.number().min(-90).max(90);
export const LongitudeSchema = z.number().min(-180).max(180);

/** Degrees clockwise from true north, 0 to 360 (360 is read as 0). */
export const BearingSchema = z
  .number()
  .min(0, 'a bearing is 0 to 360 degrees from north')
  .max(360, 'a bearing is 0 to 360 degrees from north')
  .transform((b) => b % 360);
export const FovSchema = z
  .number()
  .gt(0, 'a field of view is more than 0 degrees')
  .max(360, 'a field of view is at most 360 degrees');
export const RangeSchema = z
  .number()
  .gt(0, 'a viewing range is a positive number of metres')
  .max(2000, 'a viewing range is at most 2,000 m');

export const SOURCE_PROTOCOLS = ['rtsp', 'http-ts', 'hls', 'mjpeg'] as const;
export const SourceProtocolSchema = z.enum(SOURCE_PROTOCOLS);
export type SourceProtocol = z.infer<typeof SourceProtocolSchema>;

export const CodecHintSchema = z.enum(['h264', 'h265', 'mjpeg', 'unknown']);
export type CodecHint = z.infer<typeof CodecHintSchema>;

const MediaUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      return ['rtsp:', 'rtsps:', 'http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'a source URL is an absolute rtsp://, rtsps://, http:// or https:// URL');

export const PTZ_PROTOCOLS = ['json', 'onvif'] as const;
export const PtzProtocolSchema = z.enum(PTZ_PROTOCOLS);
export type PtzProtocol = z.infer<typeof PtzProtocolSchema>;

/**
 * How to reach an integrated (or agency) camera's video. Holds credentials, so it never leaves the
 * server: a grant hands out relay paths instead. The gateway takes the same shape for the relay's
 * URLs and for a camera tested by hand (`wf gateway serve`), and never logs it.
 */
export const SourceDescriptorSchema = z.object({
  protocol: SourceProtocolSchema,
  url: MediaUrl,
  username: z.string().max(200).optional(),
  password: z.string().max(200).optional(),
  codecHint: CodecHintSchema.default('unknown'),
  /** A lower-resolution stream the camera offers itself, preferred for small tiles. */
  substreamUrl: MediaUrl.optional(),
  ptz: z.boolean().default(false),
  /**
   * Where the camera takes pan, tilt and zoom commands (docs/ptz.md): the server posts
   * `{"command": ...}` to it with the source's credentials. Never leaves the server.
   */
  ptzUrl: MediaUrl.refine(
    (u) => u.startsWith('http://') || u.startsWith('https://'),
    'a PTZ control URL is an absolute http:// or https:// URL',
  ).optional(),
  /**
   * How `ptzUrl` is spoken to: `json` posts `{"command": ...}` to it; `onvif` takes it as the
   * camera's ONVIF device service and steers through ONVIF's PTZ service (docs/ptz.md).
   */
  ptzProtocol: PtzProtocolSchema.optional(),
});
export type SourceDescriptor = z.infer<typeof SourceDescriptorSchema>;

/** The placeholders a recordings URL template may hold: ISO 8601 UTC times or unix seconds. */
export const RECORDING_PLACEHOLDERS = ['{start}', '{end}', '{start_unix}', '{end_unix}'] as const;

const RecordingsUrlTemplate = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      const probe = u.replaceAll('{start_unix}', '0').replaceAll('{end_unix}', '1');
      return ['http:', 'https:'].includes(
        new URL(probe.replaceAll('{start}', 'a').replaceAll('{end}', 'b')).protocol,
      );
    } catch {
      return false;
    }
  }, 'a recordings URL is an absolute http:// or https:// URL')
  .refine(
    (u) =>
      (u.includes('{start}') || u.includes('{start_unix}')) &&
      (u.includes('{end}') || u.includes('{end_unix}')),
    'a recordings URL names the start ({start} or {start_unix}) and the end ({end} or {end_unix})',
  );

/**
 * Where a camera's recordings are fetched: an HTTP endpoint answering an MP4 of a time range, as
 * NVRs such as Frigate expose (`.../start/{start_unix}/end/{end_unix}/clip.mp4`). Holds
 * credentials, so like the live source it never leaves the server: it is replaced, never read
 * back.
 */
export const RecordingsSourceSchema = z
  .object({
    urlTemplate: RecordingsUrlTemplate,
    username: z.string().max(200).optional(),
    password: z.string().max(200).optional(),
  })
  .strict();
export type RecordingsSource = z.infer<typeof RecordingsSourceSchema>;

/** Confidential: shown only to permitted roles, each reveal audited with a reason. */
export const OwnerContactSchema = z.object({
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().max(40).optional(),
  email: z.email().max(254).optional(),
});
export type OwnerContact = z.infer<typeof OwnerContactSchema>;

/** What anyone who may read cameras sees: no owner contact, no source URL or credentials. */
export const CameraSchema = z.object({
  id: z.string(),
  kind: CameraKindSchema,
  status: CameraStatusSchema,
  name: z.string(),
  lat: LatitudeSchema,
  lng: LongitudeSchema,
  address: z.string().nullable(),
  notes: z.string().nullable(),
  /** Registered cameras: how many days the owner keeps recordings (for camera pulls). */
  retentionDays: z.number().int().nullable(),
  /** Whether the camera has an owner contact on file (the contact itself is separate). */
  hasOwnerContact: z.boolean(),
  /** Integrated cameras: the owner's policy (no secrets in it). */
  sharing: SharingPolicySchema.nullable(),
  /** Whether the owner currently has an alarm raised (integrated cameras). */
  alarmActive: z.boolean(),
  ptz: z.boolean(),
  hasSubstream: z.boolean(),
  /** Whether a recordings source is on file (footage can be fetched for a time range). */
  hasRecordings: z.boolean(),
  /** Where the camera looks, degrees clockwise from true north; null when not known. */
  bearingDeg: z.number().nullable(),
  /** Its horizontal field of view in degrees; null when not known. */
  fovDeg: z.number().nullable(),
  /** How far it usefully sees, in metres; null for the default (docs/docking.md). */
  rangeM: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Camera = z.infer<typeof CameraSchema>;

const Common = {
  name: z.string().trim().min(1, 'a camera needs a name').max(200),
  lat: LatitudeSchema,
  lng: LongitudeSchema,
  address: z.string().trim().max(300).optional(),
  notes: z.string().trim().max(2000).optional(),
  bearingDeg: BearingSchema.optional(),
  fovDeg: FovSchema.optional(),
  rangeM: RangeSchema.optional(),
};

export const NewCameraSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('registered'),
    ...Common,
    owner: OwnerContactSchema,
    retentionDays: z.number().int().min(0).max(3650).optional(),
  }),
  z.object({
    kind: z.literal('integrated'),
    ...Common,
    owner: OwnerContactSchema.optional(),
    source: SourceDescriptorSchema,
    recordings: RecordingsSourceSchema.optional(),
    sharing: SharingPolicySchema,
  }),
  z.object({
    kind: z.literal('agency'),
    ...Common,
    source: SourceDescriptorSchema,
    recordings: RecordingsSourceSchema.optional(),
  }),
]);
export type NewCamera = z.infer<typeof NewCameraSchema>;
